#include "scattering/ab_initio/delta_function.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    std::string Smearing::describe() const
    {
      if (method == Method::tetrahedron)
        return "tetrahedron";
      if (width == 0)
        return "gaussian adaptive";
      std::ostringstream text;
      text.precision(17);
      text << "gaussian " << width;
      return text.str();
    }

    Smearing parse_smearing(const std::string &method, const std::string &width)
    {
      Smearing smearing;
      if (method == "tetrahedron" && width.empty())
        return smearing;
      if (method == "gaussian")
        {
          smearing.method = Smearing::Method::gaussian;
          if (width == "adaptive")
            return smearing;
          std::size_t end = 0;
          try
            {
              smearing.width = std::stod(width, &end);
            }
          catch (const std::exception &)
            {
              end = 0;
            }
          if (end == width.size() && end > 0 && smearing.width > 0 &&
              std::isfinite(smearing.width))
            return smearing;
        }
      throw std::runtime_error("smearing '" + method + (width.empty() ? "" : " " + width) +
                               "' is not 'tetrahedron', 'gaussian WIDTH' (WIDTH > 0 in rad/s) "
                               "or 'gaussian adaptive'");
    }

    DeltaFunction::DeltaFunction(const Smearing &smearing, const std::array<int, 3> &size,
                                 const Eigen::Matrix3d &reciprocal)
      : method(smearing)
      , tetrahedra(size, reciprocal)
    {
      for (int i = 0; i < 3; ++i)
        cell_steps.row(i) = 2 * M_PI * reciprocal.row(i) / size[i];
    }

    void DeltaFunction::add_weights(const double *energy, const Positions *gradient,
                                    const double *targets, unsigned int n_targets,
                                    double *weights) const
    {
      if (method.method == Smearing::Method::tetrahedron)
        {
          tetrahedra.add_delta_weights(energy, targets, n_targets, weights);
          return;
        }
      const bool adaptive = method.width == 0;
      if (adaptive && gradient == nullptr)
        throw std::logic_error("adaptive smearing needs the energy gradient");
      const double norm = 1.0 / std::sqrt(2 * M_PI);
      for (unsigned int k = 0; k < tetrahedra.n_points(); ++k)
        {
          double sigma = method.width;
          if (adaptive)
            sigma = std::max(std::sqrt((cell_steps * gradient->row(k).transpose())
                                         .squaredNorm() /
                                       12.0),
                             minimum_adaptive_width);
          for (unsigned int j = 0; j < n_targets; ++j)
            {
              const double x = (targets[j] - energy[k]) / sigma;
              weights[k * n_targets + j] += norm * std::exp(-0.5 * x * x) / sigma;
            }
        }
    }
  } // namespace phonons
} // namespace kapitza
