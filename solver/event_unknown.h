#pragma once
// What the steady-state solve iterates on. The event series psi^(m+1) = D^-1 K psi^(m)
// can be followed on psi itself (modes x DoFs) or, when K factors as K = Q P through a
// small space (rank-one mixing: one moment per DoF; walls and interfaces: the inflow at
// the boundary trace points), on x = P psi (DESIGN.md 3, docs/results.md: Solver/Krylov unknown):
//   x^(0) = P D^-1 G,   x^(m+1) = P D^-1 Q x^(m),   psi^(m+1) = D^-1 Q x^(m),
//   psi   = D^-1 (G + Q sum_m x^(m)),
// so GMRES on (I - P D^-1 Q) works on vectors of O(DoFs + modes x traces), and psi is
// formed once at the end (and per resolved event), never stored in the Krylov basis.
// Both forms share the loop of steady_state.cc through this interface.

#include "solver/diffusion_acceleration.h"
#include "solver/event_operator.h"

#include <memory>

namespace kapitza
{
  template <int dim>
  class EventUnknown
  {
  public:
    virtual ~EventUnknown() = default;
    /// Entries of x held by this rank.
    virtual std::size_t local_size() const = 0;
    /// x^(0) of the sources' first event; psi^(0) to `psi` when given.
    virtual void first(Eigen::VectorXd &x, ModeField *psi) const = 0;
    /// y = x^(m+1) from x = x^(m); psi^(m+1) to `psi` and the energy balance of one mixing
    /// step to `balance` when given.
    virtual void next(const double *x, double *y, ModeField *psi, EventEnergy *balance) const = 0;
    /// The steady state from the sum of every event's x.
    virtual void state(const Eigen::VectorXd &sum, ModeField &psi) const = 0;
    /// x of the uniform 1 K shift: the null vector of I - A without thermalizing walls.
    virtual Eigen::VectorXd uniform() const = 0;
    /// A linear functional that does not vanish on uniform() (all ranks).
    virtual double gauge(const double *x) const = 0;
    /// y <- P^-1 y, the diffusion preconditioner, when there is one.
    virtual void precondition(double *y) const = 0;
    virtual bool preconditioned() const = 0;
    MPI_Comm     communicator() const { return events.communicator(); }
    const EventOperator<dim> &event_operator() const { return events; }

  protected:
    explicit EventUnknown(const EventOperator<dim> &events)
      : events(events)
    {}
    const EventOperator<dim> &events;
  };

  /// Whether Solver/Krylov unknown (auto | state | scattering data) selects the scattering
  /// data for materials whose mixing is (`rank_one`) or is not rank-one; throws one line when
  /// it asks for the scattering data of a collision matrix.
  bool use_scattering_data(const std::string &settings_unknown, bool rank_one);

  /// Whether every region's mixing is rank-one, so that x can be the scattering data.
  template <int dim>
  bool rank_one_mixing(const EventOperator<dim> &events);

  /// The unknown that `settings_unknown` (auto | state | scattering data) asks for;
  /// `tolerance` is the solve's relative residual (it bounds what shared sweeps may differ).
  template <int dim>
  std::unique_ptr<EventUnknown<dim>> create_event_unknown(const EventOperator<dim> &events,
                                                          const std::string &settings_unknown, double tolerance,
                                                          const DiffusionAcceleration<dim> *acceleration);
} // namespace kapitza
