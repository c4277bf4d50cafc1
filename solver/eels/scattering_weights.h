#pragma once
// Weight f_mu of each phonon mode in the one-phonon EELS cross section
//   d^2 sigma / dE dOmega ~ sum_mu f_mu [(n_mu + 1) / omega_mu g(E - hbar omega_mu)  (loss)
//                                        + n_mu / omega_mu g(E - hbar omega_mu)]      (gain)
// (peer-review file of Liu et al., Nature 2025, response 3.3, eq. 1):
//  - dos:    f = 1 for every mode: the spectra follow the phonon density of states;
//  - dipole: the impact/dipole form factor in the small-q limit (e^{-i q.r_k} -> 1, no
//            Debye-Waller factor), f = |q . a_mu|^2 / q^2 with
//            a_mu = sum_k Z*_k e_mu(k) / sqrt(M_k) (Z* rows: field, columns: displacement),
//            averaged over the momentum transfers q the collection aperture accepts. The beam
//            runs along z, so q lies in the x-y plane: on-axis the aperture is centred and f is
//            the average over in-plane directions, (|a_x|^2 + |a_y|^2) / 2; off-axis it is
//            the aperture's direction q = (sin theta, cos theta, 0), theta measured from the
//            interface plane (y-z) toward the interface normal x (the aperture's own angular
//            spread is neglected). Units: [e^2/kg] (Z* in e, M in kg).

#include "scattering/mode_set.h"

namespace kapitza
{
  struct EelsParameters;

  /// f_mu for every mode of `modes`. dipole needs eigenvectors, masses and Born charges
  /// of consistent shapes; otherwise one line naming the material and what is missing.
  Eigen::VectorXd scattering_weights(const ModeSet &modes, const EelsParameters &parameters);
} // namespace kapitza
