#include "solver/surface_arrivals.h"

#include "interface/boundary_conditions.h"
#include "scattering/formatted.h"
#include "scattering/hdf5_file.h"
#include "solver/heat_source.h"

#include <deal.II/grid/grid_tools.h>

#include <cmath>
#include <map>

namespace kapitza
{
  void SurfaceArrivalSettings::declare(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Integer;
    prm.declare_entry("Surface polar bins", "18", Integer(1),
                      "surface arrivals (3D): equal bins of the polar angle in [0, pi] of a "
                      "surface point about the domain centre (z axis)");
    prm.declare_entry("Surface azimuth bins", "36", Integer(1),
                      "surface arrivals (2D, 3D): equal bins of the azimuth in [-pi, pi] of a "
                      "surface point about the domain centre");
    prm.declare_entry("Arrival direction bins", "9", Integer(1),
                      "surface arrivals: equal bins of the angle in [0, pi/2] between an arriving "
                      "mode's group velocity and the outward normal");
  }

  void SurfaceArrivalSettings::parse(dealii::ParameterHandler &prm)
  {
    polar_bins     = prm.get_integer("Surface polar bins");
    azimuth_bins   = prm.get_integer("Surface azimuth bins");
    direction_bins = prm.get_integer("Arrival direction bins");
  }

  namespace
  {
    std::vector<double> equal_bins(double lo, double hi, unsigned int n)
    {
      std::vector<double> edges;
      for (unsigned int b = 0; b <= n; ++b)
        edges.push_back(lo + (hi - lo) * b / n);
      return edges;
    }

    /// Bin of x among equal bins on [edges.front(), edges.back()] (the top edge in the last).
    unsigned int bin_of(const std::vector<double> &edges, double x)
    {
      const unsigned int n = edges.size() - 1;
      const int          b = int((x - edges.front()) / (edges.back() - edges.front()) * n);
      return std::clamp(b, 0, int(n) - 1);
    }
  } // namespace

  template <int dim>
  SurfaceArrivals<dim>::SurfaceArrivals(const Observables<dim> &observables, const EventOperator<dim> &events,
                                        const SurfaceArrivalSettings   &settings,
                                        const std::vector<std::string> &material_names,
                                        const dealii::Triangulation<dim> &triangulation)
    : observables(observables)
    , events(events)
  {
    data.dim             = dim;
    data.frequency_edges = observables.frequency_edges();
    const auto &labels   = observables.group_labels();
    data.frequency_labels.assign(labels.end() - data.frequency_edges.size() + 1, labels.end());
    for (const RegionPhysics &region : events.physics())
      data.nominal_frequencies |= region.modes.nominal_frequencies;
    // A 2D point lies in the plane (polar angle pi/2), a 1D one on the x axis (azimuth 0 or pi).
    data.polar_edges     = equal_bins(0, M_PI, dim == 3 ? settings.polar_bins : 1);
    data.azimuth_edges   = equal_bins(-M_PI, M_PI, dim >= 2 ? settings.azimuth_bins : 1);
    data.direction_edges = equal_bins(0, M_PI / 2, settings.direction_bins);
    const auto centre    = dealii::GridTools::compute_bounding_box(triangulation).center();
    for (int d = 0; d < dim; ++d)
      data.centre[d] = centre[d];
    find_points(material_names);
  }

  template <int dim>
  unsigned int SurfaceArrivals<dim>::position_bin(const Eigen::Vector3d &point) const
  {
    const Eigen::Vector3d p = point - data.centre;
    const double          r = p.norm();
    const double polar      = r > 0 ? std::acos(std::clamp(p[2] / r, -1.0, 1.0)) : 0.0;
    const double azimuth    = std::atan2(p[1], p[0]);
    return bin_of(data.polar_edges, polar) * (data.azimuth_edges.size() - 1) +
           bin_of(data.azimuth_edges, azimuth);
  }

  template <int dim>
  unsigned int SurfaceArrivals<dim>::direction_bin(double cosine) const
  {
    return bin_of(data.direction_edges, std::acos(std::min(cosine, 1.0)));
  }

