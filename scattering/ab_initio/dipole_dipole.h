#pragma once
// Long-range dipole-dipole interaction of a polar crystal (Born charges Z*, eps_inf):
// the reciprocal-space Ewald sum of Gonze and Lee (PRB 55, 10355 (1997)) as phonopy 2.17
// evaluates it by default ("gonze" NAC: 300 G points, Lambda with exp(-G_max^2/4L^2) =
// 1e-10, no real-space part). It is subtracted from the supercell force constants at the
// commensurate q and added back at any q (dynamical_matrix.h), which gives LO-TO
// splitting as q -> 0.

#include "scattering/ab_initio/force_constants.h"

#include <array>
#include <optional>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    class DipoleDipole
    {
    public:
      DipoleDipole(const Structure &primitive, const BornCharges &born);

      /// C_dd(q) (3 n_atoms square, atomic-position phases like the dynamical matrix, not
      /// mass-weighted) [J/m^2] at Cartesian q [1/m, without 2 pi]. The G + q = 0 term is
      /// the non-analytic limit along `direction` (Cartesian) when given, else zero.
      Eigen::MatrixXcd matrix(const Eigen::Vector3d              &q,
                              const std::optional<Eigen::Vector3d> &direction = {}) const;
      /// dC_dd/dq_c (c = x, y, z) [J/m]; the G + q = 0 term does not contribute.
      std::array<Eigen::MatrixXcd, 3> derivative(const Eigen::Vector3d &q) const;

    private:
      // sum_G K K^T/(K eps K) exp(-K eps K/4L^2) e^{2 pi i G.(r_i - r_j)} times Z*, K = q + G.
      Eigen::MatrixXcd ewald_sum(const Eigen::Vector3d              &q,
                                 const std::optional<Eigen::Vector3d> &direction,
                                 int derivative_axis) const;

      unsigned int                 n_atoms;
      Positions                    positions; // Cartesian [m]
      Eigen::Matrix3d              dielectric;
      std::vector<Eigen::Matrix3d> charges;
      std::vector<Eigen::Vector3d> g_vectors; // [1/m], |G| < G_cutoff
      double                       lambda;    // Ewald parameter [1/m]
      double                       prefactor; // e^2 / (eps0 V) [J/m^2]
      std::vector<Eigen::Matrix3cd> q0_correction; // keeps sum over atoms of C_dd(0) zero
    };
  } // namespace phonons
} // namespace kapitza
