#include "solver/results_writer.h"

#include "solver/heat_source.h"

#include "scattering/file_checks.h"
#include "scattering/hdf5_file.h"
#include "scattering/mode_database.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_out.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    using Shape = std::vector<hsize_t>;

    template <int dim>
    void write_line(Hdf5File &file, const Observables<dim> &observables,
                    const LineObservables &line)
    {
      const auto   &probe = observables.line();
      const hsize_t n = probe.points.size(), groups = observables.group_labels().size();
      std::vector<double> x, points;
      for (const auto &p : probe.points)
        {
          x.push_back(p[0]);
          points.insert(points.end(), p.data(), p.data() + 3);
        }
      file.create_group("line");
      file.write("line/position", {n}, x.data());
      file.write("line/points", {n, 3}, points.data());
      file.write("line/temperature", {n}, line.temperature.data());
      file.write("line/scattering_temperature", {n}, line.scattering_temperature.data());
      file.write("line/heat_flux", {n, 3}, line.heat_flux.data());
      file.write("line/modal_temperature", {groups, n}, line.modal_temperature.data());
      file.write_attribute("line/modal_temperature", "group_labels", observables.group_labels());
      file.write("line/modal_present", {groups, n}, line.modal_present.data());
    }

    void write_events(Hdf5File &file, const std::vector<LineObservables> &event_lines,
                      const SolveReport &report, double t0)
    {
      file.create_group("events");
      if (event_lines.empty())
        return;
      const hsize_t       e = event_lines.size(), n = event_lines[0].temperature.size();
      std::vector<double> temperature, flux;
      for (const auto &line : event_lines)
        for (hsize_t i = 0; i < n; ++i)
          {
            temperature.push_back(line.temperature[i] - t0);
            flux.push_back(line.heat_flux(i, 0));
          }
      file.write("events/temperature", {e, n}, temperature.data());
      file.write("events/heat_flux", {e, n}, flux.data());
      std::vector<double> removed, emitted;
      for (const auto &balance : report.event_energy)
        {
          removed.push_back(balance.removed);
          emitted.push_back(balance.emitted);
        }
      if (!removed.empty())
        {
          file.write("events/energy_removed", {removed.size()}, removed.data());
          file.write("events/energy_emitted", {emitted.size()}, emitted.data());
        }
    }

    void write_interfaces(Hdf5File &file, const std::vector<InterfaceReport> &reports)
    {
      file.create_group("interfaces");
      for (unsigned int i = 0; i < reports.size(); ++i)
        {
          const InterfaceReport &r     = reports[i];
          const std::string      group = "interfaces/" + std::to_string(i);
          file.create_group(group);
          file.write_attribute(group, "materials", std::vector<std::string>{r.material_a, r.material_b});
          file.write_attribute(group, "position", r.position);
          file.write_attribute(group, "temperature_drop", r.temperature_drop);
          file.write_attribute(group, "face_temperature_jump", r.face_jump);
          file.write_attribute(group, "heat_flux", r.heat_flux);
          file.write_attribute(group, "resistance", r.resistance);
          file.write_attribute(group, "conductance", 1.0 / r.resistance);
          file.write_attribute(group, "conductivity_a", r.kappa_a);
          file.write_attribute(group, "conductivity_b", r.kappa_b);
          file.write_attribute(group, "length_a", r.kappa_a * r.resistance);
          file.write_attribute(group, "length_b", r.kappa_b * r.resistance);
          file.write_attribute(group, "model", r.model);
          file.write_attribute(group, "landauer_conductance", r.landauer_conductance);
          if (r.spectral_conductance > 0)
            file.write_attribute(group, "spectral_landauer_conductance", r.spectral_conductance);
          if (r.model == "smm")
            for (const auto &[name, value] :
                 {std::pair{"smm_events_per_crossing", r.strain.golden_rule_probability},
                  {"smm_strain_flux", r.strain.strain_flux}, {"smm_golden_rule_flux", r.strain.golden_rule_flux},
                  {"smm_background_flux", r.strain.background_flux}, {"smm_diffuse_flux", r.strain.diffuse_flux},
                  {"smm_momentum_resolution", r.strain.momentum_resolution}})
              file.write_attribute(group, name, value);
          const hsize_t k = r.frequency.size();
          if (k == 0)
            continue;
          file.write(group + "/frequency", {k}, r.frequency.data());
          const RowMatrix transmission = r.transmission;
          file.write(group + "/transmission", {2, k}, transmission.data());
          file.write(group + "/spectral_heat_flux", {k}, r.spectral_flux.data());
        }
    }

    // The heat sources: their power and the heat that left through each wall, in the unit
    // of a power integrated over the mesh's dimension (docs/results.md).
    void write_sources(Hdf5File &file, const SourceReport &sources, int dim)
    {
      file.create_group("sources");
      file.write_attribute("sources", "profile", sources.profile);
      file.write_attribute("sources", "description", sources.description);
      file.write_attribute("sources", "power", sources.power);
      file.write_attribute("sources", "power_unit", std::string(power_unit(dim)));
      std::vector<std::string> walls;
      std::vector<double>      outflow;
      for (const auto &[id, flow] : sources.wall_outflow)
        {
          walls.push_back(BoundaryConditions::name(id));
          outflow.push_back(flow);
        }
      file.write_attribute("sources", "walls", walls);
      file.write("sources/wall_outflow", {outflow.size()}, outflow.data());
    }

    // A transient run: per output step the time, the line temperature, the energy and the
    // heat that left through the walls; the time integral of the line temperature.
    void write_transient(Hdf5File &file, const TransientRecord &record, int dim)
    {
      file.create_group("transient");
      file.write_attribute("transient", "time_step", record.time_step);
      file.write_attribute("transient", "steps", int(record.steps));
      file.write_attribute("transient", "output_every", int(record.output_every));
      file.write_attribute("transient", "initial_population", std::string("source"));
      file.write_attribute("transient", "initial_energy", record.initial_energy);
      file.write_attribute("transient", "energy_unit", "J" + std::string(power_unit(dim) + 1));
      file.write_attribute("transient", "power_unit", std::string(power_unit(dim)));
      const hsize_t       k = record.time.size(), n = record.time_integral.size();
      std::vector<double> temperature, outflow;
      std::vector<std::string> walls;
      for (const auto &[id, flow] : record.wall_outflow.front())
        walls.push_back(BoundaryConditions::name(id));
      for (hsize_t i = 0; i < k; ++i)
        {
          temperature.insert(temperature.end(), record.temperature[i].begin(), record.temperature[i].end());
          for (const auto &[id, flow] : record.wall_outflow[i])
            outflow.push_back(flow);
        }
      file.write("transient/time", {k}, record.time.data());
      file.write("transient/temperature", {k, n}, temperature.data());
      file.write("transient/energy", {k}, record.energy.data());
      file.write("transient/energy_left", {k}, record.energy_left.data());
      file.write("transient/wall_outflow", {k, walls.size()}, outflow.data());
      file.write_attribute("transient/wall_outflow", "walls", walls);
      file.write("transient/time_integral", {n}, record.time_integral.data());
    }

    // Each material's database and provenance, so that a results file says which modes
    // (mesh, scattering, code version) produced it without the databases at hand.
    void write_materials(Hdf5File &file, const std::vector<MaterialRecord> &materials)
    {
      file.create_group("materials");
      for (const MaterialRecord &material : materials)
        {
          const std::string group = "materials/" + material.name;
          file.create_group(group);
          file.write_attribute(group, "file", material.file);
          if (!material.source.empty())
            file.write_attribute(group, "source", material.source);
          write_provenance(file, group + "/provenance", material.provenance);
          const RowMatrix orientation = material.orientation;
          file.write(group + "/orientation", {3, 3}, orientation.data());
        }
    }

    // Synthetic EELS (docs/results.md): spectra along the line, fitted temperatures, windows.
    void write_eels(Hdf5File &file, const EelsResult &eels)
    {
      const EelsParameters &p = eels.parameters;
      const hsize_t n = eels.position.size(), k = eels.energy.size(), w = p.windows.size();
      file.create_group("eels");
      file.write_attribute("eels", "energy_resolution", p.resolution);
      file.write_attribute("eels", "energy_step", p.energy_step);
      file.write_attribute("eels", "weights", p.weights);
      file.write_attribute("eels", "collection", std::string(p.off_axis ? "off-axis" : "on-axis"));
      if (p.off_axis)
        file.write_attribute("eels", "collection_angle", p.collection_angle * M_PI / 180);
      file.write_attribute("eels", "probe_size", p.probe_size);
      file.write_attribute("eels", "fit_window_low", p.fit_lo);
      file.write_attribute("eels", "fit_window_high", p.fit_hi); // 0: the top, per point in fit_top
      file.write("eels/energy", {k}, eels.energy.data());
      file.write("eels/position", {n}, eels.position.data());
      file.write("eels/loss", {n, k}, eels.loss.data());
      file.write("eels/gain", {n, k}, eels.gain.data());
      RowMatrix ratio = eels.loss.cwiseQuotient(eels.gain);
      ratio = (eels.gain.array() > 0).select(ratio, std::numeric_limits<double>::quiet_NaN());
      file.write("eels/ratio", {n, k}, ratio.data());
      file.write("eels/temperature", {n}, eels.temperature.data());
      file.write("eels/temperature_error", {n}, eels.temperature_error.data());
      file.write("eels/fit_points", {n}, eels.fit_points.data());
      file.write("eels/fit_top", {n}, eels.fit_top.data());
      if (w == 0)
        return;
      std::vector<std::string> names;
      std::vector<double>      bounds;
      for (const EnergyWindow &window : p.windows)
        {
          names.push_back(window.name);
          bounds.insert(bounds.end(), {window.lo, window.hi});
        }
      file.write("eels/window_loss", {w, n}, eels.window_loss.data());
      file.write("eels/window_gain", {w, n}, eels.window_gain.data());
      file.write("eels/window_bounds", {w, 2}, bounds.data());
      file.write_attribute("eels/window_loss", "names", names);
      file.write_attribute("eels/window_gain", "names", names);
    }

    template <int dim>
    void write_cells(Hdf5File &file, const Observables<dim> &observables,
                     const std::vector<RegionFields> &fields,
                     const dealii::Triangulation<dim> &triangulation)
    {
      std::vector<double> temperature, centers;
      std::vector<int>    material;
      RowMatrix           flux;
      observables.on_cells(fields, temperature, flux);
      for (const auto &cell : triangulation.active_cell_iterators())
        {
          for (int d = 0; d < 3; ++d)
            centers.push_back(d < dim ? cell->center()[d] : 0.0);
          material.push_back(cell->material_id());
        }
      const hsize_t n = temperature.size();
      file.create_group("cells");
      file.write("cells/center", {n, 3}, centers.data());
      file.write("cells/temperature", {n}, temperature.data());
      file.write("cells/heat_flux", {n, 3}, flux.data());
      file.write("cells/material", {n}, material.data());
    }

    template <int dim>
    void write_vtu(const std::string &path, const Observables<dim> &observables,
                   const std::vector<RegionFields> &fields,
                   const dealii::Triangulation<dim> &triangulation,
                   const DriftGeometry<dim> &geometry)
    {
      dealii::DoFHandler<dim> dof_handler(triangulation);
      dof_handler.distribute_dofs(geometry.finite_element());
      std::vector<dealii::Vector<double>> data(4, dealii::Vector<double>(dof_handler.n_dofs()));
      std::vector<dealii::types::global_dof_index> indices(geometry.dofs_per_cell());
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          const auto [r, c] = geometry.locate(cell->active_cell_index());
          cell->get_dof_indices(indices);
          const double capacity = observables.physics_capacity(r);
          for (unsigned int i = 0; i < indices.size(); ++i)
            {
              const auto column = fields[r].col(c * indices.size() + i);
              data[0][indices[i]] = observables.reference_temperature() + column[0] / capacity;
              for (int d = 0; d < 3; ++d)
                data[1 + d][indices[i]] = column[1 + d];
            }
        }
      dealii::DataOut<dim> out;
      out.attach_dof_handler(dof_handler);
      const char *names[4] = {"temperature", "heat_flux_x", "heat_flux_y", "heat_flux_z"};
      for (int k = 0; k < 4; ++k)
        out.add_data_vector(data[k], names[k]);
      out.build_patches(geometry.mapping(), geometry.finite_element().degree);
      std::ofstream stream(path);
      out.write_vtu(stream);
      if (!stream)
        throw std::runtime_error("cannot write '" + path + "'");
    }
  } // namespace

  std::string vtu_path(const std::string &results_path)
  {
    return std::filesystem::path(results_path).replace_extension(".vtu").string();
  }

  namespace
  {
    // Renames the finished temporary file onto its target, still a regular file or absent.
    void publish(const std::string &temporary, const std::string &path)
    {
      check_output_target("Output/File", path);
      if (std::rename(temporary.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot write results file '" + path + "'");
    }
  } // namespace

  void prepare_outputs(const std::string &path, bool write_vtu,
                       const std::vector<std::string> &inputs, MPI_Comm communicator)
  {
    std::vector<std::string> targets{path};
    if (write_vtu)
      targets.push_back(vtu_path(path));
    for (const std::string &target : targets)
      check_output_target("Output/File", target, inputs);
    if (dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
      for (const std::string &target : targets)
        std::filesystem::remove(target);
  }

  namespace
  {
    template <int dim>
    void write_hdf5(const std::string &temporary, const Observables<dim> &observables,
                    const std::vector<RegionFields> &fields, const LineObservables &line,
                    const SolveReport &report, const ResultsSummary &summary,
                    const std::vector<LineObservables> &event_lines,
                    const dealii::Triangulation<dim>    &triangulation)
    {
      Hdf5File file(temporary, Hdf5File::Mode::create);
      file.write_attribute("/", "format", std::string("kapitza-results"));
      file.write_attribute("/", "version", 1);
      file.write_attribute("/", "converged", int(report.converged));
      file.write_attribute("/", "events", int(report.events));
      file.write_attribute("/", "iterations", int(report.iterations));
      file.write_attribute("/", "residual", report.residual);
      if (const RunIdentity &run = summary.identity; !run.run_id.empty())
        for (const auto &[name, value] : std::vector<std::pair<std::string, std::string>>{
               {"run_id", run.run_id}, {"input_file", run.input_file},
               {"input_sha256", run.input_sha256}, {"start_time", run.start_time}})
          file.write_attribute("/", name, value);
      write_line(file, observables, line);
      write_cells(file, observables, fields, triangulation);
      write_events(file, event_lines, report, summary.reference_temperature);
      write_interfaces(file, summary.interfaces);
      write_materials(file, summary.materials);
      if (summary.eels)
        write_eels(file, *summary.eels);
      if (summary.sources)
        write_sources(file, *summary.sources, dim);
      if (summary.transient)
        write_transient(file, *summary.transient, dim);
      write_surface_arrivals(file, summary.arrivals);
      file.create_group("summary");
      file.write_attribute("summary", "reference_temperature", summary.reference_temperature);
      file.write_attribute("summary", "wall_time", summary.wall_time);
      file.write_attribute("summary", "mean_heat_flux", summary.mean_heat_flux[0]);
      file.write("summary/mean_heat_flux_vector", {3}, summary.mean_heat_flux.data());
      if (summary.effective_conductivity)
        file.write_attribute("summary", "effective_conductivity", *summary.effective_conductivity);
    }
  } // namespace

  template <int dim>
  void write_results(const std::string &path, bool vtu, const Observables<dim> &observables,
                     const std::vector<RegionFields> &fields, const LineObservables &line,
                     const SolveReport &report, const ResultsSummary &summary,
                     const std::vector<LineObservables> &event_lines,
                     const dealii::Triangulation<dim>    &triangulation)
  {
    const std::string temporary = path + ".partial";
    try
      {
        write_hdf5(temporary, observables, fields, line, report, summary, event_lines, triangulation);
        if (vtu)
          {
            const std::string vtu_file = vtu_path(path);
            write_vtu(vtu_file + ".partial", observables, fields, triangulation, observables.geometry());
            publish(vtu_file + ".partial", vtu_file);
          }
        publish(temporary, path);
      }
    catch (...)
      {
        std::remove(temporary.c_str());
        std::remove((vtu_path(path) + ".partial").c_str());
        throw;
      }
  }

  template void write_results<1>(const std::string &, bool, const Observables<1> &,
                                 const std::vector<RegionFields> &, const LineObservables &,
                                 const SolveReport &,
                                 const ResultsSummary &, const std::vector<LineObservables> &,
                                 const dealii::Triangulation<1> &);
  template void write_results<2>(const std::string &, bool, const Observables<2> &,
                                 const std::vector<RegionFields> &, const LineObservables &,
                                 const SolveReport &,
                                 const ResultsSummary &, const std::vector<LineObservables> &,
                                 const dealii::Triangulation<2> &);
  template void write_results<3>(const std::string &, bool, const Observables<3> &,
                                 const std::vector<RegionFields> &, const LineObservables &,
                                 const SolveReport &,
                                 const ResultsSummary &, const std::vector<LineObservables> &,
                                 const dealii::Triangulation<3> &);
} // namespace kapitza
