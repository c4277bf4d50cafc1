#pragma once
// The mixing (in-scattering) operator M of the linearized BTE,
//   v . grad psi + psi / tau = M psi + G,   Omega = diag(1/tau) - M,
// applied to the (modes x DoFs) state of one material region. Modes are distributed
// over MPI ranks in contiguous blocks; each rank applies the rows of its own modes.

#include "scattering/mode_distribution.h"

#include <memory>

namespace kapitza
{
  /// M = emission absorption^T (local rows of each): the mixing of a rank-one operator.
  struct RankOneFactors
  {
    Eigen::VectorXd emission, absorption;
  };

  class MixingOperator
  {
  public:
    virtual ~MixingOperator() = default;
    /// out = M psi for the local rows (modes) of psi, over all its columns (DoFs).
    virtual void apply(const RowMatrix &psi_local, RowMatrix &out_local) const = 0;
    virtual std::string name() const = 0;
    /// The factors of a rank-one M, or null: the solver can then iterate on the one
    /// moment absorption^T psi per DoF instead of on psi.
    virtual const RankOneFactors *rank_one() const { return nullptr; }
  };

  /// Dense Omega from the mode database: M psi is one matrix-matrix product (BLAS).
  class DenseMixing : public MixingOperator
  {
  public:
    DenseMixing(const ModeSet &modes, const ModeDistribution &distribution);
    void        apply(const RowMatrix &psi_local, RowMatrix &out_local) const override;
    std::string name() const override { return "dense collision matrix"; }

  private:
    // M = diag(1/tau) - Omega, applied from the set's Omega (no copy: it is most of a
    // large run's memory) and the local relaxation rates.
    const Eigen::MatrixXd  &omega;
    const Eigen::VectorXd   local_rate;
    const ModeDistribution &distribution;
  };

  /// Energy-conserving rank-one relaxation-time mixing (DESIGN.md section 1):
  /// M psi|_mu = (hbar omega_mu / tau_mu) sum_mu' a_mu' psi_mu', O(N) per point.
  class RankOneRtaMixing : public MixingOperator
  {
  public:
    RankOneRtaMixing(const ModeSet &modes, const ModeDistribution &distribution);
    void        apply(const RowMatrix &psi_local, RowMatrix &out_local) const override;
    std::string name() const override { return "rank-one RTA"; }
    const RankOneFactors *rank_one() const override { return &factors; }

  private:
    // emission: hbar omega / tau; absorption: C / (tau hbar omega) / sum C/tau (local modes)
    RankOneFactors          factors;
    const ModeDistribution &distribution;
  };

  /// Dense when the set has a collision matrix (applied from the set's own matrix: the set
  /// must outlive the operator), rank-one RTA otherwise.
  std::unique_ptr<MixingOperator> create_mixing_operator(const ModeSet          &modes,
                                                         const ModeDistribution &distribution);
} // namespace kapitza
