// kapitza-material: writes model mode databases (DESIGN.md section 5). Its usage (printed
// by --help and without arguments) is the `usage` text and the option table below. Every
// value that would give a database kapitza cannot run is refused before anything is
// written, in one line naming the option.

#include "scattering/command_line.h"
#include "scattering/file_checks.h"
#include "scattering/formatted.h"
#include "scattering/memory_check.h"
#include "scattering/mode_database.h"
#include "scattering/model_materials.h"

#include <cmath>
#include <iostream>
#include <stdexcept>

namespace
{
  using namespace kapitza;

  constexpr const char *usage = R"(  kapitza-material gray  --out F.h5 [options]
      a gray isotropic medium: one frequency, speed, lifetime (or mean free path) and
      heat capacity, spread over the angular quadrature.
  kapitza-material bands --file BANDS.dat --out F.h5 [options]
      isotropic bands of a peer band file (|v| tau C and two unused shares a line), band b
      of N at the nominal omega = (b + 1/2) omega_max / N.
The angular quadrature: Gauss-Legendre in the cosine to the polar axis (x by default;
--half-range puts n/2 points on each hemisphere) times uniform azimuths. The database
records its provenance (docs/results.md): program, version, date, model and its
parameters as used, and that it has no force constants.
)";

  /// Directions per angle beyond this resolve less than 1e-3 rad: finer than anything a
  /// transport mesh uses, and the modes grow as their product.
  constexpr int largest_angle_count = 4096;

  const GrayMaterial gray_defaults;

  const std::vector<OptionHelp> options_help = {
    {"--out F.h5", "the database", ""},
    {"--name NAME", "material name stored in the database", "gray or bands"},
    {"--temperature T", "reference temperature T0 [K]", "300"},
    {"--statistics bose|classical", "phonon occupations", "bose"},
    {"--polar N", "polar directions (Gauss-Legendre; even with --half-range), at most " +
                    std::to_string(largest_angle_count), "16"},
    {"--azimuth N", "uniform azimuths, 2 to " + std::to_string(largest_angle_count), "8"},
    {"--half-range", "Gauss-Legendre on each hemisphere of the polar cosine", "off"},
    {"--axis 0|1|2", "polar axis (x, y, z)", "0"},
    {"gray: --omega W", "frequency [rad/s]", provenance_number(gray_defaults.omega)},
    {"gray: --speed V", "group speed |v| [m/s]", provenance_number(gray_defaults.speed)},
    {"gray: --tau S", "relaxation time [s]", provenance_number(gray_defaults.tau)},
    {"gray: --mfp M", "mean free path [m] instead of --tau (tau = M / V)", "none"},
    {"gray: --heat-capacity C", "total heat capacity [J/(m^3 K)]",
     provenance_number(gray_defaults.heat_capacity)},
    {"bands: --file BANDS.dat", "the band file", ""},
    {"bands: --omega-max W", "top of the nominal frequencies [rad/s]", "1e+14"},
    {"--help", "this text", ""}};

  // The peak resident memory of a run: the program with its libraries, and per mode its
  // fields, quadrature point and the writer's checks (/usr/bin/time: 158460 kB at 32 modes,
  // 2385728 kB at 4096 x 4096 directions, i.e. 136 bytes a mode).
  constexpr double program_baseline = 162e6, bytes_per_mode = 17 * sizeof(double);

  // The angular quadrature's parameters; `record` gets them as used (defaults included).
  struct QuadratureRequest
  {
    int  polar, azimuth, axis;
    bool half_range;
  };

  QuadratureRequest read_quadrature(CommandLineOptions &read, Provenance &record)
  {
    QuadratureRequest q;
    q.half_range = read.flag("--half-range");
    q.polar      = read.integer("--polar", 16, 1, largest_angle_count);
    q.azimuth    = read.integer("--azimuth", 8, 2, largest_angle_count);
    q.axis       = read.integer("--axis", 0, 0, 2);
    if (q.half_range && q.polar % 2 != 0)
      throw std::runtime_error("option --polar needs an even count with --half-range, not '" +
                               std::to_string(q.polar) + "'");
    record["polar"]      = provenance_number(q.polar);
    record["azimuth"]    = provenance_number(q.azimuth);
    record["half_range"] = q.half_range ? "on" : "off";
    record["axis"]       = provenance_number(q.axis);
    return q;
  }

  // The quadrature, once its mode count (with `bands` bands) has been checked against
  // MemAvailable.
  AngularQuadrature quadrature(const QuadratureRequest &q, std::size_t bands)
  {
    const double modes = double(bands) * q.polar * q.azimuth;
    check_memory(program_baseline + modes * bytes_per_mode,
                 formatted("%.4g modes (--polar x --azimuth x %zu band(s))", modes, bands),
                 "use fewer --polar or --azimuth directions");
    return product_quadrature(q.polar, q.azimuth, q.half_range, q.axis);
  }

  GrayMaterial gray_material(CommandLineOptions &read, Provenance &record)
  {
    GrayMaterial gray;
    gray.omega         = read.positive("--omega", gray.omega);
    gray.speed         = read.positive("--speed", gray.speed);
    gray.heat_capacity = read.positive("--heat-capacity", gray.heat_capacity);
    if (read.has("--mfp") && read.has("--tau"))
      throw std::runtime_error("options --mfp and --tau both set the lifetime: give one");
    if (read.has("--mfp"))
      {
        const double mfp = read.positive("--mfp", 0);
        gray.tau         = mfp / gray.speed;
        record["mfp"]    = provenance_number(mfp, "m");
      }
    else
      gray.tau = read.positive("--tau", gray.tau);
    record["omega"]         = provenance_number(gray.omega, "rad/s");
    record["speed"]         = provenance_number(gray.speed, "m/s");
    record["tau"]           = provenance_number(gray.tau, "s");
    record["heat_capacity"] = provenance_number(gray.heat_capacity, "J/(m^3 K)");
    return gray;
  }

  // A set whose densities or conductivity are not finite cannot be run: the frequency is
  // so high at T0 that the occupations underflow, or the product C v^2 tau overflows.
  void check_runnable(const ModeSet &modes, const std::string &frequency_option)
  {
    const double x = constants::hbar * modes.omega.maxCoeff() / (constants::boltzmann * modes.temperature);
    if (!modes.density.allFinite() || !(modes.density.minCoeff() > 0))
      throw std::runtime_error(formatted("option %s: hbar omega / k_B T0 = %.3g at the highest "
                                         "frequency leaves no heat capacity in double precision; use "
                                         "a lower frequency or a higher --temperature",
                                         frequency_option.c_str(), x));
    const double kappa = rta_conductivity(modes)(0, 0);
    if (!std::isfinite(kappa) || !(kappa > 0))
      throw std::runtime_error(formatted("the options give RTA kappa_xx = %g W/(m K), not a finite "
                                         "positive conductivity",
                                         kappa));
  }

  // The model set of `kind`, with its provenance (docs/results.md): the model and every
  // parameter that decides the modes, as used.
  ModeSet make_modes(const std::string &kind, CommandLineOptions &read)
  {
    Provenance record         = provenance_of("kapitza-material");
    record["model"]           = kind;
    record["force_constants"] = "none (model material)";
    const double temperature  = read.positive("--temperature", 300);
    const auto   statistics   = parse_statistics(read.choice("--statistics", "bose", {"bose", "classical"}));
    record["temperature"]     = provenance_number(temperature, "K");
    record["statistics"]      = to_string(statistics);
    ModeSet modes;
    const QuadratureRequest angles = read_quadrature(read, record);
    if (kind == "gray")
      {
        GrayMaterial gray = gray_material(read, record);
        gray.name         = read.text("--name", "gray");
        gray.temperature  = temperature;
        gray.statistics   = statistics;
        read.finish();
        modes = kapitza::gray_material(gray, quadrature(angles, 1));
        check_runnable(modes, "--omega");
      }
    else
      {
        const std::string file      = read.take("--file", 1)[0];
        const double      omega_max = read.positive("--omega-max", 1e14);
        const std::string name      = read.text("--name", "bands");
        read.finish();
        const auto bands = read_band_file(file);
        modes = band_material(name, bands, temperature, statistics, omega_max, quadrature(angles, bands.size()));
        record["band_file"] = file;
        record["omega_max"] = provenance_number(omega_max, "rad/s");
        check_runnable(modes, "--omega-max");
      }
    if (modes.material.empty())
      throw std::runtime_error("option --name needs a non-empty name");
    modes.provenance = record;
    return modes;
  }

  // The model: the first word, gray or bands.
  std::string model_of(int argc, char **argv)
  {
    const std::string kind = argc > 1 ? argv[1] : "";
    if (kind != "gray" && kind != "bands")
      throw std::runtime_error("the first argument must be the model, gray or bands, not '" + kind +
                               "' (--help lists the options)");
    return kind;
  }
} // namespace

int main(int argc, char **argv)
{
  try
    {
      if (asks_for_help(argc, argv))
        {
          std::cout << "usage:\n" << usage << "options:\n" << option_help(options_help);
          return argc == 1 ? 1 : 0;
        }
      const std::string  kind = model_of(argc, argv);
      CommandLineOptions read(argc, argv, 2);
      const std::string  out   = read.take("--out", 1)[0];
      check_output_target("option --out", out);
      const ModeSet      modes = make_modes(kind, read);
      write_mode_database(out, modes);
      const auto kappa = rta_conductivity(modes);
      std::cout << "wrote " << out << ": " << modes.size() << " modes of '" << modes.material
                << "', C = " << modes.heat_capacity().sum() << " J/(m^3 K), RTA kappa_xx = "
                << kappa(0, 0) << " W/(m K)\n";
      return 0;
    }
  catch (const std::exception &error)
    {
      std::cerr << "kapitza-material: error: " << error.what() << "\n";
      return 1;
    }
}
