#pragma once
// Model materials written on an angular quadrature: gray isotropic media and isotropic
// band materials from peer band files (|v|, tau, C per band), so that analytic results
// and peer benchmarks are run on exactly the same mode sets.

#include "scattering/mode_set.h"

#include <string>
#include <vector>

namespace kapitza
{
  /// Directions on the unit sphere with weights summing to 1. The polar axis is x by
  /// default, the transport direction of layer meshes, so that 1D slabs resolve
  /// cos(theta) = v_x/|v|; a film between walls normal to y resolves v_y with axis = 1.
  struct AngularQuadrature
  {
    std::vector<Eigen::Vector3d> direction;
    std::vector<double>          weight;
  };

  /// Gauss-Legendre in cos(theta) (n_polar points on [-1,1], or n_polar/2 on each
  /// hemisphere when half_range, which resolves the slab's grazing directions better)
  /// times n_azimuth uniform azimuths at (k + 1/2) 2 pi / n_azimuth. Symmetric under
  /// inversion and under reflection through each coordinate plane when n_azimuth is even.
  AngularQuadrature product_quadrature(unsigned int n_polar, unsigned int n_azimuth,
                                       bool half_range, unsigned int axis = 0);

  struct GrayMaterial
  {
    std::string name          = "gray";
    double      temperature   = 300;    // T0 [K]
    Statistics  statistics    = Statistics::bose;
    double      omega         = 1e13;   // [rad/s]; sets only the shape of psi
    double      speed         = 1000;   // |v| [m/s]
    double      tau           = 1e-10;  // [s]
    double      heat_capacity = 1e6;    // total C [J/(m^3 K)]
  };

  ModeSet gray_material(const GrayMaterial &gray, const AngularQuadrature &quadrature);

  /// One isotropic band of a band file: |v| [m/s], tau [s], C [J/(m^3 K)].
  struct Band
  {
    double speed, tau, heat_capacity;
  };

  /// Reads a band file (5 numbers a line: |v| tau C and two shares that are not used).
  /// Throws on a malformed line or a non-positive value, naming the line.
  std::vector<Band> read_band_file(const std::string &path);

  /// Each band spread over the quadrature. Band files carry no frequencies, so band b of
  /// N gets the nominal omega = (b + 1/2) omega_max / N; in the linearized RTA the
  /// solution depends only on C, v and tau, and the file is flagged nominal_frequencies.
  ModeSet band_material(const std::string &name, const std::vector<Band> &bands,
                        double temperature, Statistics statistics, double omega_max,
                        const AngularQuadrature &quadrature);
} // namespace kapitza
