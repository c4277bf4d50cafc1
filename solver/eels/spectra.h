#pragma once
// One-phonon loss and gain spectra of a set of modes with given populations n_mu:
//   loss(E) = sum_mu rho_mu f_mu (n_mu + 1) / omega_mu g(E - hbar omega_mu),
//   gain(E) = sum_mu rho_mu f_mu  n_mu      / omega_mu g(E - hbar omega_mu),
// gain plotted at positive energy, g the Gaussian energy resolution (unit area, [1/J]).
// Each mode enters with its density rho_mu [1/m^3]: a mode stands for rho_mu states per
// volume (q-point weight / (N_q V_cell)), so the spectra of a mode set do not depend on
// how finely its Brillouin zone was sampled. Units: [f] m^-3 s J^-1.

#include "scattering/mode_distribution.h"
#include "scattering/mode_set.h"
#include "solver/eels/eels_parameters.h"

namespace kapitza
{
  /// The energy axis E_k = k dE (k = 1, 2, ...) up to top + 5 standard deviations of the
  /// resolution (FWHM `resolution`), so that the highest peak is complete [J].
  Eigen::VectorXd energy_axis(double top, double resolution, double step);

  /// Equilibrium occupation nbar at T0 (Bose-Einstein; classical k_B T0 / hbar omega).
  Eigen::VectorXd equilibrium_occupation(const ModeSet &modes);

  /// Adds the spectra of modes with energies `mode_energy` [J] and strengths
  /// rho f / omega to `loss` and `gain` (energies x points). `occupation` (modes x points)
  /// holds sum_s W_s n_mu(s) over the probe samples s of each point and `probe_weight`
  /// (points) sum_s W_s, so that the "+1" of the loss enters with the same weights.
  void add_spectra(const Eigen::VectorXd &energies, double resolution,
                   const Eigen::VectorXd &mode_energy, const Eigen::VectorXd &strength,
                   const RowMatrix &occupation, const Eigen::RowVectorXd &probe_weight,
                   Eigen::MatrixXd &loss, Eigen::MatrixXd &gain);
} // namespace kapitza
