#pragma once
// Space-group operations of a crystal (found by spglib), used to expand the Born charges
// of the symmetry-independent atoms, to unfold irreducible q-point data and to average
// tensors over the point group.

#include "scattering/ab_initio/force_constants.h"

#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// Operations x' = R x + t in fractional coordinates of the structure's lattice.
    struct CrystalSymmetry
    {
      std::vector<Eigen::Matrix3i> rotations;
      std::vector<Eigen::Vector3d> translations;
      std::vector<int>             equivalent_atoms; // spglib: first atom of each orbit

      unsigned int size() const { return rotations.size(); }
      /// R_cart = A R A^-1 with A the lattice vectors as columns.
      Eigen::Matrix3d cartesian_rotation(unsigned int op, const Structure &structure) const;
      /// Index of the first operation that sends atom `from` onto atom `to`.
      int operation_mapping(const Structure &structure, unsigned int from, unsigned int to,
                            double tolerance) const;
    };

    /// The tensor averaged over the point group, (1/n) sum_R R t R^T over the Cartesian
    /// rotations of the n operations: a conductivity with the crystal's symmetry (mesh
    /// sums break it slightly where degenerate modes have basis-dependent velocities).
    Eigen::Matrix3d point_group_average(const Eigen::Matrix3d &tensor,
                                        const CrystalSymmetry &symmetry,
                                        const Structure       &structure);

    /// Atoms are told apart by symbol and mass. `tolerance` [m] is spglib's symprec
    /// (phonopy's default 1e-5 Angstrom). Throws naming `origin` when spglib fails.
    CrystalSymmetry crystal_symmetry(const Structure &structure, const std::string &origin,
                                     double tolerance = 1e-5 * units::angstrom);
  } // namespace phonons
} // namespace kapitza
