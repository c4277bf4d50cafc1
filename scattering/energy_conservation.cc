#include "scattering/energy_conservation.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // k_B T0^2 W = diag(e / s): the weight that makes the collision matrix symmetric.
    Eigen::VectorXd symmetrizing_weight(const ModeSet &modes)
    {
      return modes.energy_weight().cwiseQuotient(modes.uniform_shift());
    }
  } // namespace

  ConservationReport measure_conservation(const ModeSet &modes)
  {
    // Column by column and tile by tile: no temporary of the matrix's size, which is most
    // of a large run's memory.
    ConservationReport     report;
    const Eigen::MatrixXd &omega_matrix = modes.collision;
    const Eigen::Index     n            = omega_matrix.rows();
    const Eigen::VectorXd  h            = constants::hbar * modes.omega;
    const Eigen::VectorXd  e            = modes.energy_weight();

    const Eigen::VectorXd row = omega_matrix * h, column = omega_matrix.transpose() * e;
    Eigen::VectorXd       row_scale = Eigen::VectorXd::Zero(n), column_scale(n);
    for (Eigen::Index j = 0; j < n; ++j)
      {
        row_scale += omega_matrix.col(j).cwiseAbs() * h[j];
        column_scale[j] = omega_matrix.col(j).cwiseAbs().dot(e);
      }
    report.stationarity = row.cwiseAbs().maxCoeff() / row_scale.maxCoeff();
    report.creation     = column.cwiseAbs().maxCoeff() / column_scale.maxCoeff();

    // a = W Omega against its transpose, tile (i, j) against tile (j, i), each pair once.
    const Eigen::VectorXd w    = symmetrizing_weight(modes);
    constexpr Eigen::Index tile = 64;
    double largest = 0, asymmetry = 0;
    for (Eigen::Index j = 0; j < n; j += tile)
      for (Eigen::Index i = j; i < n; i += tile)
        {
          const Eigen::Index rows = std::min(tile, n - i), cols = std::min(tile, n - j);
          const Eigen::MatrixXd a  = w.segment(i, rows).asDiagonal() * omega_matrix.block(i, j, rows, cols);
          const Eigen::MatrixXd at = (w.segment(j, cols).asDiagonal() * omega_matrix.block(j, i, cols, rows)).transpose();
          largest   = std::max({largest, a.cwiseAbs().maxCoeff(), at.cwiseAbs().maxCoeff()});
          asymmetry = std::max(asymmetry, (a - at).cwiseAbs().maxCoeff());
        }
    report.asymmetry = asymmetry / largest;
    return report;
  }

  ConservationReport enforce_conservation(ModeSet &modes)
  {
    ConservationReport report = measure_conservation(modes);
    const double worst =
      std::max({report.stationarity, report.creation, report.asymmetry});
    if (worst <= conservation_roundoff)
      return report;
    if (!(worst <= conservation_correctable))
      {
        std::ostringstream message;
        message << "collision matrix of '" << modes.material
                << "' violates energy conservation or detailed balance (relative residuals "
                << report.stationarity << ", " << report.creation << ", asymmetry "
                << report.asymmetry << " > " << conservation_correctable << ")";
        throw std::runtime_error(message.str());
      }
    const Eigen::VectorXd weight = symmetrizing_weight(modes);
    Eigen::MatrixXd       a      = weight.asDiagonal() * modes.collision;
    a = 0.5 * (a + a.transpose()).eval();
    const Eigen::VectorXd h  = (constants::hbar * modes.omega).normalized();
    const Eigen::VectorXd ah = a * h;
    // P A P with P = I - h h^T, expanded to avoid forming P.
    a -= ah * h.transpose() + h * ah.transpose();
    a += (h.dot(ah)) * h * h.transpose();
    const Eigen::MatrixXd corrected = weight.cwiseInverse().asDiagonal() * a;
    report.correction = (corrected - modes.collision).cwiseAbs().maxCoeff() /
                        modes.collision.cwiseAbs().maxCoeff();
    modes.collision = corrected;
    return report;
  }
} // namespace kapitza
