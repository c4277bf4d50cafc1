#pragma once
// Harmonic phonons on a Gamma-centred q-mesh from second-order force constants:
// dynamical matrix with minimum-image (Wigner-Seitz) supercell images, the non-analytic
// correction of polar crystals, frequencies, eigenvectors and group velocities.
//
// Contract shared with the three-phonon code (three_phonon.h): change it only together.

#include "scattering/ab_initio/dynamical_matrix.h"
#include "scattering/ab_initio/force_constants.h"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// Index of the grid point a (any integers, wrapped) on a mesh of `size` points:
    /// a0 + n0 (a1 + n1 a2) after wrapping each a_i into [0, n_i).
    unsigned int grid_index(const std::array<int, 3> &size, const std::array<int, 3> &a);

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
      /// Integer address (i0, i1, i2) of a grid point, each in [0, n).
      std::array<int, 3> address(unsigned int q_index) const;
    };

    /// Phonons at one wavevector.
    struct PhononPoint
    {
      Eigen::VectorXd  omega;        // [rad/s], ascending; negative for imaginary modes
      Eigen::MatrixXcd eigenvectors; // (3 n_atoms, n_branch), column = branch
      Positions        velocity;     // (n_branch, 3) [m/s]
    };

    /// Frequencies below this (1e-4 THz, phonopy's cutoff) have no group velocity, and
    /// modes closer than this in frequency are treated as degenerate.
    constexpr double degeneracy_frequency = 1e-4 * units::angular_terahertz; // [rad/s]

    /// Branch ranges [begin, end) of one q-point's ascending frequencies whose neighbours
    /// are closer than degeneracy_frequency: the degenerate sets (no preferred basis).
    using BranchSets = std::vector<std::pair<unsigned int, unsigned int>>;
    BranchSets degenerate_sets(const Eigen::VectorXd &omega);

    /// Diagonalizes D(q) (q in the reciprocal primitive basis, without 2 pi). Group
    /// velocities v = (1/2 pi) d omega/dq from the analytic dD/dq; within a degenerate set
    /// the eigenvectors are rotated to diagonalize the projection of dD/dq along the
    /// Cartesian direction (1,2,3)/sqrt(14), and each velocity is the diagonal element
    /// of dD/dq in that basis (phonopy 2.17's GroupVelocity without symmetrization).
    /// `nac_direction` (Cartesian) gives the non-analytic limit at q = 0.
    PhononPoint phonons_at(const DynamicalMatrix &dynamical_matrix,
                           const Eigen::Vector3d &q_fractional,
                           const std::optional<Eigen::Vector3d> &nac_direction = {});

    /// Frequencies, eigenvectors and velocities from D and dD/dq (as in phonons_at).
    PhononPoint diagonalize(const Eigen::MatrixXcd                     &dynamical_matrix,
                            const std::array<Eigen::MatrixXcd, 3> &derivative);

    /// The points (size, q_fractional) of the Gamma-centred mesh n0 x n1 x n2, no phonons.
    PhononMesh mesh_points(std::array<int, 3> n);

    /// Phonons on the Gamma-centred mesh n0 x n1 x n2 (all points, no symmetry reduction).
    /// With a dipole-dipole term, points whose -q is stored as -q + G (a component 1/2)
    /// use D symmetrized with that partner, so that omega(-q) = omega(q) and v(-q) = -v(q)
    /// hold exactly on the mesh (the change is ~1e-8 of omega).
    PhononMesh harmonic_phonons(const ForceConstants &fc, std::array<int, 3> mesh);
    PhononMesh harmonic_phonons(const DynamicalMatrix &dynamical_matrix, std::array<int, 3> mesh);

    /// Branch labels by frequency order at each q: TA1, TA2, LA for the three lowest
    /// (acoustic) bands, then O1, O2, ... for the optical bands. Bands are not followed
    /// through crossings, so "LA" is the third acoustic band, whatever its polarization.
    std::vector<std::string> branch_labels(unsigned int n_branch);
  } // namespace phonons
} // namespace kapitza
