#pragma once
// Space-group operations of a crystal (found by spglib), used to expand the Born charges
// of the symmetry-independent atoms and to unfold irreducible q-point data.

#include "scattering/force_constants.h"

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

    /// Atoms are told apart by symbol and mass. `tolerance` [m] is spglib's symprec
    /// (phonopy's default 1e-5 Angstrom). Throws naming `origin` when spglib fails.
    CrystalSymmetry crystal_symmetry(const Structure &structure, const std::string &origin,
                                     double tolerance = 1e-5 * units::angstrom);
  } // namespace phonons
} // namespace kapitza
