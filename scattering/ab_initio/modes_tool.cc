// kapitza-modes: mode databases (DESIGN.md section 5) of crystals from force constants.
// Its usage (printed by --help and without arguments) is the `usage` text below.

#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/command_line.h"
#include "scattering/ab_initio/crystal_symmetry.h"
#include "scattering/ab_initio/database_cache.h"
#include "scattering/energy_conservation.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/mode_database.h"
#include "scattering/ab_initio/io/phono3py_kappa.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "scattering/ab_initio/io/shengbte_reader.h"
#include "scattering/blas_threads.h"

#include <deal.II/base/mpi.h>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace
{
  using namespace kapitza;
  using Options = CommandLineOptions;

  constexpr const char *usage = R"(  kapitza-modes --fc DIR --mesh N1 N2 N3 --out F.h5 [--temperature T...]
                [--statistics bose|classical] [--collision none|rta|full]
                [--smearing tetrahedron | gaussian WIDTH_THz | gaussian adaptive]
                [--isotopes] [--transport-axis x|y|z] [--material NAME] [--cache DIR]
                [--eels-born BORN]
      phonons of a phono3py folder (phono3py_params.yaml, fc2.hdf5, fc3.hdf5 for
      scattering, BORN when present) or a ShengBTE folder (CONTROL,
      FORCE_CONSTANTS_2ND/3RD; docs/force_constants.md) on the full Gamma-centred mesh, with three-phonon
      (and isotope) relaxation times (rta) or the full collision matrix (full) at T.
      Several temperatures (none or rta only; the full matrix is one T a run) write one
      database each, to --out with {T} replaced by the temperature (%g), each exactly
      what a run at that temperature alone writes (and caches); |V|^2 is computed once.
      --transport-axis z rotates the crystal so that its z (the c axis of hexagonal
      cells) becomes the solver's x. Run it under mpirun to share the q-points.
      --eels-born stores Born charges (phonopy BORN format) for the EELS dipole weights
      only, without a non-analytic correction: for force constants from potentials
      without long-range dipoles, whose phonons must stay as the potential gives them.
  kapitza-modes --import-phono3py-kappa KAPPA.hdf5 --fc DIR --out F.h5 [--temperature T]
                [--statistics bose|classical] [--material NAME] [--transport-axis A]
      phono3py's RTA lifetimes unfolded to the full mesh (DIR gives the crystal).
  kapitza-modes --kappa F.h5 [--fc DIR]
      The database's provenance (one `key = value` a line), then its RTA and (with a
      collision matrix) full linearized conductivity.
