#pragma once
// Symmetric Sinkhorn balancing of a non-negative symmetric kernel K: d >= 0 with
// d_i (K d)_i = t_i, so that the flux matrix d K d (symmetric: detailed balance) has the row
// sums t. The strain mismatch model (strain_mismatch.h) shares the flux of each frequency
// channel this way.

#include <Eigen/Dense>


namespace kapitza
{
  /// What bounds d: the strain part's golden rule (d <= 1: a row never scatters more than
  /// its golden-rule rate) or nothing (the background kernel only says which final states
  /// keep q_par).
  enum class BalanceBound
  {
    golden_rule,
    none
  };

  /// Balancing from above: d_i (K d)_i = t_i on the rows of K that are not zero where an
  /// exact solution exists; where none does (a kernel without total support), the rows that
  /// cannot be served end below t, and d (K d) <= t holds to round-off on return (a last
  /// pass scales down any row above its target, which only lowers the others).
  Eigen::VectorXd symmetric_balance(const Eigen::MatrixXd &K, const Eigen::VectorXd &t, BalanceBound bound);
} // namespace kapitza
