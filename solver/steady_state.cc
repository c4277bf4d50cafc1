#include "solver/steady_state.h"

#include <deal.II/base/mpi.h>

#include <petscksp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <stdexcept>
#include <vector>

namespace kapitza
{
  namespace
  {
    using Clock = std::chrono::steady_clock;

    double global_norm(const Eigen::VectorXd &x, MPI_Comm communicator)
    {
      const double local = x.squaredNorm();
      double       total = 0;
      MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, communicator);
      return std::sqrt(total);
    }

    // Rank 0 prints one line per iteration, and an estimate of the time left once the
    // convergence rate has been seen over a few iterations: the rate over the last few
    // iterations (Krylov methods speed up as they go) times the mean time per iteration
    // since the first finite residual (not since the start, which holds one-off costs).
    struct Progress
    {
      static constexpr unsigned int rate_window = 3;
      Progress(const char *what, double tolerance, bool verbose, MPI_Comm communicator)
        : what(what), tolerance(tolerance), verbose(verbose), communicator(communicator)
      {}
      const char         *what;
      double              tolerance;
      bool                verbose;
      MPI_Comm            communicator;
      Clock::time_point   start = Clock::now();
      std::vector<double> log_residual; // from the first finite residual on
      double              first_elapsed = 0;
      void operator()(unsigned int k, double residual)
      {
        if (!verbose || dealii::Utilities::MPI::this_mpi_process(communicator) != 0)
          return;
        if (!std::isfinite(residual) || !(residual > 0))
          return; // the event series has no estimate yet
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (log_residual.empty())
          first_elapsed = elapsed;
        log_residual.push_back(std::log(residual));
        std::printf("  %s %4u  residual %.3e  elapsed %7.2f s", what, k, residual, elapsed);
        const std::size_t steps = log_residual.size() - 1;
        if (steps >= rate_window)
          {
            const double gained = (log_residual[steps - rate_window] - log_residual[steps]) / rate_window;
            const double needed = log_residual[steps] - std::log(tolerance) - log_residual[0];
            if (gained > 0 && needed > 0)
              std::printf("  left ~%7.2f s", needed / gained * (elapsed - first_elapsed) / steps);
          }
        std::printf("\n");
        std::fflush(stdout);
      }
    };

    template <int dim>
    struct KrylovContext
    {
      const EventUnknown<dim> &unknown;
      bool                      closed_system;
      Eigen::VectorXd           uniform;
      double                    uniform_gauge = 1;
      Progress                  progress;
      std::exception_ptr        failure; // a C++ exception never crosses PETSc's C frames
    };

    // A PETSc call that failed: one line naming it (PETSc's own error handler is replaced
    // by PetscReturnErrorHandler during the solve, so it prints nothing).
    void check(PetscErrorCode code, const char *call)
    {
      if (code != 0)
        throw std::runtime_error("PETSc error " + std::to_string(int(code)) + " in " + call);
    }
#define KAPITZA_PETSC(call) check(call, #call)

    // Runs a callback body for PETSc: an exception is kept in the context and becomes an
    // error code, which makes KSPSolve return; krylov_solve rethrows it.
    template <int dim, typename Body>
    PetscErrorCode guarded(KrylovContext<dim> *context, Body body)
    {
      try
        {
          body();
          return 0;
        }
      catch (...)
        {
          context->failure = std::current_exception();
          return PETSC_ERR_USER;
        }
    }

    // A shell callback y = f(x) on the arrays of the PETSc vectors, with the context
    // from the PETSc object.
    template <int dim, typename Object, typename Transform>
    PetscErrorCode on_arrays(Object object, PetscErrorCode (*get_context)(Object, void *), Vec x, Vec y,
                             Transform transform)
    {
      KrylovContext<dim> *context = nullptr;
      const PetscErrorCode code   = get_context(object, &context);
      if (code != 0)
        return code;
      return guarded(context, [&] {
        const PetscScalar *in;
        PetscScalar       *out;
        KAPITZA_PETSC(VecGetArrayRead(x, &in));
        KAPITZA_PETSC(VecGetArray(y, &out));
        transform(*context, in, out);
        KAPITZA_PETSC(VecRestoreArray(y, &out));
        KAPITZA_PETSC(VecRestoreArrayRead(x, &in));
      });
    }

