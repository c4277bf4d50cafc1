#include "solver/scattering_data.h"

#include "solver/drift_sweep.h"
#include "solver/heat_source.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace kapitza
{
  namespace
  {
    // Shared sweeps: inputs may differ by this much relative (symmetry-equivalent modes of
    // the ab initio sets differ by ~1e-13), and by at most 1 % of the solve's tolerance.
    constexpr double largest_sharing_tolerance = 1e-12;
    constexpr double sharing_share_of_tolerance = 1e-2;

    // Everything of a mode that its sweep sees besides source and inflow (its drift, the
    // jump shift) and its emission factors, which shape its source, each to the tolerance
    // of its own magnitude (drift_key): modes with equal keys may share a sweep.
    template <int dim>
    using SharingKey = std::array<long long, 6 + dim + 4>;

    template <int dim>
    std::vector<SharingKey<dim>> sharing_keys(const RegionPhysics &region, int first, const Eigen::MatrixXd &factors,
                                              double tolerance)
    {
      std::vector<SharingKey<dim>> keys(factors.rows());
      for (Eigen::Index i = 0; i < factors.rows(); ++i)
        {
          for (int k = 0; k < 3; ++k)
            {
              const auto factor_key = relative_key(factors(i, k), tolerance);
              keys[i][2 * k] = factor_key[0], keys[i][2 * k + 1] = factor_key[1];
            }
          const Eigen::Vector3d v     = region.modes.velocity.row(first + i).transpose();
          const DriftKey<dim>   drift = drift_key<dim>(region.rate[first + i], v, tolerance);
          std::copy(drift.begin(), drift.end(), keys[i].begin() + 6);
        }
      return keys;
    }

    // Equal within `tolerance` relative to the largest magnitude of `a`.
    template <typename Vector>
    bool nearly_equal(const Vector &a, const Vector &b, double tolerance)
    {
      return a.size() == 0 || (a - b).cwiseAbs().maxCoeff() <= tolerance * a.cwiseAbs().maxCoeff();
    }
  } // namespace

  template <int dim>
  ScatteringDataUnknown<dim>::ScatteringDataUnknown(const EventOperator<dim>         &events,
                                                    const DiffusionAcceleration<dim> *acceleration,
                                                    double                            tolerance)
    : EventUnknown<dim>(events)
    , acceleration(acceleration)
    , holds_moments(dealii::Utilities::MPI::this_mpi_process(events.communicator()) == 0)
    , sharing_tolerance(std::clamp(sharing_share_of_tolerance * tolerance, std::numeric_limits<double>::epsilon(),
                                   largest_sharing_tolerance))
  {
    for (const RegionPhysics &region : events.physics())
      {
        const RankOneFactors *f = region.mixing->rank_one();
        if (!f)
          throw std::logic_error("the scattering-data unknown needs rank-one mixing in every region");
        const int    first = region.distribution->local_begin(), n = region.distribution->n_local();
        const double unit  = dealii::Utilities::MPI::sum(region.shift.segment(first, n).dot(f->absorption), events.communicator());
        factors.push_back({f->emission * unit, f->absorption / unit});
        source_emission.push_back(region.heat_source.size() > 0 ?
                                    Eigen::VectorXd(kapitza::source_emission(region.modes).segment(first, n)) :
                                    Eigen::VectorXd());
        emitted_energy.push_back(
          dealii::Utilities::MPI::sum(region.energy.segment(first, n).dot(factors.back().emission), events.communicator()));
        const auto  &traces = events.sweep().geometry().regions()[inflow_weight.size()].traces;
        const double mean_speed =
          dealii::Utilities::MPI::sum(region.modes.velocity.middleRows(first, n).rowwise().norm().sum(), events.communicator()) /
          region.modes.size();
        // The region's size (volume^(1/dim)) over its flux-weighted mean free path.
        const Eigen::VectorXd flux = region.modes.heat_capacity().cwiseProduct(region.modes.velocity.rowwise().norm());
        const double          mfp  = flux.dot(region.rate.cwiseInverse()) / flux.sum();
        const double          size = std::pow(region.dof_integral.sum(), 1.0 / dim);
        moment_weight.push_back(std::min(1.0, size / mfp));
        inflow_weight.emplace_back(n, traces.size());
        for (int i = 0; i < n; ++i)
          for (unsigned int t = 0; t < traces.size(); ++t)
            inflow_weight.back()(i, t) =
              std::abs(region.modes.velocity.row(first + i).dot(traces[t].normal)) / mean_speed;
        sort_by_drift(region, first, n, factors.back().emission, source_emission.back());
      }
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::sort_by_drift(const RegionPhysics &region, int first, int n,
                                                 const Eigen::VectorXd &emission, const Eigen::VectorXd &heated)
  {
    // The drift key last, its direction last of all: a mode and its -q partner stay close,
    // so that their opposite contributions to the moments cancel early (sorted by velocity
    // first, all modes running left came before all running right, and the sums lost digits).
    Eigen::MatrixXd factors(n, 3);
    factors.col(0)  = region.shift.segment(first, n);
    factors.col(1)  = emission;
    factors.col(2)  = heated.size() > 0 ? heated : Eigen::VectorXd::Zero(n);
    const auto keys = sharing_keys<dim>(region, first, factors, sharing_tolerance);
    DriftOrder order;
    order.mode.resize(n);
    std::iota(order.mode.begin(), order.mode.end(), 0);
    std::stable_sort(order.mode.begin(), order.mode.end(), [&](int a, int b) { return keys[a] < keys[b]; });
    for (int k = 0; k < n; ++k)
      order.same_drift_as_previous.push_back(k > 0 && keys[order.mode[k]] == keys[order.mode[k - 1]]);
    drift_order.push_back(std::move(order));
  }

  template <int dim>
  std::size_t ScatteringDataUnknown<dim>::local_size() const
  {
    std::size_t n = 0;
    const auto &regions = events.sweep().geometry().regions();
    for (unsigned int r = 0; r < regions.size(); ++r)
      n += (holds_moments ? regions[r].n_dofs() : 0) +
           std::size_t(events.physics()[r].distribution->n_local()) * regions[r].traces.size();
    return n;
  }

  template <int dim>
  typename ScatteringDataUnknown<dim>::Data ScatteringDataUnknown<dim>::unpack(const double *x) const
  {
    const auto &regions = events.sweep().geometry().regions();
    Data        data;
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        data.moment.emplace_back(regions[r].n_dofs());
        if (holds_moments)
          data.moment[r] = Eigen::Map<const Eigen::VectorXd>(x, regions[r].n_dofs()) / moment_weight[r];
        MPI_Bcast(data.moment[r].data(), data.moment[r].size(), MPI_DOUBLE, 0, events.communicator());
        x += holds_moments ? regions[r].n_dofs() : 0;
      }
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        const int rows = events.physics()[r].distribution->n_local(), cols = regions[r].traces.size();
        const Eigen::Map<const RowMatrix> weighted(x, rows, cols);
        // A mode parallel to the face (weight 0) takes nothing in through it.
        data.inflow.push_back(
          (inflow_weight[r].array() > 0).select(weighted.cwiseQuotient(inflow_weight[r]), RowMatrix::Zero(rows, cols)));
        x += std::size_t(rows) * cols;
      }
    return data;
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::pack(const Data &data, double *x) const
  {
    if (holds_moments)
      for (unsigned int r = 0; r < data.moment.size(); ++r)
        {
          const Eigen::VectorXd weighted = moment_weight[r] * data.moment[r];
          x = std::copy(weighted.data(), weighted.data() + weighted.size(), x);
        }
    for (unsigned int r = 0; r < data.inflow.size(); ++r)
      {
        const RowMatrix weighted = data.inflow[r].cwiseProduct(inflow_weight[r]);
        x = std::copy(weighted.data(), weighted.data() + weighted.size(), x);
      }
  }

  template <int dim>
  typename ScatteringDataUnknown<dim>::Data
  ScatteringDataUnknown<dim>::stream(const Data *data, bool with_sources, ModeField *psi, EventEnergy *balance) const
  {
    const auto            &geometry = events.sweep().geometry();
    const unsigned int     n_regions = geometry.regions().size();
    Data                   next;
    std::vector<RowMatrix> outgoing(n_regions);
    double                 removed = 0;
    if (psi)
      *psi = events.zero_field();
    for (unsigned int r = 0; r < n_regions; ++r)
      {
        const RegionPhysics &region = events.physics()[r];
        const int            first = region.distribution->local_begin(), n = region.distribution->n_local();
        const int            n_dofs = geometry.regions()[r].n_dofs(), n_traces = geometry.regions()[r].traces.size();
        const bool           heated = with_sources && region.heat_source.size() > 0;
        const ModeField     *mode_source = with_sources ? events.mode_source() : nullptr;
        RowMatrix            wall_inflow;
        if (with_sources)
          region.walls->source_inflow(wall_inflow);
        Eigen::VectorXd    source(n_dofs), scratch(n_dofs), moment = Eigen::VectorXd::Zero(n_dofs);
        Eigen::RowVectorXd inflow = Eigen::RowVectorXd::Zero(n_traces);
        outgoing[r].resize(n, n_traces);
        Eigen::VectorXd    swept_source(n_dofs);
        Eigen::RowVectorXd swept_inflow(n_traces);
        for (int k = 0, swept = -1; k < n; ++k)
          {
            const int i = drift_order[r].mode[k];
            source.setZero();
            inflow.setZero();
            if (data)
              {
                source += factors[r].emission[i] * data->moment[r];
                inflow += data->inflow[r].row(i);
              }
            if (heated)
              source += source_emission[r][i] * region.heat_source;
            if (mode_source)
              source += mode_source->region[r].row(i).transpose();
            if (with_sources)
              inflow += wall_inflow.row(i);
            double *mode_psi = psi ? psi->region[r].row(i).data() : scratch.data();
            if (drift_order[r].same_drift_as_previous[k] && nearly_equal(source, swept_source, sharing_tolerance) &&
                nearly_equal(inflow, swept_inflow, sharing_tolerance))
              { // the same sweep as mode `swept`: its psi (still in scratch without `psi`)
                if (psi)
                  psi->region[r].row(i) = psi->region[r].row(swept);
              }
            else
              {
                events.drift_mode(r, i, (data || heated || mode_source) ? source.data() : nullptr,
                                  n_traces > 0 ? inflow.data() : nullptr, with_sources, mode_psi);
                source.swap(swept_source);
                inflow.swap(swept_inflow);
              }
            swept = i;
            const Eigen::Map<const Eigen::VectorXd> solved(mode_psi, n_dofs);
            moment += factors[r].absorption[i] * solved;
            events.sweep().trace_values(r, mode_psi, outgoing[r].row(i).data());
            if (balance)
              removed += region.energy[first + i] * region.rate[first + i] * region.dof_integral.dot(solved);
          }
        next.moment.emplace_back(n_dofs);
        MPI_Allreduce(moment.data(), next.moment[r].data(), n_dofs, MPI_DOUBLE, MPI_SUM, events.communicator());
      }
    events.scatter_at_boundaries(outgoing, next.inflow);
    if (balance)
      {
        balance->removed = dealii::Utilities::MPI::sum(removed, events.communicator());
        balance->emitted = 0;
        for (unsigned int r = 0; r < n_regions; ++r) // the moments are complete on every rank
          balance->emitted += emitted_energy[r] * events.physics()[r].dof_integral.dot(next.moment[r]);
      }
    return next;
  }

  template <int dim>
  typename ScatteringDataUnknown<dim>::Data
  ScatteringDataUnknown<dim>::of_temperature(const std::vector<Eigen::VectorXd> &temperature) const
  {
    const auto            &geometry = events.sweep().geometry();
    Data                   data;
    std::vector<RowMatrix> outgoing;
    for (unsigned int r = 0; r < temperature.size(); ++r)
      {
        const RegionPhysics &region = events.physics()[r];
        Eigen::RowVectorXd   traces(geometry.regions()[r].traces.size());
        events.sweep().trace_values(r, temperature[r].data(), traces.data());
        data.moment.push_back(temperature[r]);
        outgoing.push_back(region.shift.segment(region.distribution->local_begin(), region.distribution->n_local()) *
                           traces);
      }
    events.scatter_at_boundaries(outgoing, data.inflow);
    return data;
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::first(Eigen::VectorXd &x, ModeField *psi) const
  {
    x.resize(local_size());
    pack(stream(nullptr, true, psi, nullptr), x.data());
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::next(const double *x, double *y, ModeField *psi, EventEnergy *balance) const
  {
    const Data data = unpack(x);
    pack(stream(&data, false, psi, balance), y);
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::state(const Eigen::VectorXd &sum, ModeField &psi) const
  {
    const Data data = unpack(sum.data());
    stream(&data, true, &psi, nullptr);
  }

  template <int dim>
  Eigen::VectorXd ScatteringDataUnknown<dim>::uniform() const
  {
    std::vector<Eigen::VectorXd> one;
    for (const auto &region : events.sweep().geometry().regions())
      one.push_back(Eigen::VectorXd::Ones(region.n_dofs()));
    Eigen::VectorXd x(local_size());
    pack(of_temperature(one), x.data());
    return x;
  }

  template <int dim>
  double ScatteringDataUnknown<dim>::gauge(const double *x) const
  {
    // The energy the mixing absorbs from x's moments (rank 0 holds them).
    double local = 0;
    if (holds_moments)
      for (const RegionPhysics &region : events.physics())
        {
          const Eigen::Map<const Eigen::VectorXd> moment(x, region.dof_integral.size());
          local += region.dof_integral.dot(moment);
          x += moment.size();
        }
    return dealii::Utilities::MPI::sum(local, events.communicator());
  }

  template <int dim>
  void ScatteringDataUnknown<dim>::precondition(double *y) const
  {
    // The energy a residual's moments re-emit drives the diffusion correction dT, which
    // enters as the scattering data of the field shift dT (event_unknown.h).
    Data                         data = unpack(y);
    std::vector<Eigen::VectorXd> source;
    for (unsigned int r = 0; r < data.moment.size(); ++r)
      source.push_back(emitted_energy[r] * data.moment[r]);
    const Data correction = of_temperature(acceleration->temperature_correction(source));
    for (unsigned int r = 0; r < data.moment.size(); ++r)
      {
        data.moment[r] += correction.moment[r];
        data.inflow[r] += correction.inflow[r];
      }
    pack(data, y);
  }

  template class ScatteringDataUnknown<1>;
  template class ScatteringDataUnknown<2>;
  template class ScatteringDataUnknown<3>;
} // namespace kapitza
