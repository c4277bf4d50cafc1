#include "solver/observables.h"

#include "scattering/formatted.h"

#include <deal.II/grid/grid_tools.h>

#include <cstdio>

namespace kapitza
{
  template <int dim>
  bool locate_point(const DriftGeometry<dim> &geometry, const dealii::Triangulation<dim> &triangulation,
                    const dealii::Point<dim> &p, unsigned int &region, unsigned int &cell,
                    Eigen::VectorXd &shape_values)
  {
    try
      {
        const auto found =
          dealii::GridTools::find_active_cell_around_point(geometry.mapping(), triangulation, p);
        if (found.first.state() != dealii::IteratorState::valid)
          return false;
        std::tie(region, cell) = geometry.locate(found.first->active_cell_index());
        shape_values.resize(geometry.dofs_per_cell());
        for (unsigned int j = 0; j < shape_values.size(); ++j)
          shape_values[j] = geometry.finite_element().shape_value(j, found.second);
        return true;
      }
    catch (const std::exception &)
      {
        return false; // deal.II throws for points outside the mesh
      }
  }

  template <int dim>
  Observables<dim>::Observables(const EventOperator<dim>         &events,
                                const dealii::Triangulation<dim> &triangulation,
                                unsigned int line_points, unsigned int frequency_bins,
                                const std::vector<double> &line_zoom)
    : events(events)
    , t0(events.physics()[0].modes.temperature)
  {
    define_groups(frequency_bins);
    locate_line(triangulation, line_points, line_zoom);
  }

  template <int dim>
  void Observables<dim>::define_groups(unsigned int frequency_bins)
  {
    const auto &regions = events.physics();
    double      lo = 1e300, hi = 0;
    for (const auto &region : regions)
      {
        lo = std::min(lo, region.modes.omega.minCoeff());
        hi = std::max(hi, region.modes.omega.maxCoeff());
      }
    const double width = (hi - lo) / frequency_bins * (1 + 1e-12);
    for (const auto &region : regions)
      for (const auto &name : region.modes.branch_labels)
        if (std::find(labels.begin(), labels.end(), name) == labels.end())
          labels.push_back(name);
    const unsigned int first_bin = first_frequency_group = labels.size();
    bool               nominal   = false; // band files: frequencies only order the bands
    for (const auto &region : regions)
      nominal |= region.modes.nominal_frequencies;
    for (unsigned int b = 0; b <= frequency_bins; ++b)
      edges.push_back(lo + b * width);
    for (unsigned int b = 0; b < frequency_bins; ++b)
      {
        char text[64];
        std::snprintf(text, sizeof text, "%s%.3g-%.3g THz", nominal ? "nominal " : "",
                      (lo + b * width) / units::angular_terahertz,
                      (lo + (b + 1) * width) / units::angular_terahertz);
        labels.push_back(text);
      }
    for (const auto &region : regions)
      {
        const Eigen::VectorXd c = region.modes.heat_capacity();
        group_of_mode.emplace_back(region.modes.size());
        group_capacity.push_back(Eigen::VectorXd::Zero(labels.size()));
        total_capacity.push_back(c.sum());
        rate_capacity.push_back(c.dot(region.modes.relaxation_rate()));
        for (unsigned int mu = 0; mu < region.modes.size(); ++mu)
          {
            auto &groups = group_of_mode.back()[mu];
            if (!region.modes.branch_labels.empty())
              groups.push_back(std::find(labels.begin(), labels.end(),
                                         region.modes.branch_labels[region.modes.branch[mu]]) -
                               labels.begin());
            const int bin = width > 0 ? int((region.modes.omega[mu] - lo) / width) : 0;
            groups.push_back(first_bin + std::min<int>(bin, frequency_bins - 1));
            for (int g : groups)
              group_capacity.back()[g] += c[mu];
          }
      }
  }

  void check_line_zoom(const std::vector<double> &zoom, double lo, double hi)
  {
    if (!zoom.empty() && !(zoom[0] - zoom[1] > lo && zoom[0] + zoom[1] < hi))
      throw std::runtime_error(formatted("Output/Line zoom [%.4g, %.4g] m must lie inside the "
                                         "domain, x in (%.4g, %.4g) m",
                                         zoom[0] - zoom[1], zoom[0] + zoom[1], lo, hi));
  }

