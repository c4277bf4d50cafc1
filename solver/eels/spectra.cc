#include "solver/eels/spectra.h"

#include <cblas.h>

#include <cmath>

namespace kapitza
{
  Eigen::VectorXd energy_axis(double top, double resolution, double step)
  {
    const double sigma = resolution / (2 * std::sqrt(2 * std::log(2.0)));
    const int    n     = int(std::ceil((top + 5 * sigma) / step));
    return Eigen::VectorXd::LinSpaced(n, step, n * step);
  }

  Eigen::VectorXd equilibrium_occupation(const ModeSet &modes)
  {
    const double    kT = constants::boltzmann * modes.temperature;
    Eigen::VectorXd n(modes.size());
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        const double x = constants::hbar * modes.omega[mu] / kT;
        n[mu]          = modes.statistics == Statistics::classical ? 1 / x : 1 / std::expm1(x);
      }
    return n;
  }

  void add_spectra(const Eigen::VectorXd &energies, double resolution,
                   const Eigen::VectorXd &mode_energy, const Eigen::VectorXd &strength,
                   const RowMatrix &occupation, const Eigen::RowVectorXd &probe_weight,
                   Eigen::MatrixXd &loss, Eigen::MatrixXd &gain)
  {
    const double sigma = resolution / (2 * std::sqrt(2 * std::log(2.0)));
    const double norm  = 1 / (sigma * std::sqrt(2 * M_PI));
    const int    n_e = energies.size(), n_points = occupation.cols();
    // Blocks of modes bound the memory of the line-shape matrix G (energies x modes).
    const int block = 2048;
    for (int first = 0; first < mode_energy.size(); first += block)
      {
        const int       m = std::min<int>(block, mode_energy.size() - first);
        Eigen::MatrixXd g(n_e, m);
        for (int j = 0; j < m; ++j)
          for (int k = 0; k < n_e; ++k)
            {
              const double x = (energies[k] - mode_energy[first + j]) / sigma;
              g(k, j)        = strength[first + j] * norm * std::exp(-0.5 * x * x);
            }
        // gain += G N; loss += G N + (G 1) W: one BLAS-3 product per block.
        Eigen::MatrixXd product(n_e, n_points);
        // The block's rows of `occupation` (row-major) are a column-major points x m matrix.
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n_e, n_points, m, 1.0, g.data(), n_e,
                    occupation.data() + std::size_t(first) * n_points, n_points, 0.0, product.data(), n_e);
        gain += product;
        loss += product + g.rowwise().sum() * probe_weight;
      }
  }
} // namespace kapitza
