#include "solver/eels/temperature_fit.h"

#include "scattering/mode_set.h"
#include "solver/eels/eels_parameters.h"

#include <cmath>
#include <limits>
#include <vector>

namespace kapitza
{
  namespace
  {
    // Window bounds hold to round-off: an axis point k dE equal to a bound in eV is inside.
    bool inside(double energy, double lo, double hi)
    {
      return energy >= lo * (1 - 1e-12) && energy <= hi * (1 + 1e-12);
    }
  } // namespace

  TemperatureFit fit_temperature(const Eigen::VectorXd &energies, const Eigen::VectorXd &loss,
                                 const Eigen::VectorXd &gain, double lo, double hi)
  {
    std::vector<double> x, y; // energies in eV (sums of J^2 would be badly scaled), ln ratio
    for (Eigen::Index k = 0; k < energies.size(); ++k)
      if (inside(energies[k], lo, hi) && loss[k] > 0 && gain[k] > 0)
        {
          x.push_back(energies[k] / electron_volt);
          y.push_back(std::log(loss[k] / gain[k]));
        }
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    TemperatureFit   fit{nan, nan, int(x.size())};
    double           sxx = 0, sxy = 0;
    for (std::size_t k = 0; k < x.size(); ++k)
      sxx += x[k] * x[k], sxy += x[k] * y[k];
    if (x.empty() || sxy <= 0)
      return fit;
    const double slope     = sxy / sxx; // 1/(k_B T) [1/eV]
    const double to_kelvin = electron_volt / constants::boltzmann;
    fit.temperature        = to_kelvin / slope;
    if (x.size() > 1)
      {
        double residual = 0;
        for (std::size_t k = 0; k < x.size(); ++k)
          residual += (y[k] - slope * x[k]) * (y[k] - slope * x[k]);
        const double slope_error = std::sqrt(residual / (x.size() - 1) / sxx);
        fit.error                = to_kelvin * slope_error / (slope * slope);
      }
    return fit;
  }

  double window_intensity(const Eigen::VectorXd &energies, const Eigen::VectorXd &spectrum,
                          double lo, double hi)
  {
    const double step = energies.size() > 1 ? energies[1] - energies[0] : 0;
    double       sum  = 0;
    for (Eigen::Index k = 0; k < energies.size(); ++k)
      if (inside(energies[k], lo, hi))
        sum += spectrum[k];
    return sum * step;
  }
} // namespace kapitza