    template <int dim>
    PetscErrorCode apply_operator(Mat matrix, Vec x, Vec y)
    {
      return on_arrays<dim>(matrix, MatShellGetContext, x, y,
                            [](KrylovContext<dim> &context, const double *in, double *out) {
                              const std::size_t n = context.unknown.local_size();
                              context.unknown.next(in, out, nullptr, nullptr);
                              Eigen::Map<Eigen::VectorXd> result(out, n);
                              result = Eigen::Map<const Eigen::VectorXd>(in, n) - result; // (I - A) x
                              if (context.closed_system)
                                result += context.uniform * (context.unknown.gauge(in) / context.uniform_gauge);
                            });
    }

    template <int dim>
    PetscErrorCode apply_preconditioner(PC pc, Vec x, Vec y)
    {
      return on_arrays<dim>(pc, PCShellGetContext, x, y, [](KrylovContext<dim> &context, const double *in, double *out) {
        std::copy(in, in + context.unknown.local_size(), out);
        context.unknown.precondition(out);
      });
    }

    template <int dim>
    PetscErrorCode monitor(KSP, PetscInt k, PetscReal residual, void *context)
    {
      auto *krylov = static_cast<KrylovContext<dim> *>(context);
      return guarded(krylov, [&] { krylov->progress(k, residual); });
    }

    // PETSc objects destroyed on every path, and PETSc's error printing off meanwhile.
    struct PetscObjects
    {
      Mat matrix = nullptr;
      Vec x = nullptr, b = nullptr;
      KSP ksp = nullptr;
      PetscObjects() { PetscPushErrorHandler(PetscReturnErrorHandler, nullptr); }
      ~PetscObjects()
      {
        KSPDestroy(&ksp);
        VecDestroy(&x);
        VecDestroy(&b);
        MatDestroy(&matrix);
        PetscPopErrorHandler();
      }
    };

    void copy_to_vec(const Eigen::VectorXd &x, Vec v)
    {
      PetscScalar *out;
      KAPITZA_PETSC(VecGetArray(v, &out));
      std::copy(x.data(), x.data() + x.size(), out);
      KAPITZA_PETSC(VecRestoreArray(v, &out));
    }

