#include "scattering/mixing_operator.h"

#include <cblas.h>

namespace kapitza
{
  DenseMixing::DenseMixing(const ModeSet &modes, const ModeDistribution &distribution)
    : omega(modes.collision)
    , local_rate(modes.relaxation_rate().segment(distribution.local_begin(), distribution.n_local()))
    , distribution(distribution)
  {}

  void DenseMixing::apply(const RowMatrix &psi_local, RowMatrix &out_local) const
  {
    const int       n_columns = psi_local.cols(), n_local = distribution.n_local();
    const RowMatrix all       = gather_modes(psi_local, distribution);
    // One matrix-matrix product over all DoFs of the region, the BLAS-3 step, on the local
    // rows of the set's own (column-major) Omega: out^T = -all^T Omega_local^T in column
    // major is out = -Omega_local all in row major.
    out_local.resize(n_local, n_columns);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n_columns, n_local, omega.cols(), -1.0, all.data(),
                n_columns, omega.data() + distribution.local_begin(), omega.rows(), 0.0, out_local.data(),
                n_columns);
    out_local += local_rate.asDiagonal() * psi_local;
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
