#pragma once
// The dynamical matrix of second-order force constants, as phonopy builds it:
// D_{ka,k'b}(q) = sum_{l'} Phi(0k; l'k') / sqrt(m_k m_k') exp(i 2 pi q . (r_l'k' - r_0k)),
// where each supercell atom counts with all its equally shortest (Wigner-Seitz) images
// relative to the primitive atom, each with weight 1/multiplicity. Polar crystals get the
// Gonze-Lee dipole-dipole term (dipole_dipole.h) on top of short-range force constants.

#include "scattering/ab_initio/dipole_dipole.h"
#include "scattering/ab_initio/force_constants.h"

#include <array>
#include <optional>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    class DynamicalMatrix
    {
    public:
      explicit DynamicalMatrix(const ForceConstants &fc);

      unsigned int size() const { return 3 * primitive.n_atoms(); }
      const Structure &structure() const { return primitive; }
      bool             polar() const { return dipole.has_value(); }

      /// D(q) [1/s^2] at q in the reciprocal primitive basis (fractional, without 2 pi).
      /// `nac_direction` (Cartesian) selects the non-analytic limit exactly at q = 0.
      Eigen::MatrixXcd at(const Eigen::Vector3d              &q_fractional,
                          const std::optional<Eigen::Vector3d> &nac_direction = {}) const;
      /// dD/dq_c for Cartesian q [1/m, without 2 pi], c = x, y, z [m/s^2].
      std::array<Eigen::MatrixXcd, 3> derivative(const Eigen::Vector3d &q_fractional) const;

      /// The q -> 0 limit along `direction` (Cartesian) of the non-analytic (G + q = 0,
      /// macroscopic field) part of D [1/s^2]; zero for non-polar crystals. D(q) minus it
      /// is the dynamical matrix at zero macroscopic field (to leading order in q).
      Eigen::MatrixXcd non_analytic_limit(const Eigen::Vector3d &direction) const;

      /// Number of (primitive atom, supercell atom) pairs with several shortest images.
      unsigned int n_multiple_images() const;

    private:
      // One (primitive atom i, supercell atom) pair: its force-constant block over
      // sqrt(m_i m_j) and its shortest images r_l'k' - r_0k.
      struct Pair
      {
        unsigned int                 i, j;
        Eigen::Matrix3d              block;      // [1/s^2]
        std::vector<Eigen::Vector3d> fractional; // in the primitive lattice basis
        std::vector<Eigen::Vector3d> cartesian;  // [m]
      };
      void subtract_dipole_dipole(const Supercell &supercell);
      Eigen::MatrixXcd mass_weighted(const Eigen::MatrixXcd &c) const;

      Structure                   primitive;
      std::vector<Pair>           pairs;
      std::optional<DipoleDipole> dipole;
    };

    /// The q-points commensurate with a supercell (fractional, reciprocal primitive basis),
    /// each the shortest of its equivalents (first Brillouin zone).
    std::vector<Eigen::Vector3d> commensurate_points(const Structure &primitive,
                                                     const Supercell &supercell);
  } // namespace phonons
} // namespace kapitza
