#pragma once
// The time-dependent BTE  d psi/dt + (D - K) psi = 0  (Solver/Method = transient), stepped
// by implicit Euler: each step
//   (1/dt + D - K) psi^(n+1) = psi^n / dt
// is the steady-state problem (steady_state.h) with every mode's extinction raised by 1/dt
// (the mixing K unchanged) and the per-mode volume source psi^n / dt, solved by the same
// GMRES. The raised extinction makes I - A non-singular, so the closed-system gauge is off
// during steps, and the diffusion preconditioner (a model of steady conduction) is not used.
// Implicit Euler keeps the discrete energy balance of every step, E^(n+1) = E^n - dt times
// the heat leaving through the walls at step n+1 (to the solver tolerance; exactly
// conserved in a closed system), and its time integral is exact:
//   dt sum_{n=1..N} psi^n = (D - K)^-1 (psi^0 - psi^N).

#include "solver/steady_state.h"

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <string>

namespace kapitza
{
  /// Subsection Transient of the input file (docs/transient.md).
  struct TransientSettings
  {
    /// Initial population = source: psi^0 = G (1 s), the Sources term held for this long,
    /// so that int_0^inf psi dt is the steady state of the source times this time.
    static constexpr double source_hold_time = 1.0; // [s]

    double       time_step    = 0; // [s]
    unsigned int steps        = 0;
    unsigned int output_every = 1; // steps between recorded outputs
    std::string  initial      = "source";

    static void declare(dealii::ParameterHandler &prm);
    /// Reads the subsection; `transient`: Solver/Method = transient. Refuses in one line a
    /// bad value, a transient run without Sources (`sources`: Sources/Profile is set) or
    /// with resolved events, and Transient entries set for another method.
    void parse(dealii::ParameterHandler &prm, bool transient, bool sources, unsigned int events);
  };

  /// Called after each step with n = 1..steps and psi^n.
  using StepCallback = std::function<void(unsigned int, const ModeField &)>;

  /// Steps psi from psi^0 to psi^steps with the GMRES of `settings` (its unknown and
  /// tolerance). The operator is raised by 1/time_step and fed psi^n / time_step during the
  /// steps and restored afterwards. The report: converged if every step converged, the
  /// total GMRES iterations, the largest relative residual.
  template <int dim>
  SolveReport step_transient(EventOperator<dim> &events, const SolverSettings &settings, double time_step,
                             unsigned int steps, ModeField &psi, const StepCallback &on_step);
} // namespace kapitza
