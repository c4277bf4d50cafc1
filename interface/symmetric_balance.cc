#include "interface/symmetric_balance.h"

#include <algorithm>
#include <cmath>

namespace kapitza
{
  namespace
  {
    constexpr unsigned int sweep_limit = 2000;
    /// The sweeps stop when no row's flux moves by more than this fraction of its target.
    constexpr double flux_tolerance = 1e-14;
    /// Without a bound, d still stays below this (no overflow where no exact solution exists).
    constexpr double overflow_guard = 1e100;
  } // namespace

  // Where no exact solution exists, d itself never settles: the rows that cannot be served
  // grow toward the guard and their partners shrink toward zero, their products nearly
  // fixed, while the flux d_i K_ik d_k moves less and less. The sweeps therefore stop on the
  // flux (what the model uses), not on d. Kernels whose unserved rows keep drawing flux from
  // their partners still run to the sweep limit (docs/roadmap.md counts them).
  Eigen::VectorXd symmetric_balance(const Eigen::MatrixXd &K, const Eigen::VectorXd &t, BalanceBound bound)
  {
    const double    cap  = bound == BalanceBound::golden_rule ? 1 : overflow_guard;
    Eigen::VectorXd d    = Eigen::VectorXd::Ones(t.size());
    Eigen::VectorXd flux = Eigen::VectorXd::Constant(t.size(), -1); // no sweep yet
    for (unsigned int sweep = 0; sweep < sweep_limit; ++sweep)
      {
        const Eigen::VectorXd row    = K * d;
        double                change = 0;
        for (int i = 0; i < t.size(); ++i)
          if (row[i] > 0)
            {
              const double now = d[i] * row[i];
              if (t[i] > 0) // a row with no target is emptied by its first sweep
                change = std::max(change, std::abs(now - flux[i]) / t[i]);
              flux[i] = now;
              d[i]    = std::min(cap, std::sqrt(d[i] * t[i] / row[i]));
            }
        if (change < flux_tolerance)
          break;
      }
    const Eigen::VectorXd row = d.cwiseProduct(K * d);
    for (int i = 0; i < t.size(); ++i)
      if (row[i] > t[i])
        d[i] *= t[i] / row[i];
    return d;
  }
} // namespace kapitza
