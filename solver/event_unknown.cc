#include "solver/event_unknown.h"

#include "solver/scattering_data.h"

namespace kapitza
{
  namespace
  {
    // psi itself as the unknown: every mixing operator (dense collision matrices too).
    template <int dim>
    class StateUnknown : public EventUnknown<dim>
    {
    public:
      StateUnknown(const EventOperator<dim> &events, const DiffusionAcceleration<dim> *acceleration)
        : EventUnknown<dim>(events)
        , acceleration(acceleration)
        , size(events.zero_field().local_size())
      {}
      std::size_t local_size() const override { return size; }
      void        first(Eigen::VectorXd &x, ModeField *psi) const override
      {
        ModeField field;
        events.first_event(field);
        x.resize(size);
        field.copy_to(x.data());
        if (psi)
          *psi = std::move(field);
      }
      void next(const double *x, double *y, ModeField *psi, EventEnergy *balance) const override
      {
        ModeField next_field;
        events.next_event(field_of(x), next_field, balance);
        next_field.copy_to(y);
        if (psi)
          *psi = std::move(next_field);
      }
      void state(const Eigen::VectorXd &sum, ModeField &psi) const override { psi = field_of(sum.data()); }
      Eigen::VectorXd uniform() const override
      {
        Eigen::VectorXd x(size);
        events.uniform_field().copy_to(x.data());
        return x;
      }
      double gauge(const double *x) const override { return events.energy(field_of(x)); }
      void   precondition(double *y) const override
      {
        ModeField field = field_of(y);
        acceleration->apply(field);
        field.copy_to(y);
      }
      bool preconditioned() const override { return acceleration != nullptr; }

    private:
      ModeField field_of(const double *x) const
      {
        ModeField field = events.zero_field();
        field.copy_from(x);
        return field;
      }
      using EventUnknown<dim>::events;
      const DiffusionAcceleration<dim> *acceleration;
      std::size_t                       size;
    };
  } // namespace

  bool use_scattering_data(const std::string &settings_unknown, bool rank_one)
  {
    if (settings_unknown == "scattering data" && !rank_one)
      throw std::runtime_error("Solver/Krylov unknown = scattering data needs rank-one (RTA) mixing in every "
                               "material; a mode database with a collision matrix needs 'state' or 'auto'");
    return rank_one && settings_unknown != "state";
  }

  template <int dim>
  bool rank_one_mixing(const EventOperator<dim> &events)
  {
    for (const RegionPhysics &region : events.physics())
      if (!region.mixing->rank_one())
        return false;
    return true;
  }

  template <int dim>
  std::unique_ptr<EventUnknown<dim>> create_event_unknown(const EventOperator<dim> &events,
                                                          const std::string &settings_unknown, double tolerance,
                                                          const DiffusionAcceleration<dim> *acceleration)
  {
    if (use_scattering_data(settings_unknown, rank_one_mixing(events)))
      return std::make_unique<ScatteringDataUnknown<dim>>(events, acceleration, tolerance);
    return std::make_unique<StateUnknown<dim>>(events, acceleration);
  }

  template bool rank_one_mixing<1>(const EventOperator<1> &);
  template bool rank_one_mixing<2>(const EventOperator<2> &);
  template bool rank_one_mixing<3>(const EventOperator<3> &);
  template std::unique_ptr<EventUnknown<1>> create_event_unknown<1>(const EventOperator<1> &, const std::string &, double,
                                                                    const DiffusionAcceleration<1> *);
  template std::unique_ptr<EventUnknown<2>> create_event_unknown<2>(const EventOperator<2> &, const std::string &, double,
                                                                    const DiffusionAcceleration<2> *);
  template std::unique_ptr<EventUnknown<3>> create_event_unknown<3>(const EventOperator<3> &, const std::string &, double,
                                                                    const DiffusionAcceleration<3> *);
} // namespace kapitza