    // Solves (I - A) r = rhs for r by GMRES; returns (iterations, relative residual).
    template <int dim>
    std::pair<unsigned int, double> krylov_solve(const EventUnknown<dim> &unknown, const SolverSettings &settings,
                                                 const Eigen::VectorXd &rhs, Eigen::VectorXd &solution,
                                                 bool &converged)
    {
      const MPI_Comm     communicator = unknown.communicator();
      KrylovContext<dim> context{unknown, settings.closed_system,
                                 settings.closed_system ? unknown.uniform() : Eigen::VectorXd(), 1,
                                 Progress{"GMRES iteration", settings.tolerance, settings.verbose, communicator},
                                 nullptr};
      if (settings.closed_system)
        context.uniform_gauge = unknown.gauge(context.uniform.data());
      const PetscInt n = rhs.size();
      PetscObjects   petsc;
      PC             pc;
      KAPITZA_PETSC(MatCreateShell(communicator, n, n, PETSC_DETERMINE, PETSC_DETERMINE, &context, &petsc.matrix));
      KAPITZA_PETSC(MatShellSetOperation(petsc.matrix, MATOP_MULT, (void (*)(void))apply_operator<dim>));
      KAPITZA_PETSC(VecCreateMPI(communicator, n, PETSC_DETERMINE, &petsc.x));
      KAPITZA_PETSC(VecDuplicate(petsc.x, &petsc.b));
      copy_to_vec(rhs, petsc.b);
      KAPITZA_PETSC(KSPCreate(communicator, &petsc.ksp));
      KAPITZA_PETSC(KSPSetOperators(petsc.ksp, petsc.matrix, petsc.matrix));
      KAPITZA_PETSC(KSPSetType(petsc.ksp, KSPGMRES));
      KAPITZA_PETSC(KSPGMRESSetRestart(petsc.ksp, settings.restart));
      // All basis vectors at once, before the first iteration: PETSc otherwise allocates
      // them 10 at a time, a stall every 10 iterations that misleads the time-left estimate
      // (and a run that cannot hold its basis fails now, not after many iterations).
      KAPITZA_PETSC(KSPGMRESSetPreAllocateVectors(petsc.ksp));
      // Classical Gram-Schmidt loses orthogonality in thick media (A close to I), where
      // the residual then stalls until the restart: a second pass where it is needed.
      KAPITZA_PETSC(KSPGMRESSetCGSRefinementType(petsc.ksp, KSP_GMRES_CGS_REFINE_IFNEEDED));
      KAPITZA_PETSC(KSPGetPC(petsc.ksp, &pc));
      if (unknown.preconditioned())
        {
          // Right preconditioning: GMRES still minimizes the true residual.
          KAPITZA_PETSC(PCSetType(pc, PCSHELL));
          KAPITZA_PETSC(PCShellSetContext(pc, &context));
          KAPITZA_PETSC(PCShellSetApply(pc, apply_preconditioner<dim>));
          KAPITZA_PETSC(KSPSetPCSide(petsc.ksp, PC_RIGHT));
        }
      else
        KAPITZA_PETSC(PCSetType(pc, PCNONE));
      KAPITZA_PETSC(KSPSetTolerances(petsc.ksp, settings.tolerance, 0.0, 1e300, settings.max_iterations));
      KAPITZA_PETSC(KSPMonitorSet(petsc.ksp, monitor<dim>, &context, nullptr));
      const PetscErrorCode solved = KSPSolve(petsc.ksp, petsc.b, petsc.x);
      if (context.failure)
        std::rethrow_exception(context.failure);
      check(solved, "KSPSolve");
      KSPConvergedReason reason;
      PetscInt           iterations;
      PetscReal          residual, rhs_norm;
      KAPITZA_PETSC(KSPGetConvergedReason(petsc.ksp, &reason));
      KAPITZA_PETSC(KSPGetIterationNumber(petsc.ksp, &iterations));
      KAPITZA_PETSC(KSPGetResidualNorm(petsc.ksp, &residual));
      KAPITZA_PETSC(VecNorm(petsc.b, NORM_2, &rhs_norm));
      converged = reason > 0;
      solution.resize(n);
      const PetscScalar *x;
      KAPITZA_PETSC(VecGetArrayRead(petsc.x, &x));
      std::copy(x, x + n, solution.data());
      KAPITZA_PETSC(VecRestoreArrayRead(petsc.x, &x));
      return {iterations, rhs_norm > 0 ? residual / rhs_norm : 0.0};
    }
#undef KAPITZA_PETSC

    // The part of the event series not yet summed, relative to the sum: after the first
    // events the orders decay geometrically with the spectral radius rho of D^-1 K, so
    // sum_{j>m} psi^(j) ~ |psi^(m)| rho / (1 - rho). rho is the largest of the decay rates
    // measured over the last windows of `window` events (a slow mode that has not yet
    // dominated makes the rate grow; the largest seen is the safe side). The steady
    // residual |psi^(m+1)| / |psi^(0)| alone would stop far too early in thick media,
    // where rho -> 1 and the error is the residual times 1 / (1 - rho).
    class SeriesTail
    {
    public:
      static constexpr unsigned int window = 8;

      /// Adds |psi^(m)| and returns the estimated relative error of the sum (|sum| given).
      double add(double order_norm, double sum_norm)
      {
        norms.push_back(order_norm);
        const unsigned int m = norms.size() - 1;
        if (order_norm == 0)
          return 0;
        if (m < window || norms[m - window] == 0)
          return std::numeric_limits<double>::infinity();
        rate = std::max(rate, std::pow(order_norm / norms[m - window], 1.0 / window));
        if (rate >= 1)
          return std::numeric_limits<double>::infinity();
        return order_norm * rate / (1 - rate) / sum_norm;
      }