Every database records its provenance (docs/results.md): program, version, date, the
force constants and the options that decide the modes, with the values as used.
The conductivities are printed as computed and averaged over the crystal's point group
(the latter needs the atomic positions: given by --fc, which for --kappa must be the
folder the database was built from).
The three acoustic modes at Gamma (omega = 0) carry no heat and are left out.
)";

  bool root() { return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0; }

  std::array<int, 3> mesh_size(Options &options)
  {
    std::array<int, 3> n;
    const auto         words = options.take("--mesh", 3);
    for (unsigned int d = 0; d < 3; ++d)
      {
        std::size_t used = 0;
        n[d]             = std::stoi(words[d], &used);
        if (used != words[d].size() || n[d] < 1)
          throw std::runtime_error("--mesh needs three positive integers");
      }
    return n;
  }

  unsigned int transport_axis(Options &options)
  {
    const std::string axis = options.text("--transport-axis", "x");
    if (axis.size() != 1 || axis[0] < 'x' || axis[0] > 'z')
      throw std::runtime_error("--transport-axis must be x, y or z, not '" + axis + "'");
    return axis[0] - 'x';
  }

  // `text` is the smearing as the command line gave it (widths in THz), for the provenance:
  // converted back from rad/s a width would not read as typed.
  phonons::Smearing smearing(Options &options, std::string &text)
  {
    text = "tetrahedron";
    if (!options.has("--smearing"))
      return phonons::Smearing();
    auto words = options.take("--smearing", 1, 2);
    text       = words[0] + (words.size() == 2 ? " " + words[1] : "");
    if (words.size() == 2 && words[1] != "adaptive")
      {
        text += " THz";
        words[1] = std::to_string(units::angular_terahertz * std::stod(words[1]));
      }
    return phonons::parse_smearing(words[0], words.size() == 2 ? words[1] : "");
  }

  // The keys of every kapitza-modes database: who wrote it, from which force constants,
  // in which axes.
  Provenance tool_provenance(const std::string &folder, const std::string &format, unsigned int axis)
  {
    Provenance record                = provenance_of("kapitza-modes");
    record["force_constants"]        = folder;
    record["force_constants_format"] = format;
    record["transport_axis"]         = std::string(1, char('x' + axis));
    return record;
  }

  double seconds_since(const std::chrono::steady_clock::time_point &start)
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Each rank holds the N x N matrix twice while it is assembled and reduced.
  void check_memory(unsigned int n_modes)
  {
    const double need = 2.0 * n_modes * double(n_modes) * sizeof(double) *
                        dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    const double have = double(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
    if (need > 0.9 * have)
      throw std::runtime_error("the full collision matrix of " + std::to_string(n_modes) +
                               " modes needs " + std::to_string(need / 1e9) + " GB, this machine has " +
                               std::to_string(have / 1e9) + " GB (use a coarser mesh or rta)");
  }

  // The rates at every temperature from one three-phonon computation.
  void add_relaxation_rates(const phonons::CollisionOptions &collision,
                            const std::vector<double> &temperatures, const phonons::ForceConstants &fc,
                            const phonons::PhononMesh &mesh, std::vector<phonons::MeshModeSet> &sets)
  {
    const auto representative = phonons::irreducible_representatives(fc.primitive, mesh, "kapitza-modes");
    phonons::RateTimes times;
    const auto         rates = phonons::relaxation_rates(fc, mesh, collision, temperatures,
                                                         representative, MPI_COMM_WORLD, &times);
    for (std::size_t t = 0; t < sets.size(); ++t)
      phonons::attach_relaxation_rates(rates[t], sets[t]);
    if (root())
      std::cout << "three-phonon strengths and delta weights: " << times.strengths
                << " s; rates at " << temperatures.size() << " temperature(s): "
                << times.occupations << " s, " << times.occupations / temperatures.size()
                << " s per extra temperature\n";
  }

  // The one place where scattering is attached to the harmonic modes of the mesh, one set
  // per temperature (the full matrix: one temperature, checked by database_requests).
  void add_collision(const std::string &kind, phonons::CollisionOptions collision,
                     const std::vector<double> &temperatures, const phonons::ForceConstants &fc,
                     const phonons::PhononMesh &mesh, std::vector<phonons::MeshModeSet> &sets)
  {
    const auto start = std::chrono::steady_clock::now();
    collision.temperature = temperatures.front();
    if (kind == "rta")
      add_relaxation_rates(collision, temperatures, fc, mesh, sets);
    else if (kind == "full")
      {
        check_memory(mesh.n_q() * mesh.n_branch());
        const auto matrix = phonons::collision_matrix(fc, mesh, collision, MPI_COMM_WORLD);
        if (root())
          {
            phonons::attach_collision_matrix(matrix.omega, mesh.n_branch(), sets.front());
            std::cout << "energy projection changed the W-weighted diagonal by "
                      << matrix.projection << " (relative)\n";
          }
      }
    else if (kind != "none")
      throw std::runtime_error("--collision must be none, rta or full, not '" + kind + "'");
    if (kind != "none" && root())
      std::cout << kind << " scattering (" << collision.smearing.describe()
                << (collision.isotopes ? ", isotopes" : "") << ", "
                << to_string(collision.statistics) << "): " << seconds_since(start) << " s\n";
  }

  // The keys of a harmonic (and scattering) database that the options decide.
  void record_options(Provenance &record, const std::array<int, 3> &n, const std::string &kind,
                      const phonons::CollisionOptions &collision, const std::string &smearing_text,
                      bool born, const std::string &eels_born)
  {
    record["q_mesh"] = std::to_string(n[0]) + " " + std::to_string(n[1]) + " " + std::to_string(n[2]);
    record["collision"]   = kind;
    record["temperature"] = provenance_number(collision.temperature, "K");
    record["statistics"]  = to_string(collision.statistics);
    record["non_analytic_correction"] = born ? "on (BORN)" : "off";
    record["eels_born"]               = eels_born.empty() ? "none" : eels_born;
    if (kind != "none") // a harmonic set has no scattering to describe
      {
        record["smearing"] = smearing_text;
        record["isotopes"] = collision.isotopes ? "on" : "off";
      }
  }

  // One database per temperature (--temperature itself was read by database_requests).
  std::vector<ModeSet> harmonic_modes(Options &options, const std::string &folder,
                                      const std::string &material,
                                      const std::vector<double> &temperatures,
                                      phonons::Structure &crystal)
  {
    const auto                 n = mesh_size(options);
    phonons::CollisionOptions  collision;
    collision.statistics        = parse_statistics(options.text("--statistics", "bose"));
    std::string                smearing_text;
    collision.smearing          = smearing(options, smearing_text);
    collision.isotopes          = options.flag("--isotopes");
    const std::string kind      = options.text("--collision", "none");
    const unsigned int axis     = transport_axis(options);
    const std::string  eels_born = options.text("--eels-born", "");
    options.finish();
    const phonons::ForceConstants  fc = phonons::read_force_constants_folder(folder, kind != "none");
    if (!eels_born.empty() && fc.born)
      throw std::runtime_error("--eels-born " + eels_born + ": " + folder +
                               " has its own BORN (used for the non-analytic correction and EELS)");
    crystal                           = fc.primitive;
    const phonons::DynamicalMatrix dynamical_matrix(fc);
    const phonons::PhononMesh      mesh = phonons::harmonic_phonons(dynamical_matrix, n);
    std::vector<phonons::MeshModeSet> sets;
    for (const double temperature : temperatures)
      sets.push_back(phonons::mesh_mode_set(fc, mesh, material, temperature, collision.statistics));
    add_collision(kind, collision, temperatures, fc, mesh, sets);
    std::vector<ModeSet> databases;
    for (std::size_t t = 0; t < sets.size(); ++t)
      {
        ModeSet &modes = sets[t].modes;
        if (!eels_born.empty())
          modes.born_charges = phonons::read_born(eels_born, fc.primitive).charges;
        phonons::rotate_axis_to_x(axis, modes);
        modes.provenance = tool_provenance(folder, phonons::force_constants_format(folder), axis);
        collision.temperature = temperatures[t];
        record_options(modes.provenance, n, kind, collision, smearing_text, fc.born.has_value(),
                       eels_born);
        databases.push_back(std::move(modes));
      }
    if (root())
      std::cout << material << ": " << mesh.n_q() << " q-points x " << mesh.n_branch()
                << " branches" << (fc.born ? ", non-analytic (Born charge) correction" : "")
                << ", " << dynamical_matrix.n_multiple_images()
                << " atom pairs with several shortest images; acoustic |f| at Gamma "
                << sets.front().gamma_acoustic / units::angular_terahertz << " THz (left out)\n";
    return databases;
  }

  ModeSet imported_modes(Options &options, const std::string &folder, const std::string &material,
                         phonons::Structure &crystal)
  {
    const std::string path       = options.take("--import-phono3py-kappa", 1)[0];
    const auto        statistics = parse_statistics(options.text("--statistics", "bose"));
    std::optional<double> temperature;
    if (options.has("--temperature"))
      temperature = options.number("--temperature", 0);
    const unsigned int axis = transport_axis(options);
    options.finish();
    const phonons::ForceConstants fc = phonons::read_phono3py(folder, false);
    crystal                          = fc.primitive;
    ModeSet modes = phonons::import_phono3py_kappa(path, fc.primitive, material, statistics,
                                                   temperature);
    phonons::set_crystal_fields(fc, modes);
    phonons::rotate_axis_to_x(axis, modes);
    // The importer recorded its own keys (frequency cutoff); these join them.
    modes.provenance.merge(tool_provenance(folder, "phono3py", axis));
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
    const bool same_atoms = modes.masses.size() == primitive.masses.size() &&
                            (modes.masses - primitive.masses).norm() <= 1e-9 * primitive.masses.norm();
    const Eigen::Matrix3d metric = primitive.lattice * primitive.lattice.transpose();
    if (!same_atoms || (modes.cell * modes.cell.transpose() - metric).norm() > 1e-6 * metric.norm())
      throw std::runtime_error(origin + ": its primitive cell does not match the database's cell "
                                        "and masses");
    primitive.lattice = modes.cell;
    return primitive;
  }

  // One conductivity: as computed, and averaged over the point group when the crystal is known.
  void print_tensor(const std::string &name, const Eigen::Matrix3d &kappa,
                    const phonons::Structure *crystal)
  {
    auto line = [&](const std::string &what, const Eigen::Matrix3d &k) {
      std::cout << name << " kappa" << what << " xx yy zz = " << k(0, 0) << " " << k(1, 1) << " "
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

  void report(const ModeSet &modes, const phonons::Structure *crystal)
  {
    std::cout << modes.size() << " modes, C = " << modes.heat_capacity().sum() << " J/(m^3 K)\n";
    if (modes.tau.size() > 0)
      print_tensor("RTA", rta_conductivity(modes), crystal);
    if (modes.has_collision())
      {
        const auto report = measure_conservation(modes);
        std::cout << "collision matrix: energy stationarity " << report.stationarity
                  << ", creation " << report.creation << ", asymmetry of W Omega "
                  << report.asymmetry << " (relative)\n";
        const auto start = std::chrono::steady_clock::now();
        const Eigen::Matrix3d kappa = collision_conductivity(modes);
        const double          solve = seconds_since(start);
        print_tensor("full (LBTE)", kappa, crystal);
        std::cout << "LBTE solve: " << solve << " s\n";
      }
  }

  std::vector<std::string> input_files(const std::string &folder)
  {
    std::vector<std::string> files;
    for (const char *name : {"phono3py_params.yaml", "fc2.hdf5", "fc3.hdf5", "BORN", "CONTROL",
                             "FORCE_CONSTANTS_2ND", "FORCE_CONSTANTS_3RD"})
      if (std::filesystem::exists(folder + "/" + name))
        files.push_back(folder + "/" + name);
    return files;
  }

  // Peak resident memory [MB] of the largest rank (on rank 0).
  double peak_memory_of_ranks()
  {
    rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double own = usage.ru_maxrss / 1024.0, largest = own;
    MPI_Reduce(&own, &largest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    return largest;
  }

  // One database of a run: its temperature, as typed (the cache key of a run at that
  // temperature alone) and as a number, and its file.
  struct Request
  {
    std::string word;
    double      temperature;
    std::string out;
  };

  // --out with every {T} replaced by the temperature (%g).
  std::string file_at(const std::string &out, double temperature)
  {
    char text[32];
    std::snprintf(text, sizeof text, "%g", temperature);
    std::string file = out;
    for (std::size_t at = file.find("{T}"); at != std::string::npos; at = file.find("{T}", at))
      file.replace(at, 3, text);
    return file;
  }

  // The databases asked for, one per value of --temperature (300 K when absent). Several
  // need {T} in --out and scattering that is computed once for all of them (not the full
  // matrix, not an import); refused here, before any work.
  std::vector<Request> database_requests(const Options &options, const std::string &out)
  {
    const std::vector<std::string> words =
      options.has("--temperature") ? options.peek("--temperature") : std::vector<std::string>{"300"};
    if (words.empty())
      throw std::runtime_error("option --temperature needs one or more values");
    if (words.size() > 1 && out.find("{T}") == std::string::npos)
      throw std::runtime_error("several temperatures need {T} in --out (e.g. --out AlN-{T}K.h5), "
                               "the file of each temperature");
    if (words.size() > 1 && (options.peek("--collision") == std::vector<std::string>{"full"} ||
                             options.has("--import-phono3py-kappa")))
      throw std::runtime_error("several temperatures need --collision rta or none: the full "
                               "collision matrix and imports are one temperature a run");
    std::vector<Request> requests;
    for (const std::string &word : words)
      {
        Options alone = options; // parses it as a single-temperature run would
        alone.set("--temperature", {word});
        const double temperature = alone.number("--temperature", 0);
        requests.push_back({word, temperature, file_at(out, temperature)});
        for (std::size_t r = 0; r + 1 < requests.size(); ++r)
          if (requests[r].out == requests.back().out)
            throw std::runtime_error("temperatures " + requests[r].word + " and " + word +
                                     " give the same file " + requests.back().out);
      }
    return requests;
  }

  // The cache entry (none without --cache) of a run at this request's temperature alone.
  std::optional<DatabaseCache> cache_of(const Options &options, const std::string &folder,
                                        const std::string &directory, const Request &request)
  {
    if (directory.empty())
      return std::nullopt;
    // The program's own bytes are part of the key: a rebuilt kapitza-modes (changed
    // physics or numerics) never reuses a database of an older build.
    std::vector<std::string> files = input_files(folder);
    files.push_back("/proc/self/exe");
    for (const std::string &born : options.peek("--eels-born")) // contents, not only the name
      files.push_back(born);
    Options alone = options;
    if (alone.has("--temperature"))
      alone.set("--temperature", {request.word});
    return DatabaseCache(directory, files, alone.remaining());
  }

  int run(Options &options)
  {
    const auto start = std::chrono::steady_clock::now();
    if (options.has("--kappa"))
      {
        const std::string path = options.take("--kappa", 1)[0];
        const std::string fc   = options.text("--fc", "");
        options.finish();
        ConservationReport checked;
        if (!root())
          return 0;
        const ModeSet modes = read_mode_database(path, checked);
        for (const auto &[key, value] : modes.provenance)
          std::cout << key << " = " << value << "\n";
        if (modes.provenance.empty())
          std::cout << "(no provenance recorded)\n";
        if (fc.empty())
          report(modes, nullptr);
        else
          {
            const phonons::Structure crystal = crystal_of(
              modes, phonons::read_force_constants_folder(fc, false).primitive, fc);
            report(modes, &crystal);
          }
        return 0;
      }
    const std::string out = options.take("--out", 1)[0];
    std::string folder = options.take("--fc", 1)[0];
    while (folder.size() > 1 && folder.back() == '/')
      folder.pop_back();
    const std::string cache_directory = options.text("--cache", "");
    std::vector<Request>                      missing;
    std::vector<std::optional<DatabaseCache>> caches;
    const std::vector<Request>                wanted = database_requests(options, out);
    for (const Request &request : wanted)
      {
        auto cache = cache_of(options, folder, cache_directory, request);
        if (cache && cache->has_entry())
          {
            if (root())
              {
                cache->copy_to(request.out);
                std::cout << "kapitza-modes: " << request.out << " from the cache ("
                          << cache->entry() << ")\n";
              }
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
        for (const Request &request : missing)
          temperatures.push_back(request.temperature);
        if (options.has("--temperature")) // read by database_requests
          options.take("--temperature", 1, wanted.size());
        databases = harmonic_modes(options, folder, material, temperatures, primitive);
      }
    for (std::size_t t = 0; t < databases.size() && root(); ++t)
      {
        write_mode_database(missing[t].out, databases[t]);
        if (caches[t])
          caches[t]->store(missing[t].out);
        std::cout << "wrote " << missing[t].out << ": ";
        const phonons::Structure crystal = crystal_of(databases[t], primitive, folder);
        report(databases[t], &crystal);
      }
    const double peak = peak_memory_of_ranks();
    if (root())
      std::cout << "wall time " << seconds_since(start) << " s, peak memory of the largest rank "
                << peak << " MB\n";
    return 0;
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  kapitza::limit_blas_threads(MPI_COMM_WORLD);
  try
    {
      const std::string first = argc > 1 ? argv[1] : "";
      if (argc == 1 || first == "--help" || first == "-h")
        {
          if (root())
            std::cout << "usage:\n" << usage;
          return argc == 1 ? 1 : 0;
        }
      Options options(argc, argv);
      return run(options);
    }
  catch (const std::exception &error)
    {
      if (root())
        std::cerr << "kapitza-modes: error: " << error.what() << "\n";
      return 1;
    }
}
