#pragma once
// The EELS temperature as the experiment fits it (Liu et al., Nature 2025, Methods):
// detailed balance of the electron-phonon scattering gives ln(I_loss/I_gain) = E/(k_B T)
// in equilibrium, so a least-squares line through the origin over an energy window gives
// the slope 1/(k_B T) and its standard error (MATLAB fitlm without intercept).
// The spectra are noise free: every energy of the window with a positive loss and gain
// enters, and the standard error measures how far ln(loss/gain) is from a line through
// the origin (resolution bias, non-equilibrium), not counting noise.

#include <Eigen/Dense>

namespace kapitza
{
  struct TemperatureFit
  {
    double temperature = 0; // [K]; NaN without points
    double error       = 0; // standard error [K]; NaN with fewer than two points
    int    points      = 0; // energies used
  };

  /// Zero-intercept fit of ln(loss/gain) = E/(k_B T) over lo <= E <= hi [J].
  TemperatureFit fit_temperature(const Eigen::VectorXd &energies, const Eigen::VectorXd &loss,
                                 const Eigen::VectorXd &gain, double lo, double hi);

  /// Integral of a spectrum over lo <= E <= hi (rectangle rule on the axis) [spectrum x J].
  double window_intensity(const Eigen::VectorXd &energies, const Eigen::VectorXd &spectrum,
                          double lo, double hi);
} // namespace kapitza