    private:
      std::vector<double> norms;
      double              rate = 0;
    };
  } // namespace

  template <int dim>
  SolveReport solve_steady_state(const EventUnknown<dim> &unknown, const SolverSettings &settings, ModeField &psi,
                                 const EventCallback &on_event)
  {
    if (settings.method != "accelerated" && settings.method != "events")
      throw std::runtime_error("unknown Solver/Method '" + settings.method + "'");
    if (settings.method == "events" && settings.closed_system)
      throw std::runtime_error("Method = events needs a thermalizing wall: without one energy "
                               "never leaves and the event series does not converge");
    SolveReport     report;
    Eigen::VectorXd order, sum;
    ModeField       event_psi; // psi^(m) of the resolved events only
    unknown.first(order, settings.events > 0 ? &event_psi : nullptr);
    sum = order;
    const bool     accelerated  = settings.method == "accelerated";
    const unsigned last_event   = accelerated ? settings.events : settings.max_iterations;
    const MPI_Comm communicator = unknown.communicator();
    Progress       progress{"event", settings.tolerance, settings.verbose && !accelerated, communicator};
    SeriesTail     tail;
    for (unsigned int m = 0;; ++m)
      {
        if (m < settings.events)
          on_event(m, event_psi);
        report.events   = std::min(m + 1, settings.events);
        report.residual = tail.add(global_norm(order, communicator), global_norm(sum, communicator));
        progress(m, report.residual);
        if (m + 1 >= last_event || (!accelerated && report.residual <= settings.tolerance))
          break;
        Eigen::VectorXd next(order.size());
        EventEnergy     balance;
        unknown.next(order.data(), next.data(), m + 1 < settings.events ? &event_psi : nullptr, &balance);
        report.event_energy.push_back(balance);
        order.swap(next);
        sum += order;
      }
    event_psi         = ModeField(); // psi is held once
    report.iterations = accelerated ? 0 : report.event_energy.size();
    report.converged  = !accelerated && report.residual <= settings.tolerance;
    if (accelerated)
      {
        // Remainder: r = sum_{m >= N} x^(m) solves (I - A) r = x^(N).
        Eigen::VectorXd rhs = order, remainder;
        if (settings.events > 0)
          unknown.next(order.data(), rhs.data(), nullptr, nullptr); // sum holds sum_{m<N} x^(m)
        else
          sum.setZero();
        const auto [iterations, residual] = krylov_solve(unknown, settings, rhs, remainder, report.converged);
        report.iterations = iterations;
        report.residual   = residual;
        sum += remainder;
      }
    unknown.state(sum, psi);
    if (settings.closed_system)
      {
        const EventOperator<dim> &events = unknown.event_operator();
        const ModeField           shift  = events.uniform_field();
        const double              factor = -events.energy(psi) / events.energy(shift);
        for (unsigned int r = 0; r < psi.region.size(); ++r)
          psi.region[r] += factor * shift.region[r];
      }
    return report;
  }

  template <int dim>
  SolveReport solve_steady_state(const EventOperator<dim> &events, const SolverSettings &settings,
                                 const DiffusionAcceleration<dim> *acceleration, ModeField &psi,
                                 const EventCallback &on_event)
  {
    return solve_steady_state<dim>(*create_event_unknown<dim>(events, settings.unknown, settings.tolerance, acceleration), settings, psi,
                                   on_event);
  }

#define KAPITZA_INSTANTIATE(dim)                                                                              \
  template SolveReport solve_steady_state<dim>(const EventUnknown<dim> &, const SolverSettings &, ModeField &, \
                                               const EventCallback &);                                        \
  template SolveReport solve_steady_state<dim>(const EventOperator<dim> &, const SolverSettings &,             \
                                               const DiffusionAcceleration<dim> *, ModeField &, const EventCallback &);
  KAPITZA_INSTANTIATE(1)
  KAPITZA_INSTANTIATE(2)
  KAPITZA_INSTANTIATE(3)
#undef KAPITZA_INSTANTIATE
} // namespace kapitza
