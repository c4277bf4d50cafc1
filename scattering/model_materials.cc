#include "scattering/model_materials.h"
#include "scattering/file_checks.h"

#include <deal.II/base/quadrature_lib.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Gauss-Legendre nodes and weights on [a, b] (weights sum to b - a).
    void gauss_legendre(unsigned int n, double a, double b, std::vector<double> &x,
                        std::vector<double> &w)
    {
      const dealii::QGauss<1> rule(n);
      for (unsigned int i = 0; i < n; ++i)
        {
          x.push_back(a + (b - a) * rule.point(i)[0]);
          w.push_back((b - a) * rule.weight(i));
        }
    }

    // Density that gives a mode of this frequency the heat capacity c at T0.
    double density_for_heat_capacity(double c, double omega, const ModeSet &probe_material)
    {
      ModeSet one         = probe_material;
      one.omega           = Eigen::VectorXd::Constant(1, omega);
      one.density         = Eigen::VectorXd::Ones(1);
      return c / one.heat_capacity()[0];
    }

    void append_isotropic_band(ModeSet &modes, double omega, double speed, double tau,
                               double heat_capacity, const AngularQuadrature &quadrature)
    {
      const unsigned int n0 = modes.size(), nq = quadrature.weight.size();
      modes.omega.conservativeResize(n0 + nq);
      modes.velocity.conservativeResize(n0 + nq, 3);
      modes.density.conservativeResize(n0 + nq);
      modes.tau.conservativeResize(n0 + nq);
      const double rho = density_for_heat_capacity(heat_capacity, omega, modes);
      for (unsigned int k = 0; k < nq; ++k)
        {
          modes.omega[n0 + k]        = omega;
          modes.velocity.row(n0 + k) = speed * quadrature.direction[k].transpose();
          modes.density[n0 + k]      = rho * quadrature.weight[k];
          modes.tau[n0 + k]          = tau;
        }
    }
  } // namespace

  AngularQuadrature product_quadrature(unsigned int n_polar, unsigned int n_azimuth,
                                       bool half_range, unsigned int axis)
  {
    if (n_polar < 1 || n_azimuth < 1 || (half_range && n_polar % 2 != 0) || axis > 2)
      throw std::runtime_error("angular quadrature needs n_polar >= 1 (even for half-range), "
                               "n_azimuth >= 1 and a polar axis 0, 1 or 2");
    std::vector<double> mu, w;
    if (half_range)
      {
        gauss_legendre(n_polar / 2, -1, 0, mu, w);
        gauss_legendre(n_polar / 2, 0, 1, mu, w);
      }
    else
      gauss_legendre(n_polar, -1, 1, mu, w);

    AngularQuadrature q;
    for (unsigned int i = 0; i < mu.size(); ++i)
      for (unsigned int k = 0; k < n_azimuth; ++k)
        {
          const double phi = (k + 0.5) * 2 * M_PI / n_azimuth;
          const double s   = std::sqrt(std::max(0.0, 1 - mu[i] * mu[i]));
          Eigen::Vector3d direction;
          direction[axis]           = mu[i];
          direction[(axis + 1) % 3] = s * std::cos(phi);
          direction[(axis + 2) % 3] = s * std::sin(phi);
          q.direction.push_back(direction);
          q.weight.push_back(0.5 * w[i] / n_azimuth);
        }
    return q;
  }

  ModeSet gray_material(const GrayMaterial &gray, const AngularQuadrature &quadrature)
  {
    ModeSet modes;
    modes.material    = gray.name;
    modes.temperature = gray.temperature;
    modes.statistics  = gray.statistics;
    append_isotropic_band(modes, gray.omega, gray.speed, gray.tau, gray.heat_capacity,
                          quadrature);
    return modes;
  }

  std::vector<Band> read_band_file(const std::string &path)
  {
    std::istringstream in(read_text_file(path, "band file"));
    std::vector<Band> bands;
    std::string       line;
    for (unsigned int number = 1; std::getline(in, line); ++number)
      {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        std::istringstream fields(line);
        double             v[5];
        for (double &x : v)
          if (!(fields >> x) || !std::isfinite(x))
            throw std::runtime_error(path + ": line " + std::to_string(number) +
                                     " needs 5 numbers (|v| tau C and two shares)");
        if (v[0] <= 0 || v[1] <= 0 || v[2] <= 0)
          throw std::runtime_error(path + ": line " + std::to_string(number) +
                                   " has a non-positive |v|, tau or C");
        bands.push_back({v[0], v[1], v[2]});
      }
    if (bands.empty())
      throw std::runtime_error(path + ": band file has no bands");
    return bands;
  }

  ModeSet band_material(const std::string &name, const std::vector<Band> &bands,
                        double temperature, Statistics statistics, double omega_max,
                        const AngularQuadrature &quadrature)
  {
    ModeSet modes;
    modes.material            = name;
    modes.temperature         = temperature;
    modes.statistics          = statistics;
    modes.nominal_frequencies = true;
    for (unsigned int b = 0; b < bands.size(); ++b)
      append_isotropic_band(modes, (b + 0.5) * omega_max / bands.size(), bands[b].speed,
                            bands[b].tau, bands[b].heat_capacity, quadrature);
    return modes;
  }
} // namespace kapitza