  template <int dim>
  void SurfaceArrivals<dim>::find_points(const std::vector<std::string> &material_names)
  {
    // Surfaces: walls by boundary id, then interfaces by (from, to) material; the mesh is
    // replicated, so every rank finds the same list in the same order.
    std::map<std::pair<int, int>, unsigned int> surface_of;
    const auto key = [](const TracePoint &point, unsigned int r) {
      return point.boundary_id == interface_id ? std::pair<int, int>(1 + r, point.partner_region)
                                               : std::pair<int, int>(0, point.boundary_id);
    };
    const auto &regions = observables.geometry().regions();
    for (unsigned int r = 0; r < regions.size(); ++r)
      for (const TracePoint &point : regions[r].traces)
        surface_of[key(point, r)] = 0;
    for (auto &[surface, index] : surface_of)
      {
        index = data.surfaces.size();
        data.surfaces.push_back(surface.first == 0 ? BoundaryConditions::name(surface.second)
                                                   : "interface from " + material_names[surface.first - 1] +
                                                       " to " + material_names[surface.second]);
      }
    data.area.setZero(data.surfaces.size(), data.n_position());
    points.resize(regions.size());
    for (unsigned int r = 0; r < regions.size(); ++r)
      for (const auto &[c, f] : regions[r].trace_faces)
        {
          const DriftFace &face = regions[r].cell_data[c].faces[f];
          for (int q = 0; q < face.normal_jxw.cols(); ++q)
            {
              const unsigned int t     = face.first_trace + q;
              const TracePoint  &trace = regions[r].traces[t];
              const ArrivalPoint point{t, surface_of[key(trace, r)], position_bin(trace.position),
                                       face.normal_jxw.col(q), trace.normal};
              data.area(point.surface, point.position_bin) += point.normal_jxw.norm();
              points[r].push_back(point);
            }
        }
  }

  template <int dim>
  RowMatrix SurfaceArrivals<dim>::tally(const ModeField &psi) const
  {
    const unsigned int           nf = data.n_frequency(), np = data.n_position();
    RowMatrix                    local    = RowMatrix::Zero(data.surfaces.size(), nf + np + data.n_direction());
    const std::vector<RowMatrix> outgoing = events.trace_values(psi);
    for (unsigned int r = 0; r < outgoing.size(); ++r)
      {
        const RegionPhysics  &region = events.physics()[r];
        const int             first  = region.distribution->local_begin();
        const Eigen::VectorXd speed  = region.modes.velocity.rowwise().norm();
        for (int i = 0; i < outgoing[r].rows(); ++i)
          {
            const unsigned int mu    = first + i;
            const unsigned int fbin  = observables.frequency_bin(r, mu);
            const auto         v     = region.modes.velocity.row(mu);
            for (const ArrivalPoint &point : points[r])
              {
                const double w = point.normal_jxw.dot(v);
                if (w <= 0) // entering: the wall's or the interface's, not an arrival
                  continue;
                const double flux = region.energy[mu] * w * outgoing[r](i, point.trace);
                auto         row  = local.row(point.surface);
                row[fbin] += flux;
                row[nf + point.position_bin] += flux;
                row[nf + np + direction_bin(point.normal.dot(v) / speed[mu])] += flux;
              }
          }
      }
    RowMatrix total(local.rows(), local.cols());
    MPI_Allreduce(local.data(), total.data(), local.size(), MPI_DOUBLE, MPI_SUM, events.communicator());
    return total;
  }

  template <int dim>
  std::string SurfaceArrivals<dim>::summary(const char *unit) const
  {
    std::string text;
    for (unsigned int s = 0; s < data.surfaces.size(); ++s)
      {
        const unsigned int nf      = data.n_frequency();
        const double       total   = data.total.row(s).head(nf).sum();
        double             resolved = 0;
        for (const RowMatrix &event : data.events)
          resolved += event.row(s).head(nf).sum();
        text += formatted("arriving at %s: %.6e %s (%zu resolved events %.6e, remainder %.3e)\n",
                          data.surfaces[s].c_str(), total, unit, data.events.size(), resolved,
                          total - resolved);
      }
    return text;
  }

