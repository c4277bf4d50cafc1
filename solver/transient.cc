#include "solver/transient.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace kapitza
{
  void TransientSettings::declare(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.enter_subsection("Transient");
    prm.declare_entry("Time step", "0", Double(), "[s] implicit Euler step (Solver/Method = transient)");
    prm.declare_entry("Steps", "0", Integer(0), "number of time steps");
    prm.declare_entry("Output every", "1", Integer(1), "steps between recorded outputs (transient/ of the results)");
    prm.declare_entry("Initial population", "source", Selection("source"),
                      "source: psi^0 = G (1 s), the Sources term held for one second, so that the "
                      "time integral of psi is the steady state of the source times 1 s");
    prm.leave_subsection();
  }

  void TransientSettings::parse(dealii::ParameterHandler &prm, bool transient, bool sources, unsigned int events)
  {
    prm.enter_subsection("Transient");
    time_step    = prm.get_double("Time step");
    steps        = prm.get_integer("Steps");
    output_every = prm.get_integer("Output every");
    initial      = prm.get("Initial population");
    prm.leave_subsection();
    if (!transient)
      {
        if (time_step != 0 || steps != 0)
          throw std::runtime_error("Transient/Time step and Steps are used only by Solver/Method = transient");
        return;
      }
    if (!(time_step > 0) || !std::isfinite(time_step))
      throw std::runtime_error("Transient/Time step must be a positive, finite time [s]");
    if (steps == 0)
      throw std::runtime_error("Transient/Steps must be at least 1");
    if (!sources)
      throw std::runtime_error("Solver/Method = transient needs Sources: Initial population = source "
                               "starts from the Sources term held for 1 s");
    if (events > 0)
      throw std::runtime_error("Solver/Events is not used by Method = transient (set it to 0)");
  }

  namespace
  {
    // Restores the operator's steady form on every way out of the steps.
    template <int dim>
    struct SteppingForm
    {
      SteppingForm(EventOperator<dim> &events, double time_step, const ModeField &source)
        : events(events)
      {
        events.set_extra_extinction(1 / time_step);
        events.set_mode_source(&source);
      }
      ~SteppingForm()
      {
        events.set_mode_source(nullptr);
        events.set_extra_extinction(0);
      }
      EventOperator<dim> &events;
    };
  } // namespace

  template <int dim>
  SolveReport step_transient(EventOperator<dim> &events, const SolverSettings &settings, double time_step,
                             unsigned int steps, ModeField &psi, const StepCallback &on_step)
  {
    SolverSettings step   = settings;
    step.method           = "accelerated";
    step.events           = 0;
    step.closed_system    = false; // 1/dt > 0: no null space
    step.preconditioner   = "none";
    step.verbose          = false;
    ModeField          source;
    SteppingForm<dim>  form(events, time_step, source);
    const auto         unknown = create_event_unknown<dim>(events, step.unknown, step.tolerance, nullptr);
    SolveReport        report;
    report.converged = true;
    for (unsigned int n = 1; n <= steps; ++n)
      {
        source = psi;
        for (RowMatrix &region : source.region)
          region /= time_step;
        const SolveReport solved = solve_steady_state<dim>(*unknown, step, psi, {});
        report.converged         = report.converged && solved.converged;
        report.iterations += solved.iterations;
        report.residual = std::max(report.residual, solved.residual);
        on_step(n, psi);
      }
    return report;
  }

  template SolveReport step_transient<1>(EventOperator<1> &, const SolverSettings &, double, unsigned int,
                                         ModeField &, const StepCallback &);
  template SolveReport step_transient<2>(EventOperator<2> &, const SolverSettings &, double, unsigned int,
                                         ModeField &, const StepCallback &);
  template SolveReport step_transient<3>(EventOperator<3> &, const SolverSettings &, double, unsigned int,
                                         ModeField &, const StepCallback &);
} // namespace kapitza
