#pragma once
// Acoustic mismatch (AMM) at an interface point with normal n (from a into b): specular,
// elastic, conserving the wavevector component along the interface. A mode of speed v_a
// arriving at angle theta_a refracts into sin(theta_b) = (v_b / v_a) sin(theta_a) (total
// internal reflection beyond 1) and carries the fraction
//   tau = 4 Z_a Z_b cos(theta_a) cos(theta_b) / (Z_b cos(theta_a) + Z_a cos(theta_b))^2
// of its energy flux (Z = mass density x speed, the acoustic impedance); the rest is
// reflected into its mirror mode. On discrete direction sets each arriving mode stands for
// a cell of the conserved parallel wavevector k = sin(theta) / v (per frequency: cells
// between the midpoints of neighbouring modes of one azimuth, up to 1/v). Modes of the two
// sides couple through the overlap of their cells,
//   S_ij = tau(k_mid) min(W_i |I_i ^ J_j| / |I_i|, W_j |I_i ^ J_j| / |J_j|),
// with W the equilibrium energy flux of a mode and |.| the measure k dk of a cell. S is
// symmetric (detailed balance) and no row or column exceeds W (energy conservation);
// both hold exactly, and in the continuum S tends to the AMM coupling (reciprocity,
// tau_ab(theta_a) = tau_ba(theta_b)). Modes beyond the other side's largest k are
// totally reflected.
// Needs isotropic bands: one speed per frequency channel on each side, equal azimuths.
// Anisotropic (ab initio) sets: anisotropic_mismatch.h; the amm model picks by isotropic_bands().

#include "interface/mode_coupling.h"

namespace kapitza
{
  /// Whether every channel of `modes` holds one speed (model materials).
  bool isotropic_bands(const ModeSet &modes, const std::vector<int> &channel);

  ModeCoupling acoustic_mismatch(const ModeSet &a, const ModeSet &b,
                                     const std::vector<int> &channel_a,
                                     const std::vector<int> &channel_b,
                                     const Eigen::Vector3d &normal, double density_a,
                                     double density_b);
} // namespace kapitza
