#include "scattering/mixing_operator.h"

#include <cblas.h>

namespace kapitza
{
  DenseMixing::DenseMixing(const ModeSet &modes, const ModeDistribution &distribution)
    : distribution(distribution)
  {
    const Eigen::VectorXd rate = modes.relaxation_rate();
    local_rows = -modes.collision.middleRows(distribution.local_begin(), distribution.n_local());
    for (int i = 0; i < distribution.n_local(); ++i)
      local_rows(i, distribution.local_begin() + i) += rate[distribution.local_begin() + i];
  }

  void DenseMixing::apply(const RowMatrix &psi_local, RowMatrix &out_local) const
  {
    const int       n_columns = psi_local.cols();
    const RowMatrix all       = gather_modes(psi_local, distribution);
    // One matrix-matrix product over all DoFs of the region: the BLAS-3 step.
    out_local.resize(local_rows.rows(), n_columns);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, local_rows.rows(), n_columns,
                local_rows.cols(), 1.0, local_rows.data(), local_rows.cols(), all.data(), n_columns,
                0.0, out_local.data(), n_columns);
  }

  RankOneRtaMixing::RankOneRtaMixing(const ModeSet &modes, const ModeDistribution &distribution)
    : distribution(distribution)
  {
    const Eigen::VectorXd rate = modes.relaxation_rate();
    const Eigen::VectorXd h    = constants::hbar * modes.omega;
    const Eigen::VectorXd c    = modes.heat_capacity();
    const double          norm = c.dot(rate);
    const int b = distribution.local_begin(), n = distribution.n_local();
    factors.emission   = h.segment(b, n).cwiseProduct(rate.segment(b, n));
    factors.absorption = c.segment(b, n).cwiseProduct(rate.segment(b, n)).cwiseQuotient(h.segment(b, n)) /
                 norm;
  }

  void RankOneRtaMixing::apply(const RowMatrix &psi_local, RowMatrix &out_local) const
  {
    Eigen::VectorXd partial = psi_local.transpose() * factors.absorption;
    Eigen::VectorXd total(partial.size());
    MPI_Allreduce(partial.data(), total.data(), partial.size(), MPI_DOUBLE, MPI_SUM,
                  distribution.communicator);
    out_local.noalias() = factors.emission * total.transpose();
  }

  std::unique_ptr<MixingOperator> create_mixing_operator(const ModeSet          &modes,
                                                         const ModeDistribution &distribution)
  {
    if (modes.has_collision())
      return std::make_unique<DenseMixing>(modes, distribution);
    return std::make_unique<RankOneRtaMixing>(modes, distribution);
  }
} // namespace kapitza
