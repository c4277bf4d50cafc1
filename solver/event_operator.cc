#include "solver/event_operator.h"

#include "interface/interface_scattering.h"
#include "solver/heat_source.h"

#include <cmath>
#include <stdexcept>

namespace kapitza
{
  std::size_t ModeField::local_size() const
  {
    std::size_t n = 0;
    for (const RowMatrix &m : region)
      n += m.size();
    return n;
  }

  void ModeField::copy_to(double *flat) const
  {
    for (const RowMatrix &m : region)
      flat = std::copy(m.data(), m.data() + m.size(), flat);
  }

  void ModeField::copy_from(const double *flat)
  {
    for (RowMatrix &m : region)
      {
        std::copy(flat, flat + m.size(), m.data());
        flat += m.size();
      }
  }

  std::vector<const RegionModes *> region_modes(const std::vector<RegionPhysics> &regions)
  {
    std::vector<const RegionModes *> sides;
    for (const RegionPhysics &region : regions)
      sides.push_back(&region);
    return sides;
  }

  template <int dim>
  EventOperator<dim>::EventOperator(const DriftGeometry<dim>   &geometry,
                                    std::vector<RegionPhysics> &regions, double cache_bytes)
    : drift(geometry)
    , regions(regions)
    , cache_bytes(cache_bytes)
  {
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const auto &cells             = geometry.regions()[r].cell_data;
        const int   nd                = geometry.dofs_per_cell();
        regions[r].rate               = regions[r].modes.relaxation_rate();
        regions[r].dof_integral       = Eigen::VectorXd::Zero(cells.size() * nd);
        for (unsigned int c = 0; c < cells.size(); ++c)
          regions[r].dof_integral.segment(c * nd, nd) = cells[c].mass.rowwise().sum();
      }
    reserve_cache(); // the drift classes need the rates
  }

  RowMatrix emitted_heat_source(const RegionPhysics &region, const Eigen::VectorXd &source)
  {
    return source_emission(region.modes).segment(region.distribution->local_begin(), region.distribution->n_local()) *
           source.transpose();
  }

  template <int dim>
  void EventOperator<dim>::reserve_cache()
  {
    double left = cache_bytes;
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const int first = regions[r].distribution->local_begin(), n = regions[r].distribution->n_local();
        left -= drift.reserve_inverse_cache(
          r, drift_classes<dim>(regions[r].rate.segment(first, n), regions[r].modes.velocity.middleRows(first, n)), left);
      }
  }

  template <int dim>
  void EventOperator<dim>::set_extra_extinction(double extra)
  {
    if (!(extra >= 0) || !std::isfinite(extra))
      throw std::logic_error("the extra extinction must be finite and >= 0");
    if (extra != extinction)
      {
        extinction = extra;
        reserve_cache(); // the cached inverses hold the old extinction
      }
  }

  template <int dim>
  ModeField EventOperator<dim>::zero_field() const
  {
    ModeField field;
    for (unsigned int r = 0; r < regions.size(); ++r)
      field.region.push_back(RowMatrix::Zero(regions[r].distribution->n_local(),
                                             drift.geometry().regions()[r].n_dofs()));
    return field;
  }

  template <int dim>
  void EventOperator<dim>::drift_mode(unsigned int r, int i, const double *source, const double *inflow,
                                      bool with_jumps, double *psi) const
  {
    const RegionPhysics &region = regions[r];
    const int            mu     = region.distribution->local_begin() + i;
    ModeDrift            mode;
    mode.velocity   = region.modes.velocity.row(mu).transpose();
    mode.rate       = region.rate[mu] + extinction;
    mode.source     = source;
    mode.inflow     = inflow;
    mode.jump_shift = with_jumps ? region.shift[mu] : 0.0;
    mode.local_mode = i;
    drift.solve(r, mode, psi);
  }

  template <int dim>
  void EventOperator<dim>::drift_region(unsigned int r, const RowMatrix *source,
                                        const RowMatrix &inflow, bool with_jumps,
                                        RowMatrix &psi) const
  {
    for (int i = 0; i < psi.rows(); ++i)
      drift_mode(r, i, source ? source->row(i).data() : nullptr,
                 inflow.cols() > 0 ? inflow.row(i).data() : nullptr, with_jumps, psi.row(i).data());
  }

  template <int dim>
  void EventOperator<dim>::scatter_at_boundaries(const std::vector<RowMatrix> &outgoing,
                                                 std::vector<RowMatrix>       &inflow) const
  {
    inflow.resize(regions.size());
    for (unsigned int r = 0; r < regions.size(); ++r)
      regions[r].walls->reflect(outgoing[r], inflow[r]);
    if (interfaces)
      interfaces->transmit(outgoing, inflow);
  }

  template <int dim>
  void EventOperator<dim>::first_event(ModeField &psi) const
  {
    psi = zero_field();
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const RegionPhysics &region = regions[r];
        RowMatrix            inflow, source;
        region.walls->source_inflow(inflow);
        const bool heated = region.heat_source.size() > 0;
        const bool sourced = heated || mode_sources;
        if (sourced) // a state-sized temporary only when there is a volume source
          {
            source = heated ? emitted_heat_source(region, region.heat_source) :
                              RowMatrix::Zero(psi.region[r].rows(), psi.region[r].cols());
            if (mode_sources)
              source += mode_sources->region[r];
          }
        drift_region(r, sourced ? &source : nullptr, inflow, true, psi.region[r]);
      }
  }

  template <int dim>
  void EventOperator<dim>::next_event(const ModeField &psi, ModeField &next,
                                      EventEnergy *balance) const
  {
    next = zero_field();
    EventEnergy            local;
    std::vector<RowMatrix> sources(regions.size()), inflow;
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const RegionPhysics &region = regions[r];
        const int            first  = region.distribution->local_begin();
        const int            n      = region.distribution->n_local();
        sources[r].resize(psi.region[r].rows(), psi.region[r].cols());
        region.mixing->apply(psi.region[r], sources[r]);
        const Eigen::VectorXd rate = region.rate.segment(first, n);
        const Eigen::VectorXd e    = region.energy.segment(first, n);
        local.removed += e.cwiseProduct(rate).dot(psi.region[r] * region.dof_integral);
        local.emitted += e.dot(sources[r] * region.dof_integral);

      }
    scatter_at_boundaries(trace_values(psi), inflow);
    for (unsigned int r = 0; r < regions.size(); ++r)
      drift_region(r, &sources[r], inflow[r], false, next.region[r]);
    if (balance)
      {
        MPI_Allreduce(&local.removed, &balance->removed, 1, MPI_DOUBLE, MPI_SUM, communicator());
        MPI_Allreduce(&local.emitted, &balance->emitted, 1, MPI_DOUBLE, MPI_SUM, communicator());
      }
  }

  template <int dim>
  std::vector<RowMatrix> EventOperator<dim>::trace_values(const ModeField &psi) const
  {
    std::vector<RowMatrix> traces(regions.size());
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        traces[r].resize(psi.region[r].rows(), drift.geometry().regions()[r].traces.size());
        for (int i = 0; i < psi.region[r].rows(); ++i)
          drift.trace_values(r, psi.region[r].row(i).data(), traces[r].row(i).data());
      }
    return traces;
  }

  template <int dim>
  double EventOperator<dim>::energy(const ModeField &psi) const
  {
    double local = 0, total = 0;
    for (unsigned int r = 0; r < regions.size(); ++r)
      local += regions[r]
                 .energy.segment(regions[r].distribution->local_begin(),
                                 regions[r].distribution->n_local())
                 .dot(psi.region[r] * regions[r].dof_integral);
    MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, communicator());
    return total;
  }

  template <int dim>
  double EventOperator<dim>::source_power() const
  {
    double power = 0; // the mesh is replicated: every rank holds every region's source
    for (const RegionPhysics &region : regions)
      if (region.heat_source.size() > 0)
        power += region.dof_integral.dot(region.heat_source);
    return power;
  }

  template <int dim>
  ModeField EventOperator<dim>::uniform_field() const
  {
    ModeField field = zero_field();
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const auto s = regions[r].shift.segment(regions[r].distribution->local_begin(),
                                                regions[r].distribution->n_local());
        field.region[r].colwise() = s;
      }
    return field;
  }

  template class EventOperator<1>;
  template class EventOperator<2>;
  template class EventOperator<3>;
} // namespace kapitza
