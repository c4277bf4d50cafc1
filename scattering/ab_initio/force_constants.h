#pragma once
// Crystal structures and interatomic force constants as kapitza holds them internally
// (SI units throughout: m, kg, J/m^2, J/m^3), read from phono3py (fc2.hdf5, fc3.hdf5,
// phono3py_params.yaml, BORN) or ShengBTE (FORCE_CONSTANTS_2ND/3RD) files.
//
// Contract shared by the harmonic (harmonic_phonons.h) and three-phonon
// (three_phonon.h) code: change it only together with both.

#include "scattering/units.h"

#include <Eigen/Dense>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    using Positions = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

    namespace units = kapitza::units; // the units of phonopy/phono3py files

    /// A periodic arrangement of atoms.
    struct Structure
    {
      Eigen::Matrix3d          lattice;    // rows are the lattice vectors a1, a2, a3 [m]
      Positions                fractional; // (atoms, 3) in units of the lattice vectors
      std::vector<std::string> symbols;
      Eigen::VectorXd          masses;     // [kg]

      unsigned int    n_atoms() const { return masses.size(); }
      Eigen::Vector3d cartesian(unsigned int atom) const; // [m]
      double          volume() const;                     // [m^3]
      /// Rows are b_1, b_2, b_3 with b_i . a_j = delta_ij (without 2 pi) [1/m].
      Eigen::Matrix3d reciprocal() const;
    };

    /// A supercell of the primitive cell and the map between their atoms. Force
    /// constant indices run over `structure` atoms in this order.
    struct Supercell
    {
      Structure        structure;
      Eigen::Matrix3i  matrix; // supercell lattice = matrix * unit-cell lattice (phonopy)
      std::vector<int> primitive_to_supercell; // p2s: supercell index of each primitive atom
      std::vector<int> supercell_to_primitive; // s2p: primitive atom each supercell atom images
    };

    /// Non-analytic (dipole-dipole) data of a polar crystal.
    struct BornCharges
    {
      Eigen::Matrix3d              dielectric; // eps_inf
      std::vector<Eigen::Matrix3d> charges;    // Z*_k (row = E field, column = displacement,
                                               // phonopy's convention), per primitive atom [e]
    };

    /// Everything the harmonic and anharmonic calculations need.
    struct ForceConstants
    {
      Structure primitive;
      Supercell fc2_supercell;
      Supercell fc3_supercell;
      /// Compact second order: (primitive atom i, supercell atom j, alpha, beta),
      /// row-major, [J/m^2].
      std::vector<double> fc2;
      /// Compact third order: (primitive i, supercell j, supercell k, alpha, beta, gamma),
      /// row-major, [J/m^3]; empty when only harmonic data were read.
      std::vector<double>        fc3;
      std::optional<BornCharges> born;
      /// How the files gave fc2 and fc3 and how they became the compact arrays above
      /// (e.g. "phono3py fc3.hdf5 full (64, 64, 64, 3, 3, 3), compacted to the rows of the
      /// 2 primitive atoms (p2s_map)"), for the provenance of the databases made from
      /// them; fc3_convention is empty when fc3 was not read.
      std::string fc2_convention, fc3_convention;
    };

    /// For each atom of `supercell`, the atom of `primitive` it is a lattice translation
    /// of (within `tolerance` [m]); throws naming `origin` when an atom has no image.
    std::vector<int> supercell_to_primitive(const Structure &primitive,
                                            const Structure &supercell,
                                            const std::string &origin,
                                            double tolerance = 1e-5 * units::angstrom);
  } // namespace phonons
} // namespace kapitza
