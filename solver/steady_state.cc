#include "solver/steady_state.h"

#include <petscksp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    using Clock = std::chrono::steady_clock;

    double global_norm(const ModeField &field)
    {
      double local = 0, total = 0;
      for (const RowMatrix &m : field.region)
        local += m.squaredNorm();
      MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      return std::sqrt(total);
    }

    void add(ModeField &to, const ModeField &from, double factor = 1)
    {
      for (unsigned int r = 0; r < to.region.size(); ++r)
        to.region[r] += factor * from.region[r];
    }

    // Rank 0 prints one line per iteration with an estimate of the time left.
    struct Progress
    {
      const char       *what;
      double            tolerance;
      bool              verbose;
      Clock::time_point start = Clock::now();
      double            first = 0;
      void operator()(unsigned int k, double residual)
      {
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (!verbose || rank != 0)
          return;
        if (k == 0)
          first = residual;
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const double gained  = k > 0 && first > 0 ? std::log(first / residual) / k : 0;
        const double needed  = std::log(residual / (tolerance * first));
        const double left    = gained > 0 && needed > 0 ? needed / gained * elapsed / std::max(k, 1u) : 0;
        std::printf("  %s %4u  residual %.3e  elapsed %7.2f s  left ~%7.2f s\n", what, k,
                    residual, elapsed, left);
        std::fflush(stdout);
      }
    };

    template <int dim>
    struct KrylovContext
    {
      const EventOperator<dim> &events;
      const DiffusionAcceleration<dim> *acceleration;
      bool                      closed_system;
      ModeField                 uniform;
      double                    uniform_energy = 1;
      Progress                  progress;
    };

    template <int dim>
    PetscErrorCode apply_operator(Mat matrix, Vec x, Vec y)
    {
      KrylovContext<dim> *context = nullptr;
      MatShellGetContext(matrix, &context);
      ModeField input = context->events.zero_field(), scattered;
      const PetscScalar *in;
      VecGetArrayRead(x, &in);
      input.copy_from(in);
      VecRestoreArrayRead(x, &in);
      const double gauge =
        context->closed_system ? context->events.energy(input) / context->uniform_energy : 0.0;
      context->events.next_event(input, scattered);
      add(input, scattered, -1); // (I - D^-1 K) x
      if (context->closed_system)
        add(input, context->uniform, gauge);
      PetscScalar *out;
      VecGetArray(y, &out);
      input.copy_to(out);
      VecRestoreArray(y, &out);
      return 0;
    }

    template <int dim>
    PetscErrorCode apply_preconditioner(PC pc, Vec x, Vec y)
    {
      KrylovContext<dim> *context = nullptr;
      PCShellGetContext(pc, &context);
      ModeField          field = context->events.zero_field();
      const PetscScalar *in;
      VecGetArrayRead(x, &in);
      field.copy_from(in);
      VecRestoreArrayRead(x, &in);
      context->acceleration->apply(field);
      PetscScalar *out;
      VecGetArray(y, &out);
      field.copy_to(out);
      VecRestoreArray(y, &out);
      return 0;
    }

    template <int dim>
    PetscErrorCode monitor(KSP, PetscInt k, PetscReal residual, void *context)
    {
      static_cast<KrylovContext<dim> *>(context)->progress(k, residual);
      return 0;
    }

    void check(PetscErrorCode code, const char *what)
    {
      if (code != 0)
        throw std::runtime_error(std::string("PETSc failed in ") + what);
    }

    // Solves (I - D^-1 K) r = rhs for r by GMRES; returns (iterations, relative residual).
    template <int dim>
    std::pair<unsigned int, double> krylov_solve(const EventOperator<dim> &events,
                                                 const SolverSettings &settings,
                                                 const DiffusionAcceleration<dim> *acceleration,
                                                 const ModeField &rhs, ModeField &solution,
                                                 bool &converged)
    {
      KrylovContext<dim> context{events, acceleration, settings.closed_system, events.uniform_field(), 1,
                                 Progress{"GMRES iteration", settings.tolerance, settings.verbose}};
      context.uniform_energy = events.energy(context.uniform);
      const PetscInt n = rhs.local_size();
      Mat            matrix;
      Vec            x, b;
      KSP            ksp;
      PC             pc;
      check(MatCreateShell(MPI_COMM_WORLD, n, n, PETSC_DETERMINE, PETSC_DETERMINE, &context, &matrix), "MatCreateShell");
      MatShellSetOperation(matrix, MATOP_MULT, (void (*)(void))apply_operator<dim>);
      VecCreateMPI(MPI_COMM_WORLD, n, PETSC_DETERMINE, &x);
      VecDuplicate(x, &b);
      PetscScalar *data;
      VecGetArray(b, &data);
      rhs.copy_to(data);
      VecRestoreArray(b, &data);
      KSPCreate(MPI_COMM_WORLD, &ksp);
      KSPSetOperators(ksp, matrix, matrix);
      KSPSetType(ksp, KSPGMRES);
      KSPGMRESSetRestart(ksp, settings.restart);
      KSPGetPC(ksp, &pc);
      if (acceleration)
        {
          // Right preconditioning: GMRES still minimizes the true residual.
          PCSetType(pc, PCSHELL);
          PCShellSetContext(pc, &context);
          PCShellSetApply(pc, apply_preconditioner<dim>);
          KSPSetPCSide(ksp, PC_RIGHT);
        }
      else
        PCSetType(pc, PCNONE);
      KSPSetTolerances(ksp, settings.tolerance, 0.0, 1e300, settings.max_iterations);
      KSPMonitorSet(ksp, monitor<dim>, &context, nullptr);
      check(KSPSolve(ksp, b, x), "KSPSolve");
      KSPConvergedReason reason;
      PetscInt           iterations;
      PetscReal          residual, rhs_norm;
      KSPGetConvergedReason(ksp, &reason);
      KSPGetIterationNumber(ksp, &iterations);
      KSPGetResidualNorm(ksp, &residual);
      VecNorm(b, NORM_2, &rhs_norm);
      converged = reason > 0;
      solution  = events.zero_field();
      VecGetArray(x, &data);
      solution.copy_from(data);
      VecRestoreArray(x, &data);
      KSPDestroy(&ksp);
      VecDestroy(&x);
      VecDestroy(&b);
      MatDestroy(&matrix);
      return {iterations, rhs_norm > 0 ? residual / rhs_norm : 0.0};
    }
  } // namespace

  template <int dim>
  SolveReport solve_steady_state(const EventOperator<dim> &events, const SolverSettings &settings,
                                 const DiffusionAcceleration<dim> *acceleration, ModeField &psi,
                                 const std::function<void(unsigned int, const ModeField &)> &on_event)
  {
    if (settings.method != "accelerated" && settings.method != "events")
      throw std::runtime_error("unknown Solver/Method '" + settings.method + "'");
    if (settings.method == "events" && settings.closed_system)
      throw std::runtime_error("Method = events needs a thermalizing wall: without one energy "
                               "never leaves and the event series does not converge");
    SolveReport report;
    ModeField   order;
    events.first_event(order);
    psi = order;
    const bool     accelerated = settings.method == "accelerated";
    const unsigned last_event  = accelerated ? settings.events : settings.max_iterations;
    Progress       progress{"event", settings.tolerance, settings.verbose && !accelerated};
    double         first_norm = global_norm(order);
    for (unsigned int m = 0;; ++m)
      {
        if (m < settings.events)
          on_event(m, order);
        report.events = std::min(m + 1, settings.events);
        report.residual = first_norm > 0 ? global_norm(order) / global_norm(psi) : 0;
        progress(m, report.residual);
        if (m + 1 >= last_event || (!accelerated && report.residual <= settings.tolerance))
          break;
        ModeField next;
        EventEnergy balance;
        events.next_event(order, next, &balance);
        report.event_energy.push_back(balance);
        order = std::move(next);
        add(psi, order);
      }
    report.iterations = accelerated ? 0 : report.event_energy.size();
    report.converged  = !accelerated && report.residual <= settings.tolerance;
    if (accelerated)
      {
        // Remainder: r = sum_{m >= N} psi^(m) solves (I - D^-1 K) r = psi^(N).
        ModeField rhs = order, remainder;
        if (settings.events > 0)
          events.next_event(order, rhs); // psi holds sum_{m<N} psi^(m)
        else
          psi = events.zero_field();
        const auto [iterations, residual] = krylov_solve(events, settings, acceleration, rhs, remainder,
                                                         report.converged);
        report.iterations = iterations;
        report.residual   = residual;
        add(psi, remainder);
      }
    if (settings.closed_system)
      add(psi, events.uniform_field(), -events.energy(psi) / events.energy(events.uniform_field()));
    return report;
  }

  template SolveReport solve_steady_state<1>(const EventOperator<1> &, const SolverSettings &,
                                             const DiffusionAcceleration<1> *, ModeField &, const std::function<void(unsigned int, const ModeField &)> &);
  template SolveReport solve_steady_state<2>(const EventOperator<2> &, const SolverSettings &,
                                             const DiffusionAcceleration<2> *, ModeField &, const std::function<void(unsigned int, const ModeField &)> &);
  template SolveReport solve_steady_state<3>(const EventOperator<3> &, const SolverSettings &,
                                             const DiffusionAcceleration<3> *, ModeField &, const std::function<void(unsigned int, const ModeField &)> &);
} // namespace kapitza
