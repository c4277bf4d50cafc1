#pragma once
// Energy conservation and detailed balance of a collision matrix (DESIGN.md section 1):
//   sum_mu' Omega_mu,mu' hbar omega_mu' = 0          (a uniform shift is stationary)
//   sum_mu rho w hbar omega_mu Omega_mu,mu' = 0      (scattering creates no energy)
//   W Omega symmetric, W = diag(rho w)               (detailed balance)

#include "scattering/mode_set.h"

namespace kapitza
{
  struct ConservationReport
  {
    double stationarity = 0;  // max_mu |sum_mu' Omega hbar omega'| / max_mu sum |Omega| hbar omega'
    double creation     = 0;  // the transposed identity, weighted by rho w hbar omega
    double asymmetry    = 0;  // ||W Omega - (W Omega)^T||_max / ||W Omega||_max
    double correction   = 0;  // ||Omega_new - Omega||_max / ||Omega||_max (0 if untouched)
  };

  /// Relative residuals of the three identities above.
  ConservationReport measure_conservation(const ModeSet &modes);

  /// Residuals at or below this are round-off: the matrix is used as it is.
  constexpr double conservation_roundoff = 1e-12;
  /// Residuals up to this are corrected by the symmetric projection; above, the run stops.
  constexpr double conservation_correctable = 1e-3;

  /// Checks the collision matrix; corrects it when the residuals are small but above
  /// round-off by the Frobenius-nearest matrix that satisfies all three identities:
  /// A = k_B T0^2 W Omega is symmetrized and projected, A' = P sym(A) P with
  /// P = I - h h^T / h^T h (h = hbar omega), then Omega' = (k_B T0^2 W)^-1 A'.
  /// Throws with one line when the residuals exceed conservation_correctable.
  ConservationReport enforce_conservation(ModeSet &modes);
} // namespace kapitza
