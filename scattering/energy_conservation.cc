#include "scattering/energy_conservation.h"

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
    ConservationReport report;
    const Eigen::MatrixXd &omega_matrix = modes.collision;
    const Eigen::VectorXd  h            = constants::hbar * modes.omega;
    const Eigen::VectorXd  e            = modes.energy_weight();

    const Eigen::VectorXd row       = omega_matrix * h;
    const Eigen::VectorXd row_scale = omega_matrix.cwiseAbs() * h;
    report.stationarity = row.cwiseAbs().maxCoeff() / row_scale.maxCoeff();

    const Eigen::VectorXd column       = omega_matrix.transpose() * e;
    const Eigen::VectorXd column_scale = omega_matrix.cwiseAbs().transpose() * e;
    report.creation = column.cwiseAbs().maxCoeff() / column_scale.maxCoeff();

    const Eigen::MatrixXd a = symmetrizing_weight(modes).asDiagonal() * omega_matrix;
    report.asymmetry = (a - a.transpose()).cwiseAbs().maxCoeff() / a.cwiseAbs().maxCoeff();
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
