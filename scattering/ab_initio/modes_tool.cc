// kapitza-modes: mode databases (DESIGN.md section 5) of crystals from force constants.
// Its usage (printed by --help and without arguments) and options: modes_command_line.h.

#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/ab_initio/modes_command_line.h"
#include "scattering/command_line.h"
#include "scattering/file_checks.h"
#include "scattering/ab_initio/crystal_symmetry.h"
#include "scattering/ab_initio/database_requests.h"
#include "scattering/ab_initio/elastic_constants.h"
#include "scattering/ab_initio/gruneisen.h"
#include "scattering/energy_conservation.h"
#include "scattering/formatted.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/lifetime_interpolation.h"
#include "scattering/memory_check.h"
#include "scattering/mode_database.h"
#include "scattering/node_shared_array.h"
#include "scattering/ab_initio/modes_memory.h"
#include "scattering/ab_initio/io/phono3py_kappa.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "scattering/ab_initio/io/shengbte_reader.h"
#include "scattering/blas_threads.h"
#include "scattering/mpi_start.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <sys/resource.h>

#include <chrono>
#include <optional>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace
{
  using namespace kapitza;
  using Options = CommandLineOptions;

  // The keys of every kapitza-modes database: who wrote it, from which force constants,
  // in which axes.
  Provenance tool_provenance(const std::string &folder, const phonons::ForceConstants &fc,
                             unsigned int axis)
  {
    Provenance record                = provenance_of("kapitza-modes");
    record["force_constants"]        = folder;
    record["force_constants_format"] = phonons::force_constants_format(folder);
    record["fc2_convention"]         = fc.fc2_convention;
    // The reader says what the file held and how it became compact fc3; the sums use it
    // as three_phonon.h describes (r0 average off: CollisionOptions' default, not exposed).
    record["fc3_convention"] =
      fc.fc3_convention.empty() ?
        "not read (no three-phonon scattering computed)" :
        fc.fc3_convention + "; in the sums: minimum-image phases averaged over equally short "
                            "images, home atom in the first cell (no r0 average, as phono3py 2.5.1)";
    record["transport_axis"] = std::string(1, char('x' + axis));
    return record;
  }

  double seconds_since(const std::chrono::steady_clock::time_point &start)
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Runs `step` on rank 0 alone (the ranks that hold the matrices and write) and makes its
  // failure every rank's: otherwise the other ranks would wait in the next collective call
  // for a rank that has left. Rank 0 rethrows its error (printed once); the others throw
  // an empty one.
  template <typename Step>
  void on_rank_zero(MPI_Comm comm, const Step &step)
  {
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      try
        {
          step();
        }
      catch (const std::exception &error)
        {
          failure = error.what();
          if (failure.empty())
            failure = "failed";
        }
    int failed = failure.empty() ? 0 : 1;
    MPI_Bcast(&failed, 1, MPI_INT, 0, comm);
    if (failed)
      throw std::runtime_error(failure);
  }

  // kapitza-modes on the ranks of one communicator: rank 0 prints (pcout) and writes; the
  // wall times of the steps are summarized after a successful run.
  class ModesTool
  {
  public:
    explicit ModesTool(MPI_Comm comm)
      : comm(comm)
      , pcout(std::cout, dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      , timer(pcout, dealii::TimerOutput::never, dealii::TimerOutput::wall_times)
    {}

    int run(Options &options);

  private:
    int                  print_database(Options &options);
    std::vector<ModeSet> harmonic_modes(Options &options, const std::string &folder,
                                        const std::string &material,
                                        const std::vector<double> &temperatures,
                                        phonons::Structure &crystal);
    void check_memory(const ModesRequest &request, const phonons::ForceConstants &fc,
                      std::size_t n_temperatures) const;
    void add_collision(const ModesRequest &request, const std::vector<double> &temperatures,
                       const phonons::ForceConstants &fc, const phonons::PhononMesh &mesh,
                       std::vector<phonons::MeshModeSet> &sets);
    ModeSet imported_modes(Options &options, const std::string &folder, const std::string &material,
                           phonons::Structure &crystal);
    void    report(const ModeSet &modes, const phonons::Structure *crystal);
    void    print_tensor(const std::string &name, const Eigen::Matrix3d &kappa,
                         const phonons::Structure *crystal);
    double  peak_memory_of_ranks() const;
    phonons::ProgressReport progress(const std::string &label) const
    {
      return phonons::ProgressReport(pcout.is_active() ? &pcout.get_stream() : nullptr, label,
                                     "q-points of this rank");
    }

    MPI_Comm                   comm;
    dealii::ConditionalOStream pcout;
    dealii::TimerOutput        timer;
  };

  // The estimate of every rank, summed over the ranks of each node, against the node's
  // MemAvailable: before the q-mesh is built.
  void ModesTool::check_memory(const ModesRequest &request, const phonons::ForceConstants &fc,
                               std::size_t n_temperatures) const
  {
    phonons::ModesRunSize size;
    size.mesh            = request.mesh;
    size.n_atoms         = fc.primitive.n_atoms();
    size.n_fc2_supercell = fc.fc2_supercell.structure.n_atoms();
    size.n_fc3_supercell = fc.fc3.empty() ? 0 : fc.fc3_supercell.structure.n_atoms();
    size.collision       = request.lifetimes_from.empty() ? request.kind : "none"; // harmonic only
    size.n_temperatures  = n_temperatures;
    size.isotopes        = request.collision.isotopes;
    if (request.sub_mesh_partners())
      {
        const auto &p       = request.collision.partner_mesh;
        size.partner_points = unsigned(p[0]) * p[1] * p[2];
      }
    const auto  rank_0   = phonons::modes_memory(size, true);
    const auto &n        = request.mesh;
    const std::string what = formatted("--mesh %d %d %d (--collision %s, %zu temperature(s); rank 0: %s)",
                                       n[0], n[1], n[2], request.kind.c_str(), n_temperatures,
                                       rank_0.describe().c_str());
    const std::string remedy =
      request.kind == "full" ? "use a smaller --mesh (the matrix grows with the square of the q-points) "
                               "or --collision rta" :
                               "use a smaller --mesh (the memory grows with the number of q-points)";
    check_node_memory(phonons::modes_memory(size, node_rank_and_size(comm).first == 0).total(), what, remedy,
                      comm);
    pcout << "memory estimate of rank 0: " << gigabytes(rank_0.total()) << " (" << rank_0.describe()
          << ")" << std::endl;
  }

  // The one place where scattering is attached to the harmonic modes of the mesh, one set
  // per temperature, from one computation of |V|^2 and the delta weights for all of them.
  void ModesTool::add_collision(const ModesRequest &request, const std::vector<double> &temperatures,
                                const phonons::ForceConstants &fc, const phonons::PhononMesh &mesh,
                                std::vector<phonons::MeshModeSet> &sets)
  {
    if (request.kind == "none")
      return;
    const auto                start     = std::chrono::steady_clock::now();
    phonons::CollisionOptions collision = request.collision;
    collision.temperature               = temperatures.front();
    phonons::RateTimes        times;
    phonons::ProgressReport   rows = progress("three-phonon");
    if (request.kind == "rta")
      {
        dealii::TimerOutput::Scope section(timer, "three-phonon relaxation rates");
        const auto representative = phonons::irreducible_representatives(fc.primitive, mesh, "kapitza-modes");
        const auto rates = phonons::relaxation_rates(fc, mesh, collision, temperatures, representative,
                                                     comm, &times, &rows);
        for (std::size_t t = 0; t < sets.size(); ++t)
          phonons::attach_relaxation_rates(rates[t], sets[t]);
      }
    else
      {
        // Before the expensive part: the matrix's modes must be the sets'.
        phonons::require_matrix_modes(phonons::scattering_modes(mesh, collision.frequency_cutoff),
                                      mesh.n_branch(), sets.front());
        dealii::TimerOutput::Scope section(timer, "three-phonon collision matrix");
        auto matrices = phonons::collision_matrix(fc, mesh, collision, temperatures, comm, &times, &rows);
        for (std::size_t t = 0; t < sets.size(); ++t)
          {
            on_rank_zero(comm, [&] { phonons::attach_collision_matrix(std::move(matrices[t]), mesh.n_branch(), sets[t]); });
            pcout << "energy projection changed the W-weighted diagonal by " << matrices[t].projection
                  << " (relative) at " << temperatures[t] << " K\n";
          }
      }
    const double per_temperature = times.occupations + times.assembly;
    pcout << "three-phonon strengths and delta weights: " << times.strengths << " s; "
          << (request.kind == "rta" ? "rates" : "collision matrices") << " at " << temperatures.size()
          << " temperature(s): " << per_temperature << " s, " << per_temperature / temperatures.size()
          << " s per extra temperature (sums " << times.occupations << " s, assembly " << times.assembly
          << " s)\n";
    pcout << request.kind << " scattering (" << collision.smearing.describe()
          << (collision.isotopes ? ", isotopes" : "") << ", " << to_string(collision.statistics)
          << "): " << seconds_since(start) << " s\n";
  }

  // The keys of a harmonic (and scattering) database that the options decide.
  void record_options(Provenance &record, const ModesRequest &request, double temperature, bool born)
  {
    const auto &n    = request.mesh;
    record["q_mesh"] = std::to_string(n[0]) + " " + std::to_string(n[1]) + " " + std::to_string(n[2]);
    record["collision"]               = request.kind;
    record["temperature"]             = provenance_number(temperature, "K");
    record["statistics"]              = to_string(request.collision.statistics);
    record["non_analytic_correction"] = born ? "on (BORN)" : "off";
    record["eels_born"]               = request.eels_born.empty() ? "none" : request.eels_born;
    if (request.kind != "none") // a harmonic set has no scattering to describe
      {
        record["smearing"] = request.smearing_text;
        record["isotopes"] = request.collision.isotopes ? "on" : "off";
      }
    if (request.kind == "full")
      record["assembly"] = phonons::to_string(request.collision.assembly);
    if (request.sub_mesh_partners())
      {
        const auto &p          = request.collision.partner_mesh;
        record["partner_mesh"] = std::to_string(p[0]) + " " + std::to_string(p[1]) + " " + std::to_string(p[2]);
      }
  }

  // One database per temperature (--temperature itself was read by database_requests).
  std::vector<ModeSet> ModesTool::harmonic_modes(Options &options, const std::string &folder,
                                                 const std::string &material,
                                                 const std::vector<double> &temperatures,
                                                 phonons::Structure &crystal)
  {
    const ModesRequest      request = read_modes_request(options);
    phonons::ForceConstants fc;
    {
      dealii::TimerOutput::Scope section(timer, "force constants");
      fc = phonons::read_force_constants_folder(folder, request.kind != "none" && request.lifetimes_from.empty());
    }
    if (!request.eels_born.empty() && fc.born)
      throw std::runtime_error("--eels-born " + request.eels_born + ": " + folder +
                               " has its own BORN (used for the non-analytic correction and EELS)");
    crystal = fc.primitive;
    if (request.sub_mesh_partners())
      { // before any output or dense work: the q-points and their stars suffice
        const phonons::PhononMesh points = phonons::mesh_points(request.mesh);
        phonons::require_symmetric_partners(points, request.collision.partner_mesh,
                                            phonons::irreducible_representatives(fc.primitive, points, "kapitza-modes"));
      }
    dealii::TimerOutput::Scope        section(timer, "harmonic phonons");
    const phonons::DynamicalMatrix    dynamical_matrix(fc);
    const std::vector<phonons::CoarseRates> coarse = // read and checked before any dense work
      phonons::coarse_rates(request.lifetimes_from, temperatures, dynamical_matrix, request.collision.statistics);
    check_memory(request, fc, temperatures.size());
    const phonons::PhononMesh         mesh = phonons::harmonic_phonons(dynamical_matrix, request.mesh);
    std::vector<phonons::MeshModeSet> sets;
    for (const double temperature : temperatures)
      sets.push_back(phonons::mesh_mode_set(fc, mesh, material, temperature, request.collision.statistics));
    section.stop();
    const phonons::ElasticConstants elastic = phonons::elastic_constants(dynamical_matrix);
    pcout << phonons::describe(elastic) << "\n";
    if (!fc.fc3.empty()) // mode Grueneisen parameters need fc3 (read for --collision rta|full)
      pcout << phonons::attach_gruneisen(phonons::GruneisenParameters(fc).on_mesh(mesh), sets);
    for (std::size_t t = 0; t < coarse.size(); ++t)
      phonons::attach_relaxation_rates(coarse[t].rates_on(mesh), sets[t]);
    if (coarse.empty())
      add_collision(request, temperatures, fc, mesh, sets);
    std::vector<ModeSet> databases;
    for (std::size_t t = 0; t < sets.size(); ++t)
      {
        ModeSet &modes = sets[t].modes;
        if (!request.eels_born.empty())
          modes.born_charges = phonons::read_born(request.eels_born, fc.primitive).charges;
        phonons::rotate_axis_to_x(request.axis, modes);
        modes.provenance = tool_provenance(folder, fc, request.axis);
        record_options(modes.provenance, request, temperatures[t], fc.born.has_value());
        if (!coarse.empty())
          coarse[t].record(modes.provenance);
        phonons::record(elastic, modes.provenance);
        phonons::record_gruneisen(modes, modes.provenance);
        databases.push_back(std::move(modes));
      }
    pcout << material << ": " << mesh.n_q() << " q-points x " << mesh.n_branch() << " branches"
          << (fc.born ? ", non-analytic (Born charge) correction" : "") << ", "
          << dynamical_matrix.n_multiple_images()
          << " atom pairs with several shortest images; acoustic |f| at Gamma "
          << sets.front().gamma_acoustic / units::angular_terahertz << " THz (left out)\n"
          << "force constants: " << databases.front().provenance["fc2_convention"] << "; "
          << databases.front().provenance["fc3_convention"] << "\n";
    return databases;
  }

  ModeSet ModesTool::imported_modes(Options &options, const std::string &folder,
                                    const std::string &material, phonons::Structure &crystal)
  {
    const std::string     path       = options.take("--import-phono3py-kappa", 1)[0];
    const auto            statistic  = statistics(options);
    std::optional<double> temperature;
    if (options.has("--temperature"))
      temperature = options.positive("--temperature", 0);
    const unsigned int axis = transport_axis(options);
    options.finish();
    dealii::TimerOutput::Scope    section(timer, "import phono3py lifetimes");
    const phonons::ForceConstants fc = phonons::read_phono3py(folder, false);
    crystal                          = fc.primitive;
    ModeSet modes = phonons::import_phono3py_kappa(path, fc.primitive, material, statistic, temperature);
    phonons::set_crystal_fields(fc, modes);
    phonons::rotate_axis_to_x(axis, modes);
    // The importer recorded its own keys (frequency cutoff); these join them.
    modes.provenance.merge(tool_provenance(folder, fc, axis));
    modes.provenance["fc3_convention"] = "not read (lifetimes from phono3py's kappa file)";
    modes.provenance["collision"]      = "rta (phono3py lifetimes)";
    modes.provenance["phono3py_kappa"] = path;
    modes.provenance["temperature"]    = provenance_number(modes.temperature, "K");
    modes.provenance["statistics"]     = to_string(modes.statistics);
    return modes;
  }

  // The crystal of a database in the database's axes (its cell may have been rotated by
  // --transport-axis): the positions of `primitive`, which must be the same lattice.
  phonons::Structure crystal_of(const ModeSet &modes, phonons::Structure primitive,
                                const std::string &origin)
  {
    phonons::check_cell_and_masses(modes, primitive, origin);
    primitive.lattice = modes.cell;
    return primitive;
  }

  // One conductivity: as computed, and averaged over the point group when the crystal is known.
  void ModesTool::print_tensor(const std::string &name, const Eigen::Matrix3d &kappa,
                               const phonons::Structure *crystal)
  {
    auto line = [&](const std::string &what, const Eigen::Matrix3d &k) {
      pcout << name << " kappa" << what << " xx yy zz = " << k(0, 0) << " " << k(1, 1) << " "
            << k(2, 2) << " W/(m K)\n";
    };
    line("", kappa);
    if (crystal)
      {
        const auto symmetry = phonons::crystal_symmetry(*crystal, "kapitza-modes");
        line(" point-group average (" + std::to_string(symmetry.size()) + " operations)",
             phonons::point_group_average(kappa, symmetry, *crystal));
      }
  }

  // Rank 0's conductivities of a database. With a collision matrix, tau = 1 / its diagonal
  // (attach_collision_matrix), whose kappa is not that of --collision rta: every process
  // enters the diagonal with the mean of its three modes' views, i.e. of the delta weights
  // seen from each (collision_matrix.h), and energy-projected, where rta gives each mode its
  // own view; the mean makes most of the difference (docs/results.md).
  void ModesTool::report(const ModeSet &modes, const phonons::Structure *crystal)
  {
    pcout << modes.size() << " modes, C = " << modes.heat_capacity().sum() << " J/(m^3 K)\n";
    if (modes.has_collision())
      {
        pcout << "matrix-diagonal RTA: tau = 1 / the collision matrix's diagonal, in which every "
                 "process has the mean of its three modes' views (the delta weights seen from each) "
                 "and the energy projection (assembly mean-of-views), or each mode's own view and "
                 "the projection (own-view; provenance key assembly); --collision rta gives each "
                 "mode its own view, which differs from the mean on coarse meshes (docs/results.md)\n";
        print_tensor("matrix-diagonal RTA", rta_conductivity(modes), crystal);
        const auto report = measure_conservation(modes);
        pcout << "collision matrix: energy stationarity " << report.stationarity << ", creation "
              << report.creation << ", asymmetry of W Omega " << report.asymmetry << " (relative)\n";
        Eigen::Matrix3d kappa;
        LbteSolveReport solve;
        const auto      solve_start = std::chrono::steady_clock::now();
        {
          dealii::TimerOutput::Scope section(timer, "LBTE solve"); // of all the databases
          kappa = collision_conductivity(modes, &solve);
        }
        print_tensor("full (LBTE)", kappa, crystal);
        pcout << "LBTE solve: " << seconds_since(solve_start) << " s, conjugate-gradient iterations x y z "
              << solve.iterations[0] << " " << solve.iterations[1] << " " << solve.iterations[2]
              << " (relative residuals " << solve.residual[0] << " " << solve.residual[1] << " "
              << solve.residual[2] << ")\n";
      }
    else if (modes.tau.size() > 0)
      print_tensor("RTA", rta_conductivity(modes), crystal);
  }

  // Peak resident memory [MB] of the largest rank (on rank 0).
  double ModesTool::peak_memory_of_ranks() const
  {
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double own = usage.ru_maxrss / 1024.0, largest = own;
    MPI_Reduce(&own, &largest, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    return largest;
  }

  // --kappa: the provenance and conductivities of a database (rank 0).
  int ModesTool::print_database(Options &options)
  {
    const std::string path = options.take("--kappa", 1)[0];
    const std::string fc   = options.text("--fc", "");
    options.finish();
    if (!pcout.is_active())
      return 0;
    ConservationReport         checked;
    dealii::TimerOutput::Scope section(timer, "read database");
    const ModeSet              modes = read_mode_database(path, checked);
    section.stop();
    for (const auto &[key, value] : modes.provenance)
      pcout << key << " = " << value << "\n";
    if (modes.provenance.empty())
      pcout << "(no provenance recorded)\n";
    if (fc.empty())
      report(modes, nullptr);
    else
      {
        const phonons::Structure crystal =
          crystal_of(modes, phonons::read_force_constants_folder(fc, false).primitive, fc);
        report(modes, &crystal);
      }
    timer.print_summary();
    return 0;
  }

  int ModesTool::run(Options &options)
  {
    const auto start = std::chrono::steady_clock::now();
    if (options.has("--kappa"))
      return print_database(options);
    const std::string out    = options.take("--out", 1)[0];
    std::string       folder = options.take("--fc", 1)[0];
    while (folder.size() > 1 && folder.back() == '/')
      folder.pop_back();
    const std::string                         cache_directory = options.text("--cache", "");
    std::vector<DatabaseRequest>                      missing;
    std::vector<std::optional<DatabaseCache>> caches;
    const std::vector<DatabaseRequest>                wanted = database_requests(options, out);
    for (const DatabaseRequest &request : wanted)
      check_output_target("option --out", request.out);
    for (const DatabaseRequest &request : wanted)
      {
        auto cache = cache_of(options, folder, cache_directory, request);
        if (cache && cache->has_entry())
          {
            if (pcout.is_active())
              cache->copy_to(request.out);
            pcout << "kapitza-modes: " << request.out << " from the cache (" << cache->entry() << ")\n";
            continue;
          }
        missing.push_back(request);
        caches.push_back(std::move(cache));
      }
    if (missing.empty())
      return 0;
    const std::string material =
      options.text("--material", std::filesystem::path(folder).filename().string());
    phonons::Structure   primitive;
    std::vector<ModeSet> databases;
    if (options.has("--import-phono3py-kappa"))
      databases.push_back(imported_modes(options, folder, material, primitive));
    else
      {
        std::vector<double> temperatures;
        for (const DatabaseRequest &request : missing)
          temperatures.push_back(request.temperature);
        if (options.has("--temperature")) // read by database_requests
          options.take("--temperature", 1, wanted.size());
        databases = harmonic_modes(options, folder, material, temperatures, primitive);
      }
    // The conductivities first: the LBTE solve refuses a matrix that is not positive
    // definite, and a refused database must not be left behind.
    on_rank_zero(comm, [&] {
      for (std::size_t t = 0; t < databases.size(); ++t)
        {
          pcout << missing[t].out << ": ";
          const phonons::Structure crystal = crystal_of(databases[t], primitive, folder);
          report(databases[t], &crystal);
          {
            dealii::TimerOutput::Scope section(timer, "write databases");
            write_mode_database(missing[t].out, databases[t]);
            if (caches[t])
              caches[t]->store(missing[t].out);
          }
          pcout << "wrote " << missing[t].out << "\n";
        }
    });
    const double peak = peak_memory_of_ranks();
    pcout << "wall time " << seconds_since(start) << " s, peak memory of the largest rank " << peak
          << " MB\n";
    timer.print_summary();
    return 0;
  }
} // namespace

int main(int argc, char **argv)
{
  kapitza::prefer_light_singleton_start();
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  kapitza::limit_blas_threads(MPI_COMM_WORLD);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  try
    {
      if (kapitza::asks_for_help(argc, argv))
        {
          if (root)
            std::cout << "usage:\n" << modes_usage << "options:\n" << kapitza::option_help(modes_options_help);
          return argc == 1 ? 1 : 0;
        }
      Options   options(argc, argv);
      ModesTool tool(MPI_COMM_WORLD);
      return tool.run(options);
    }
  catch (const std::exception &error)
    {
      if (root)
        std::cerr << "kapitza-modes: error: " << error.what() << "\n";
      return 1;
    }
}
