#pragma once
// Elastic constants from the long-wavelength acoustic phonons of second-order force
// constants (Born and Huang's method of long waves). Along a unit direction n the three
// acoustic solutions of D(q n) give the Christoffel matrix
//   Gamma_ik(n) = C_ijkl n_j n_l = rho sum_s (omega_s / |q|)^2 u_s u_s^+,
// u_s the centre-of-mass displacement of mode s (the translations projected out of its
// eigenvector), up to O(q^2), removed by Richardson extrapolation from two steps (the
// remainder is O(q^4)). Gamma along the three axes and the three face diagonals gives every
// coefficient S_ik,jl of the quadratic form Gamma_ik(n) = S_ik,jl n_j n_l. For a stress-free
// crystal S_ik,jl = (C_ijkl + C_ilkj) / 2 with C of full (minor and major) symmetry; a
// residual stress sigma of the force constants' reference structure adds delta_ik sigma_jl
// (Huang's conditions fail), which no such C reproduces. C is therefore the least-squares
// fit of (C_ijkl + C_ilkj) / 2 to S, and the relative misfit |S - S(C)| / |S| is reported
// (zero for a relaxed crystal; validation/material_constants lists it). The macroscopic-field (non-analytic) term of polar crystals is left out:
// the constants at zero electric field, without piezoelectric stiffening. The isotropic
// moduli are the Voigt-Reuss-Hill averages and nu = (3K - 2G) / (2 (3K + G)).

#include "scattering/ab_initio/dynamical_matrix.h"
#include "scattering/provenance.h"

#include <array>
#include <string>

namespace kapitza
{
  namespace phonons
  {
    using VoigtMatrix = Eigen::Matrix<double, 6, 6>;

    struct IsotropicAverage
    {
      double bulk_voigt = 0, bulk_reuss = 0, shear_voigt = 0, shear_reuss = 0; // [Pa]
      double bulk() const { return 0.5 * (bulk_voigt + bulk_reuss); }           // Hill
      double shear() const { return 0.5 * (shear_voigt + shear_reuss); }        // Hill
      double poisson() const { return (3 * bulk() - 2 * shear()) / (2 * (3 * bulk() + shear())); }
    };

    struct ElasticConstants
    {
      VoigtMatrix stiffness; // C_IJ in the Cartesian axes of the force constants [Pa]
      double      density = 0; // [kg/m^3]
      /// S_ik,jl [Pa] at index 3 j + l (matrix over i, k): Gamma_ik(n) = S_ik,jl n_j n_l.
      std::array<Eigen::Matrix3d, 9> christoffel_coefficients;
      double                         stress_misfit = 0; // |S - S(C)| / |S|
    };

    /// Gamma(n) = S_ik,jl n_j n_l [Pa] of the measured coefficients (n normalized).
    Eigen::Matrix3d christoffel(const ElasticConstants &constants, const Eigen::Vector3d &n);

    /// Gamma_ik(n) = C_ijkl n_j n_l [Pa] of Voigt constants.
    Eigen::Matrix3d christoffel(const VoigtMatrix &stiffness, const Eigen::Vector3d &n);

    /// Gamma(n) [Pa] from the acoustic phonons at |q| = step and 2 step (Cartesian, 1/m
    /// without 2 pi), extrapolated to q = 0.
    Eigen::Matrix3d acoustic_christoffel(const DynamicalMatrix &dynamical_matrix, const Eigen::Vector3d &n,
                                         double step);

    /// The default step of the long-wave limit: this fraction of the shortest reciprocal
    /// lattice vector (small enough for the O(q^4) remainder, large enough that the
    /// acoustic eigenvalues stand well above round-off of the optical ones).
    constexpr double long_wave_step = 0.01;

    ElasticConstants elastic_constants(const DynamicalMatrix &dynamical_matrix,
                                       double step_fraction = long_wave_step);

    IsotropicAverage voigt_reuss_hill(const VoigtMatrix &stiffness);

    /// One line: C11 C22 C33 C12 C13 C23 C44 C55 C66 [GPa], K, G (Hill), nu and the misfit.
    std::string describe(const ElasticConstants &constants);

    /// Database provenance keys `elastic_constants` (describe) and `poisson_ratio` (Hill).
    void record(const ElasticConstants &constants, Provenance &provenance);
  } // namespace phonons
} // namespace kapitza