  namespace
  {
    /// Writes the three binnings of the rows of `tallies` (one per event, or one) of surface s.
    void write_tallies(Hdf5File &file, const std::string &prefix, const SurfaceArrivalRecord &record,
                       const std::vector<const RowMatrix *> &tallies, unsigned int s, bool per_event)
    {
      const hsize_t nf = record.n_frequency(), np = record.polar_edges.size() - 1,
                    na = record.azimuth_edges.size() - 1, nd = record.n_direction(), e = tallies.size();
      std::vector<double> frequency, position, direction;
      for (const RowMatrix *tally : tallies)
        {
          const auto row = tally->row(s);
          frequency.insert(frequency.end(), row.data(), row.data() + nf);
          position.insert(position.end(), row.data() + nf, row.data() + nf + np * na);
          direction.insert(direction.end(), row.data() + nf + np * na, row.data() + nf + np * na + nd);
        }
      const auto shape = [&](std::vector<hsize_t> dims) {
        if (per_event)
          dims.insert(dims.begin(), e);
        return dims;
      };
      file.write(prefix + "frequency", shape({nf}), frequency.data());
      file.write(prefix + "position", shape({np, na}), position.data());
      file.write(prefix + "direction", shape({nd}), direction.data());
    }

    void write_edges(Hdf5File &file, const std::string &name, const std::vector<double> &edges,
                     const std::string &unit)
    {
      file.write("surface_arrivals/" + name, {edges.size()}, edges.data());
      file.write_attribute("surface_arrivals/" + name, "unit", unit);
    }
  } // namespace

  void write_surface_arrivals(Hdf5File &file, const SurfaceArrivalRecord &record)
  {
    const std::string group = "surface_arrivals";
    file.create_group(group);
    file.write_attribute(group, "unit", std::string(power_unit(record.dim)));
    file.write_attribute(group, "area_unit", record.dim == 1 ? std::string("1") :
                                               record.dim == 2 ? std::string("m") : std::string("m^2"));
    file.write_attribute(group, "events", int(record.events.size()));
    file.write_attribute(group, "surfaces", record.surfaces);
    file.write(group + "/centre", {3}, record.centre.data());
    write_edges(file, "frequency_edges", record.frequency_edges,
                record.nominal_frequencies ? "rad/s (nominal)" : "rad/s");
    file.write_attribute(group + "/frequency_edges", "labels", record.frequency_labels);
    write_edges(file, "polar_edges", record.polar_edges, "rad");
    write_edges(file, "azimuth_edges", record.azimuth_edges, "rad");
    write_edges(file, "direction_edges", record.direction_edges, "rad");
    // The remainder: what the converged state carries beyond the resolved events.
    RowMatrix remainder = record.total;
    for (const RowMatrix &event : record.events)
      remainder -= event;
    std::vector<const RowMatrix *> events;
    for (const RowMatrix &event : record.events)
      events.push_back(&event);
    for (unsigned int s = 0; s < record.surfaces.size(); ++s)
      {
        const std::string path = group + "/" + record.surfaces[s], surface = path + "/";
        file.create_group(path);
        file.write_attribute(path, "total", record.total.row(s).head(record.n_frequency()).sum());
        const RowMatrix area = record.area.row(s);
        file.write(surface + "area", {record.polar_edges.size() - 1, record.azimuth_edges.size() - 1},
                   area.data());
        if (!events.empty())
          write_tallies(file, surface, record, events, s, true);
        write_tallies(file, surface + "total_", record, {&record.total}, s, false);
        write_tallies(file, surface + "remainder_", record, {&remainder}, s, false);
      }
  }

  template class SurfaceArrivals<1>;
  template class SurfaceArrivals<2>;
  template class SurfaceArrivals<3>;
} // namespace kapitza
