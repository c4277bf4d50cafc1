#pragma once
// The steady state psi = sum_m psi^(m): the first events one by one (each a physical
// output), then either more events until they die out (Method = events) or one Krylov
// solve for the remainder (Method = accelerated): GMRES (PETSc KSP, shell matrix) on
//   (I - A) r = x^(N),    x = sum_{m<N} x^(m) + r,
// where x is psi itself (A = D^-1 K) or the scattering data (event_unknown.h).
// Without thermalizing walls the uniform shift is a null vector; the operator is then
// augmented by u F(x)/F(u), and the steady state's total energy deviation is set to zero.

#include "solver/event_unknown.h"

#include <functional>
#include <string>

namespace kapitza
{
  struct SolverSettings
  {
    std::string  method         = "accelerated"; // accelerated | events
    unsigned int events         = 0;             // event orders to resolve and report
    double       tolerance      = 1e-10;
    unsigned int max_iterations = 1000;
    unsigned int restart        = 40;
    std::string  preconditioner = "diffusion";    // diffusion | none
    std::string  unknown        = "auto";         // auto | state | scattering data
    bool         closed_system  = false;          // no thermalizing wall: fix the energy
    bool         verbose        = true;
  };

  struct SolveReport
  {
    bool                     converged  = false;
    unsigned int             iterations = 0; // Krylov iterations (or events for events)
    unsigned int             events     = 0; // event orders resolved
    double                   residual   = 0;
    std::vector<EventEnergy> event_energy;
  };

  using EventCallback = std::function<void(unsigned int, const ModeField &)>;

  /// `on_event(m, psi_m)` is called for each resolved event order m < settings.events.
  template <int dim>
  SolveReport solve_steady_state(const EventUnknown<dim> &unknown, const SolverSettings &settings, ModeField &psi,
                                 const EventCallback &on_event);

  /// The same with the unknown that settings.unknown asks for; `acceleration` (may be null)
  /// preconditions GMRES from the right.
  template <int dim>
  SolveReport solve_steady_state(const EventOperator<dim> &events, const SolverSettings &settings,
                                 const DiffusionAcceleration<dim> *acceleration, ModeField &psi,
                                 const EventCallback &on_event);
} // namespace kapitza
