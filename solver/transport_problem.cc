#include "solver/transport_problem.h"

#include "interface/interface_scattering.h"
#include "scattering/crystal_orientation.h"
#include "scattering/formatted.h"
#include "scattering/memory_check.h"
#include "scattering/mode_database.h"
#include "solver/drift_sweep.h"

#include <deal.II/base/timer.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // The largest rank's number of drift classes (the inverse cache's slots) in a set.
    template <int dim>
    double local_drift_classes(const ModeSet &set, MPI_Comm communicator)
    {
      const ModeDistribution distribution(set.size(), communicator);
      const int              first = distribution.local_begin(), n = distribution.n_local();
      const double           local =
        drift_classes<dim>(set.relaxation_rate().segment(first, n), set.velocity.middleRows(first, n)).count;
      return dealii::Utilities::MPI::max(local, communicator);
    }
  } // namespace

  template <int dim>
  TransportProblem<dim>::TransportProblem(const RunParameters &parameters, MPI_Comm communicator)
    : parameters(parameters)
    , communicator(communicator)
    , pcout(std::cout, dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
  {}

  template <int dim>
  bool TransportProblem<dim>::scattering_data_unknown(const std::vector<RegionSize> &sizes) const
  {
    return use_scattering_data(parameters.solver.unknown,
                               std::none_of(sizes.begin(), sizes.end(),
                                            [](const RegionSize &region) { return region.collision; }));
  }

  template <int dim>
  MemoryEstimate TransportProblem<dim>::estimate_memory(const std::vector<RegionSize> &sizes,
                                                        bool                            matrices_read) const
  {
    // Per rank: the GMRES basis (restart + 3 vectors) and about 8 working copies of the
    // Krylov unknown; the state psi once (scattering data) or in every copy (state); a
    // gathered state per dense region, and each dense region's matrix (every rank holds the
    // whole, which DenseMixing applies in place) unless it is read already (then in use).
    const double   ranks = dealii::Utilities::MPI::n_mpi_processes(communicator);
    const double   nd    = std::pow(parameters.degree + 1.0, dim); // FE_DGQ
    const bool     data  = scattering_data_unknown(sizes);
    const double   copies = (parameters.solver.method != "events" ? parameters.solver.restart + 3 : 0) + 8;
    // A transient also holds psi^n / dt and the new step beside the state.
    const double   states = parameters.solver.method == "transient" ? 3 : 1;
    MemoryEstimate estimate;
    double         cache = 0;
    // EELS holds the populations of one region's local modes at every probe point (line
    // and zoom) at a time.
    const double probe_points =
      parameters.eels.enabled ? parameters.line_points + (parameters.line_zoom.size() == 3 ? parameters.line_zoom[2] : 0) : 0;
    double eels = 0;
    for (const RegionSize &region : sizes)
      {
        const double n_dofs  = region.cells * nd;
        const double n_local = std::ceil(region.modes / ranks);
        const double state   = 8 * n_local * n_dofs;
        estimate.state_bytes += data ? states * state + 8 * copies * (n_dofs + n_local * region.traces) :
                                        state * (copies + states - 1);
        eels = std::max(eels, 8 * n_local * probe_points);
        if (region.collision)
          estimate.matrix_bytes += 8 * (2.0 * region.modes * n_dofs + (matrices_read ? 0 : region.modes * region.modes));
        cache += 8.0 * (region.drift_classes >= 0 ? region.drift_classes : n_local) * region.cells * nd * nd;
        estimate.geometry_bytes += 8.0 * region.cells * (dim + 1 + 2 * dim * 3) * nd * nd;
      }
    estimate.state_bytes += eels + std::min(cache, parameters.cell_cache * 1e9);
    estimate.in_use_bytes = resident_bytes();
    return estimate;
  }

  template <int dim>
  void TransportProblem<dim>::check_memory(const std::vector<RegionSize> &sizes, bool matrices_read) const
  {
    const char *const    when     = matrices_read ? "" : " (before the mesh)";
    const MemoryEstimate estimate = estimate_memory(sizes, matrices_read);
    const double limit = parameters.memory_limit > 0 ? parameters.memory_limit * 1e9 : memory_available_on_node();
    estimated_peak     = estimate.total();
    pcout << formatted("memory estimate per rank%s: %.3f GB (in use %.3f, states %.3f, matrices %.3f, geometry %.3f; "
                       "node limit %.1f GB)\n",
                       when, estimate.total() / 1e9, estimate.in_use_bytes / 1e9, estimate.state_bytes / 1e9,
                       estimate.matrix_bytes / 1e9, estimate.geometry_bytes / 1e9, limit / 1e9)
          << std::flush;
    check_node_memory(estimate.planned(), std::string("the run") + when,
                      "reduce modes, cells, Krylov restart, or use more nodes", communicator,
                      parameters.memory_limit * 1e9);
  }

  template <int dim>
  void TransportProblem<dim>::check_before_mesh() const
  {
    // Memory from the parameters and the databases' sizes: a run that cannot fit is
    // refused before any large allocation.
    const auto &p = parameters;
    const std::vector<double> cells      = predicted_cells<dim>(p.mesh, p.material_names);
    const double              ball_faces = predicted_ball_boundary_faces<dim>(p.mesh);
    std::vector<RegionSize>   sizes;
    for (unsigned int m = 0; m < p.material_files.size(); ++m)
      {
        const ModeDatabaseSummary summary = summarize_mode_database(p.material_files[m]);
        // Names label the run's regions and may differ from the database's own (Si for
        // Si-PBEsol): allowed, but said at the top of the output, before any work.
        if (summary.material != p.material_names[m])
          pcout << formatted("note: Materials/Names '%s' is the database material '%s' of %s\n",
                             p.material_names[m].c_str(), summary.material.c_str(),
                             p.material_files[m].c_str());
        // Trace points before the mesh: a ball's wall faces exactly (the scattering data's
        // Krylov basis holds its inflows), else the surface of a cube of the region's cells.
        const double faces =
          ball_faces > 0 ? ball_faces : 2 * dim * std::pow(cells.empty() ? 0.0 : cells[m], (dim - 1.0) / dim);
        const double traces =
          faces * std::pow(drift_quadrature_points(parameters.degree, parameters.mesh.mapping_degree, dim), dim - 1.0);
        if (!cells.empty())
          sizes.push_back({double(summary.n_modes), cells[m], traces, summary.has_collision});
      }
    if (!cells.empty())
      check_memory(sizes, false);
  }

  template <int dim>
  void TransportProblem<dim>::read_materials()
  {
    const auto &p = parameters;
    std::vector<ModeSet> modes;
    for (unsigned int m = 0; m < p.material_files.size(); ++m)
      {
        ConservationReport report;
        modes.push_back(read_mode_database(p.material_files[m], report));
        const ModeSet &set = modes.back();
        if (std::abs(set.temperature - p.reference_temperature) > 1e-9 * p.reference_temperature)
          throw std::runtime_error(p.material_files[m] + ": temperature " + std::to_string(set.temperature) +
                                   " K differs from Solver/Reference temperature " +
                                   std::to_string(p.reference_temperature) + " K");
        if (set.statistics != p.statistics)
          throw std::runtime_error(p.material_files[m] + ": statistics '" + to_string(set.statistics) +
                                   "' differ from Solver/Statistics");
        // A name other than the database's own was said before the mesh (check_before_mesh).
        pcout << formatted("material %-10s %6u modes from %s (%s)\n", p.material_names[m].c_str(),
                           set.size(), p.material_files[m].c_str(),
                           set.has_collision() ? "dense collision matrix" : "RTA");
        if (report.correction > 0)
          pcout << formatted("  collision matrix corrected by a symmetric projection: relative change %.3e\n",
                             report.correction);
        rotate_crystal(modes.back(), p.orientations[m]);
        if (!p.orientations[m].isIdentity(0))
          pcout << "  crystal directions along the mesh's axes: " << describe_orientation(p.orientations[m])
                << "\n";
      }
    std::vector<RegionSize> sizes;
    for (unsigned int m = 0; m < modes.size(); ++m)
      sizes.push_back({double(modes[m].size()), double(geometry->regions()[m].cells.size()),
                       double(geometry->regions()[m].traces.size()), modes[m].has_collision(),
                       local_drift_classes<dim>(modes[m], communicator)});
    check_memory(sizes, true);
    // Operators keep references into their region: build each one in place.
    regions.resize(modes.size());
    for (unsigned int m = 0; m < modes.size(); ++m)
      {
        RegionPhysics &region = regions[m];
        region.modes          = std::move(modes[m]);
        region.distribution   = std::make_unique<ModeDistribution>(region.modes.size(), communicator);
        region.mixing         = create_mixing_operator(region.modes, *region.distribution);
        region.walls          = std::make_unique<WallReflection>(region.modes, *region.distribution,
                                                        geometry->regions()[m].traces, p.boundaries);
        region.energy         = region.modes.energy_weight();
        region.shift          = region.modes.uniform_shift();
      }
  }

  template <int dim>
  void TransportProblem<dim>::report_boundaries() const
  {
    pcout << "boundaries: " << parameters.boundaries.summary() << "\n";
    // The BTE is linearized about the reference: far from it the result is a first-order
    // approximation, which a user should know before trusting a large drop.
    const double reference = parameters.reference_temperature;
    for (const auto &[id, wall] : parameters.boundaries.by_id)
      if (const auto temperature = wall->wall_temperature();
          temperature && std::abs(*temperature - reference) > linearization_warning * reference)
        pcout << formatted("warning: wall '%s' is %.4g K from Solver/Reference temperature %.4g K "
                           "(more than %.0f %%): the linearized BTE is only first order there\n",
                           wall->setting().c_str(), *temperature - reference, reference,
                           100 * linearization_warning);
  }

  template <int dim>
  void TransportProblem<dim>::setup()
  {
    const RunIdentity &run = parameters.identity;
    if (!run.run_id.empty())
      pcout << "run " << run.run_id << " of " << run.input_file << " (sha256 "
            << run.input_sha256.substr(0, 16) << "..., started " << run.start_time << ")\n";
    std::vector<std::string> inputs = parameters.material_files;
    inputs.push_back(run.input_file);
    if (parameters.mesh.generator == "gmsh")
      inputs.push_back(parameters.mesh.file);
    prepare_outputs(parameters.output_file, parameters.write_vtu, inputs, communicator);
    check_before_mesh();
    // Each setup phase is announced before it starts: a large mesh takes minutes here.
    const dealii::Timer clock; // wall time since the setup began, on each phase line
    const auto          phase = [&](const char *what) {
      pcout << formatted("setup: %s (%.2f s)\n", what, clock.wall_time()) << std::flush;
    };
    phase("building the mesh and the drift geometry");
    generate_mesh(parameters.mesh, parameters.material_names, triangulation);
    const auto extent = dealii::GridTools::compute_bounding_box(triangulation).get_boundary_points();
    check_line_zoom(parameters.line_zoom, extent.first[0], extent.second[0]);
    if (parameters.mesh.generator != "layers" && !parameters.boundaries.periodic_pairs(dim).empty())
      throw std::runtime_error("periodic boundaries need the layers generator");
    geometry = std::make_unique<DriftGeometry<dim>>(triangulation, parameters.degree,
                                                    parameters.material_names.size(),
                                                    parameters.boundaries.periodic_pairs(dim),
                                                    parameters.mesh.mapping_degree);
    pcout << formatted("mesh: %u cells, %u DoFs per cell, dimension %d, mapping degree %u\n",
                       triangulation.n_active_cells(), geometry->dofs_per_cell(), dim,
                       parameters.mesh.mapping_degree)
          << std::flush;
    report_boundaries();
    phase("reading the materials");
    read_materials();
    phase("building the drift, scattering and interface operators");
    events      = std::make_unique<EventOperator<dim>>(*geometry, regions, parameters.cell_cache * 1e9);
    if (parameters.sources.active())
      {
        const std::vector<Eigen::VectorXd> projected = project_heat_source(parameters.sources, *geometry);
        // A steady run's source term; a transient run's initial population (G held 1 s).
        if (parameters.solver.method == "transient")
          transient_source = projected;
        else
          for (unsigned int r = 0; r < regions.size(); ++r)
            regions[r].heat_source = projected[r];
        double power = 0;
        for (unsigned int r = 0; r < regions.size(); ++r)
          power += projected[r].size() > 0 ? regions[r].dof_integral.dot(projected[r]) : 0.0;
        pcout << formatted("heat source: %s; power %.6e %s%s\n", parameters.sources.summary().c_str(), power,
                           power_unit(dim), transient_source.empty() ? "" : " (the initial population, held 1 s)");
      }
    interfaces  = std::make_unique<InterfaceScattering<dim>>(*geometry, region_modes(regions),
                                                             *parameters.interfaces.model);
    if (!interfaces->pairs().empty())
      {
        events->set_interfaces(interfaces.get());
        for (const InterfacePair &pair : interfaces->pairs())
          pcout << formatted("interface %s/%s (%s): %zu face points, %u channels, Landauer G %.6g MW/(m^2 K)",
                             parameters.material_names[pair.region_a].c_str(),
                             parameters.material_names[pair.region_b].c_str(),
                             parameters.interfaces.name().c_str(), pair.traces_a.size(), pair.n_channels,
                             pair.landauer_conductance * 1e-6)
                << parameters.interfaces.model->summary(pair) << std::endl;
      }
    observation = std::make_unique<Observables<dim>>(*events, triangulation, parameters.line_points,
                                                     parameters.frequency_bins, parameters.line_zoom);
    if (parameters.eels.enabled)
      eels = std::make_unique<EelsProbe<dim>>(parameters.eels, *events, triangulation, observation->line());
    phase("done");
  }

  template <int dim>
  std::optional<double> TransportProblem<dim>::effective_conductivity(const Eigen::Vector3d &mean_flux) const
  {
    if (parameters.mesh.generator != "layers")
      return {};
    double length = 0;
    for (const Layer &layer : parameters.mesh.layers)
      length += layer.thickness;
    const BoundaryModel &left = parameters.boundaries.at(0), &right = parameters.boundaries.at(1);
    double drop = 0;
    if (left.wall_temperature() && right.wall_temperature())
      drop = *left.wall_temperature() - *right.wall_temperature();
    else if (const auto jump = left.periodic_jump())
      drop = *jump != 0 ? *jump : *right.periodic_jump();
    if (drop == 0)
      return {};
    return mean_flux[0] * length / drop;
  }

  template <int dim>
  SourceReport TransportProblem<dim>::report_sources(const ModeField &psi) const
  {
    SourceReport sources{parameters.sources.profile, parameters.sources.summary(), events->source_power(),
                         observation->wall_heat_outflow(psi)};
    double      out = 0, scale = std::abs(sources.power);
    std::string walls;
    for (const auto &[id, flow] : sources.wall_outflow)
      {
        out += flow;
        scale = std::max(scale, std::abs(flow));
        walls += formatted("%s %.6e, ", BoundaryConditions::name(id).c_str(), flow);
      }
    // In the steady state every watt put in leaves through the walls (DG fluxes conserve
    // energy cell by cell): the imbalance measures the convergence of the solve.
    pcout << formatted("heat source power %.6e %s; leaving through the walls: %ssum %.6e (imbalance %.2e of the largest)\n",
                       sources.power, power_unit(dim), walls.c_str(), out, (out - sources.power) / scale);
    return sources;
  }

  template <int dim>
  ModeField TransportProblem<dim>::initial_population() const
  {
    ModeField psi = events->zero_field();
    for (unsigned int r = 0; r < regions.size(); ++r)
      if (r < transient_source.size() && transient_source[r].size() > 0)
        psi.region[r] = TransientSettings::source_hold_time * emitted_heat_source(regions[r], transient_source[r]);
    return psi;
  }

  template <int dim>
  std::vector<double> TransportProblem<dim>::line_deviation(const ModeField &psi) const
  {
    std::vector<double> deviation = observation->on_line(observation->fields(psi)).temperature;
    for (double &t : deviation)
      t -= parameters.reference_temperature;
    return deviation;
  }

  template <int dim>
  SolveReport TransportProblem<dim>::solve_transient(ModeField &psi, TransientRecord &record)
  {
    const TransientSettings &settings = parameters.transient;
    record              = TransientRecord{};
    record.time_step    = settings.time_step;
    record.steps        = settings.steps;
    record.output_every = settings.output_every;
    psi                 = initial_population();
    record.initial_energy = events->energy(psi);
    double     left       = 0; // dt sum_k wall outflow(psi^k): the discrete balance's loss
    const auto keep       = [&](unsigned int n, const ModeField &state, const std::vector<double> &line,
                          const std::map<unsigned int, double> &outflow) {
      record.time.push_back(n * settings.time_step);
      record.temperature.push_back(line);
      record.energy.push_back(events->energy(state));
      record.energy_left.push_back(left);
      record.wall_outflow.push_back(outflow);
      pcout << formatted("  step %6u  t %.4e s  energy %.6e of the initial, left through the walls %.6e\n", n,
                         n * settings.time_step, record.energy.back() / record.initial_energy,
                         left / record.initial_energy)
            << std::flush;
    };
    keep(0, psi, line_deviation(psi), observation->wall_heat_outflow(psi));
    record.time_integral.assign(record.temperature.front().size(), 0.0);
    const SolveReport report = step_transient<dim>(
      *events, parameters.solver, settings.time_step, settings.steps, psi, [&](unsigned int n, const ModeField &state) {
        const std::vector<double>            line    = line_deviation(state);
        const std::map<unsigned int, double> outflow = observation->wall_heat_outflow(state);
        for (std::size_t i = 0; i < line.size(); ++i)
          record.time_integral[i] += settings.time_step * line[i];
        for (const auto &[id, flow] : outflow)
          left += settings.time_step * flow;
        if (n % settings.output_every == 0 || n == settings.steps)
          keep(n, state, line, outflow);
      });
    // Implicit Euler keeps E^n = E^(n-1) - dt outflow(psi^n) step by step (to the solver
    // tolerance): the energy now plus what left is the initial energy.
    pcout << formatted("transient: %u steps of %.4e s, %u GMRES iterations; energy balance "
                       "(E^N + left - E^0) / E^0 = %.3e\n",
                       settings.steps, settings.time_step, report.iterations,
                       (record.energy.back() + left - record.initial_energy) / record.initial_energy);
    return report;
  }

  template <int dim>
  SolveReport TransportProblem<dim>::run()
  {
    const dealii::Timer clock;
    // Rank 0's wall times, printed after a successful run only (deal.II's summary on
    // destruction would also speak while an error is on its way out).
    dealii::TimerOutput timer(pcout, dealii::TimerOutput::never, dealii::TimerOutput::wall_times);
    {
      dealii::TimerOutput::Scope section(timer, "setup");
      setup();
    }
    std::vector<LineObservables> event_lines;
    SurfaceArrivals<dim>         arrivals(*observation, *events, parameters.arrivals,
                                          parameters.material_names, triangulation);
    ModeField                    psi;
    SolveReport                  report;
    ResultsSummary               summary;
    {
      dealii::TimerOutput::Scope section(timer, "solve");
      std::unique_ptr<DiffusionAcceleration<dim>> acceleration;
      if (parameters.solver.preconditioner == "diffusion" && parameters.solver.method == "accelerated")
        acceleration = std::make_unique<DiffusionAcceleration<dim>>(triangulation, *events, parameters.boundaries);
      if (parameters.solver.method == "transient")
        report = solve_transient(psi, summary.transient.emplace());
      else
        report = solve_steady_state<dim>(*events, parameters.solver, acceleration.get(), psi,
                                         [&](unsigned int, const ModeField &order) {
                                           event_lines.push_back(observation->on_line(observation->fields(order)));
                                           arrivals.add_event(order);
                                         });
    }
    timer.enter_subsection("observables and output");
    const auto   fields     = observation->fields(psi);
    summary.reference_temperature  = parameters.reference_temperature;
    summary.identity               = parameters.identity;
    summary.mean_heat_flux         = observation->mean_heat_flux(fields);
    summary.effective_conductivity = effective_conductivity(summary.mean_heat_flux);
    const LineObservables line     = observation->on_line(fields);
    summary.interfaces = measure_interfaces(parameters, *observation, fields, line,
                                            summary.mean_heat_flux[0], *interfaces,
                                            interfaces->spectral_flux(events->trace_values(psi)));
    if (eels)
      summary.eels = eels->measure(psi);
    if (parameters.sources.active() && !summary.transient) // a transient's source is psi^0
      summary.sources = report_sources(psi);
    arrivals.set_total(psi);
    summary.arrivals = arrivals.record();
    pcout << arrivals.summary(power_unit(dim));
    for (unsigned int m = 0; m < parameters.material_names.size(); ++m)
      {
        const ModeSet &modes = events->physics()[m].modes;
        summary.materials.push_back(
          {parameters.material_names[m], parameters.material_files[m], modes.source, modes.provenance,
           parameters.orientations[m]});
      }
    summary.wall_time = clock.wall_time();
    auto section_time = timer.get_summary_data(dealii::TimerOutput::total_wall_time);
    pcout << formatted("%s after %u iterations and %u resolved events: relative residual %.3e\n",
                       report.converged ? "converged" : "NOT converged", report.iterations,
                       report.events, report.residual)
          << formatted("mean heat flux q_x = %.6e W/m^2", summary.mean_heat_flux[0]);
    if (summary.effective_conductivity)
      pcout << formatted(", effective conductivity %.6g W/(m K)", *summary.effective_conductivity);
    pcout << formatted("\nwall time %.3f s (setup %.3f s, solve %.3f s)\n", summary.wall_time,
                       section_time["setup"], section_time["solve"])
          << formatted("peak memory per rank %.3f GB (largest over the ranks; estimate %.3f GB)\n",
                       dealii::Utilities::MPI::max(resident_bytes("VmHWM:"), communicator) / 1e9,
                       estimated_peak / 1e9);
    for (const InterfaceReport &r : summary.interfaces)
      pcout << formatted("interface %s/%s at x = %.6g m: temperature drop %.6g K (face jump %.6g K), "
                         "R = %.6g m^2K/W, G = %.6g MW/(m^2 K), kappa R = %.4g / %.4g nm\n",
                         r.material_a.c_str(), r.material_b.c_str(), r.position, r.temperature_drop,
                         r.face_jump, r.resistance, 1e-6 / r.resistance, r.kappa_a * r.resistance * 1e9,
                         r.kappa_b * r.resistance * 1e9)
            << std::flush;
    if (pcout.is_active())
      write_results(parameters.output_file, parameters.write_vtu, *observation, fields, line, report,
                    summary, event_lines, triangulation);
    timer.leave_subsection();
    timer.print_summary();
    return report;
  }

  template class TransportProblem<1>;
  template class TransportProblem<2>;
  template class TransportProblem<3>;
} // namespace kapitza
