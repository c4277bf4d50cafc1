#pragma once
// Harmonic phonons on a Gamma-centred q-mesh from second-order force constants:
// dynamical matrix with minimum-image (Wigner-Seitz) supercell images, the non-analytic
// correction of polar crystals, frequencies, eigenvectors and group velocities.
//
// Contract shared with the three-phonon code (three_phonon.h): change it only together.

#include "scattering/force_constants.h"

#include <array>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    struct PhononMesh
    {
      std::array<int, 3> size{{0, 0, 0}};
      /// (n_q, 3) in the reciprocal primitive basis (q = sum_i q_i b_i, b_i . a_j = delta_ij,
      /// without 2 pi), components wrapped to (-1/2, 1/2]; index = i0 + n0 (i1 + n1 i2).
      Positions q_fractional;
      /// (n_q, n_branch) [rad/s], ascending at each q.
      Eigen::MatrixXd omega;
      /// Per q: (3 n_atoms, n_branch) orthonormal eigenvectors of the dynamical matrix
      /// D_{k a, k' b}(q) = sum_l' Phi(0k; l'k') / sqrt(m_k m_k') exp(i 2 pi q . (r_l'k' - r_0k))
      /// (phonopy's convention, atomic positions in the phase), column = branch.
      std::vector<Eigen::MatrixXcd> eigenvectors;
      /// Per q: (n_branch, 3) group velocities [m/s].
      std::vector<Positions> velocity;

      unsigned int n_q() const { return q_fractional.rows(); }
      unsigned int n_branch() const { return omega.cols(); }
      /// Index of the grid point with integer address (i0, i1, i2) (any integers, wrapped).
      unsigned int index(const std::array<int, 3> &address) const;
      /// Index of -q.
      unsigned int minus(unsigned int q_index) const;
    };
  } // namespace phonons
} // namespace kapitza