  template <int dim>
  void Observables<dim>::locate_line(const dealii::Triangulation<dim> &triangulation,
                                     unsigned int n, const std::vector<double> &zoom)
  {
    const auto box = dealii::GridTools::compute_bounding_box(triangulation);
    const auto &geometry = events.sweep().geometry();
    const double lo = box.get_boundary_points().first[0], hi = box.get_boundary_points().second[0];
    std::vector<double> xs;
    for (unsigned int i = 0; i < n; ++i)
      xs.push_back(lo + (i + 0.5) / n * (hi - lo));
    if (!zoom.empty())
      for (unsigned int i = 0; i < zoom[2]; ++i)
        {
          const double x = zoom[0] - zoom[1] + 2 * zoom[1] * i / (zoom[2] - 1);
          if (x > lo && x < hi)
            xs.push_back(x);
        }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end(),
                         [&](double a, double b) { return b - a < 1e-12 * (hi - lo); }),
             xs.end());
    for (const double x : xs)
      {
        dealii::Point<dim> p = box.center();
        p[0] = x;
        unsigned int    region = 0, cell = 0;
        Eigen::VectorXd phi;
        // A point outside the mesh (the hole of a shell) is not on the probe line.
        if (!locate_point(geometry, triangulation, p, region, cell, phi))
          continue;
        Eigen::Vector3d point = Eigen::Vector3d::Zero();
        for (int d = 0; d < dim; ++d)
          point[d] = p[d];
        probe.points.push_back(point);
        probe.region.push_back(region);
        probe.cell.push_back(cell);
        probe.shape_values.push_back(phi);
      }
  }

  template <int dim>
  std::vector<RegionFields> Observables<dim>::fields(const ModeField &psi) const
  {
    std::vector<RegionFields> result;
    for (unsigned int r = 0; r < psi.region.size(); ++r)
      {
        const auto     &region = events.physics()[r];
        const int       first  = region.distribution->local_begin();
        const RowMatrix &p     = psi.region[r];
        RegionFields    local  = RegionFields::Zero(5 + labels.size(), p.cols());
        const Eigen::VectorXd rate = region.modes.relaxation_rate();
        for (int i = 0; i < p.rows(); ++i)
          {
            const int    mu = first + i;
            const double e  = region.energy[mu];
            local.row(0) += e * p.row(i);
            for (int d = 0; d < 3; ++d)
              local.row(1 + d) += e * region.modes.velocity(mu, d) * p.row(i);
            local.row(4) += e * rate[mu] * p.row(i);
            for (int g : group_of_mode[r][mu])
              local.row(5 + g) += e * p.row(i);
          }
        RegionFields total(local.rows(), local.cols());
        MPI_Allreduce(local.data(), total.data(), local.size(), MPI_DOUBLE, MPI_SUM,
                      events.communicator());
        result.push_back(std::move(total));
      }
    return result;
  }

  template <int dim>
  LineObservables Observables<dim>::on_line(const std::vector<RegionFields> &fields) const
  {
    const unsigned int n = probe.points.size(), nd = events.sweep().geometry().dofs_per_cell();
    LineObservables    line;
    line.heat_flux.resize(n, 3);
    line.modal_temperature.resize(labels.size(), n);
    line.modal_present.resize(labels.size() * n);
    for (unsigned int i = 0; i < n; ++i)
      {
        const unsigned int    r      = probe.region[i];
        const Eigen::VectorXd values = fields[r].middleCols(probe.cell[i] * nd, nd) * probe.shape_values[i];
        line.temperature.push_back(t0 + values[0] / total_capacity[r]);
        line.scattering_temperature.push_back(t0 + values[4] / rate_capacity[r]);
        line.heat_flux.row(i) = values.segment(1, 3).transpose();
        for (unsigned int g = 0; g < labels.size(); ++g)
          {
            const bool present = group_capacity[r][g] > 0;
            line.modal_present[g * n + i] = present;
            line.modal_temperature(g, i) =
              present ? t0 + values[5 + g] / group_capacity[r][g] : line.temperature.back();
          }
      }
    return line;
  }

  template <int dim>
  void Observables<dim>::on_cells(const std::vector<RegionFields> &fields,
                                  std::vector<double> &temperature, RowMatrix &heat_flux) const
  {
    const auto &geometry = events.sweep().geometry();
    const int   nd       = geometry.dofs_per_cell();
    unsigned int n_cells = 0;
    for (const auto &region : geometry.regions())
      n_cells += region.cells.size();
    temperature.assign(n_cells, 0);
    heat_flux.setZero(n_cells, 3);
    for (unsigned int r = 0; r < fields.size(); ++r)
      {
        const auto &region = geometry.regions()[r];
        for (unsigned int c = 0; c < region.cells.size(); ++c)
          {
            const Eigen::VectorXd mean = fields[r].middleCols(c * nd, nd) *
                                         events.physics()[r].dof_integral.segment(c * nd, nd) /
                                         region.cell_data[c].volume;
            const unsigned int index = region.cells[c]->active_cell_index();
            temperature[index]       = t0 + mean[0] / total_capacity[r];
            heat_flux.row(index)     = mean.segment(1, 3).transpose();
          }
      }
  }

  template <int dim>
  std::vector<double> Observables<dim>::trace_temperatures(const std::vector<RegionFields> &fields,
                                                           unsigned int r) const
  {
    const Eigen::VectorXd energy = fields[r].row(0).transpose();
    std::vector<double>   values(events.sweep().geometry().regions()[r].traces.size());
    events.sweep().trace_values(r, energy.data(), values.data());
    for (double &v : values)
      v = t0 + v / total_capacity[r];
    return values;
  }

  template <int dim>
  Eigen::Vector3d Observables<dim>::mean_heat_flux(const std::vector<RegionFields> &fields) const
  {
    Eigen::Vector3d integral = Eigen::Vector3d::Zero();
    double          volume   = 0;
    for (unsigned int r = 0; r < fields.size(); ++r)
      {
        integral += (fields[r].middleRows(1, 3) * events.physics()[r].dof_integral);
        volume += events.physics()[r].dof_integral.sum();
      }
    return integral / volume;
  }

  template <int dim>
  std::map<unsigned int, double> Observables<dim>::wall_heat_outflow(const ModeField &psi) const
  {
    const std::vector<RowMatrix>   outgoing = events.trace_values(psi);
    std::map<unsigned int, double> outflow;
    for (unsigned int r = 0; r < outgoing.size(); ++r)
      {
        const RegionPhysics    &region = events.physics()[r];
        const DriftRegion<dim> &mesh   = geometry().regions()[r];
        const int               first  = region.distribution->local_begin();
        RowMatrix               emitted, reflected;
        region.walls->source_inflow(emitted);
        region.walls->reflect(outgoing[r], reflected);
        for (const auto &[c, f] : mesh.trace_faces)
          {
            const DriftFace &face = mesh.cell_data[c].faces[f];
            for (int q = 0; q < face.normal_jxw.cols(); ++q)
              {
                const unsigned int t = face.first_trace + q;
                if (mesh.traces[t].boundary_id == interface_id)
                  continue;
                double &flow = outflow[mesh.traces[t].boundary_id];
                for (int i = 0; i < outgoing[r].rows(); ++i)
                  {
                    const double w = face.normal_jxw.col(q).dot(region.modes.velocity.row(first + i));
                    flow += region.energy[first + i] * w *
                            (w > 0 ? outgoing[r](i, t) : emitted(i, t) + reflected(i, t));
                  }
              }
          }
      }
    // Every rank visits the same trace points, so the maps hold the same keys.
    std::vector<double> local, total(outflow.size());
    for (const auto &[id, flow] : outflow)
      local.push_back(flow);
    MPI_Allreduce(local.data(), total.data(), local.size(), MPI_DOUBLE, MPI_SUM, events.communicator());
    unsigned int k = 0;
    for (auto &[id, flow] : outflow)
      flow = total[k++];
    return outflow;
  }

  template bool locate_point(const DriftGeometry<1> &, const dealii::Triangulation<1> &,
                             const dealii::Point<1> &, unsigned int &, unsigned int &, Eigen::VectorXd &);
  template bool locate_point(const DriftGeometry<2> &, const dealii::Triangulation<2> &,
                             const dealii::Point<2> &, unsigned int &, unsigned int &, Eigen::VectorXd &);
  template bool locate_point(const DriftGeometry<3> &, const dealii::Triangulation<3> &,
                             const dealii::Point<3> &, unsigned int &, unsigned int &, Eigen::VectorXd &);
  template class Observables<1>;
  template class Observables<2>;
  template class Observables<3>;
} // namespace kapitza
