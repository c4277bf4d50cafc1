// kapitza-material: writes model mode databases (DESIGN.md section 5).
//   kapitza-material gray  --out F.h5 [--name N] [--temperature T] [--statistics bose|classical]
//                          [--omega W] [--speed V] (--tau S | --mfp M) [--heat-capacity C]
//                          [--polar N] [--azimuth N] [--half-range] [--axis 0|1|2]
//   kapitza-material bands --file BANDS.dat --out F.h5 [--name N] [--temperature T]
//                          [--statistics S] [--omega-max W] [--polar N] [--azimuth N] [--half-range]
//                          [--axis 0|1|2]
// The angular quadrature: Gauss-Legendre in the cosine to the polar axis (x = 0 by default;
// --half-range puts n/2 points on each hemisphere) times uniform azimuths. The database
// records its provenance: program, version, date, model and its parameters as used.

#include "scattering/command_line.h"
#include "scattering/mode_database.h"
#include "scattering/model_materials.h"

#include <iostream>
#include <stdexcept>

namespace
{
  using kapitza::provenance_number;

  // The angular quadrature; `record` gets its parameters as used (defaults included).
  kapitza::AngularQuadrature quadrature(kapitza::CommandLineOptions &read,
                                        kapitza::Provenance         &record)
  {
    const double polar = read.number("--polar", 16), azimuth = read.number("--azimuth", 8);
    const bool   half_range = read.flag("--half-range");
    const double axis       = read.number("--axis", 0);
    record["polar"]         = provenance_number(polar);
    record["azimuth"]       = provenance_number(azimuth);
    record["half_range"]    = half_range ? "on" : "off";
    record["axis"]          = provenance_number(axis);
    return kapitza::product_quadrature(polar, azimuth, half_range, axis);
  }

  // The model set of `kind`, with its provenance (docs/results.md): the model and every
  // parameter that decides the modes, as used.
  kapitza::ModeSet make_modes(const std::string &kind, kapitza::CommandLineOptions &read)
  {
    kapitza::Provenance record = kapitza::provenance_of("kapitza-material");
    record["model"]            = kind;
    const auto   angles      = quadrature(read, record);
    const double temperature = read.number("--temperature", 300);
    const auto   statistics  = kapitza::parse_statistics(read.text("--statistics", "bose"));
    record["temperature"]    = provenance_number(temperature, "K");
    record["statistics"]     = kapitza::to_string(statistics);
    kapitza::ModeSet modes;
    if (kind == "gray")
      {
        kapitza::GrayMaterial gray;
        gray.name          = read.text("--name", "gray");
        gray.temperature   = temperature;
        gray.statistics    = statistics;
        gray.omega         = read.number("--omega", gray.omega);
        gray.speed         = read.number("--speed", gray.speed);
        const double mfp   = read.number("--mfp", 0);
        gray.tau           = mfp > 0 ? mfp / gray.speed : read.number("--tau", gray.tau);
        gray.heat_capacity = read.number("--heat-capacity", gray.heat_capacity);
        modes              = kapitza::gray_material(gray, angles);
        if (mfp > 0)
          record["mfp"] = provenance_number(mfp, "m");
        record["omega"]         = provenance_number(gray.omega, "rad/s");
        record["speed"]         = provenance_number(gray.speed, "m/s");
        record["tau"]           = provenance_number(gray.tau, "s");
        record["heat_capacity"] = provenance_number(gray.heat_capacity, "J/(m^3 K)");
      }
    else if (kind == "bands")
      {
        const std::string file      = read.text("--file", "");
        const double      omega_max = read.number("--omega-max", 1e14);
        modes = kapitza::band_material(read.text("--name", "bands"), kapitza::read_band_file(file),
                                       temperature, statistics, omega_max, angles);
        record["band_file"] = file;
        record["omega_max"] = provenance_number(omega_max, "rad/s");
      }
    else
      throw std::runtime_error("unknown material kind '" + kind + "' (use gray or bands)");
    modes.provenance = record;
    return modes;
  }
} // namespace

int main(int argc, char **argv)
{
  try
    {
      if (argc < 2)
        throw std::runtime_error("usage: kapitza-material gray|bands --out FILE.h5 [options]");
      kapitza::CommandLineOptions read(argc, argv, 2);
      const std::string out   = read.text("--out", "");
      if (out.empty())
        throw std::runtime_error("--out FILE.h5 is required");
      const kapitza::ModeSet modes = make_modes(argv[1], read);
      read.finish();
      kapitza::write_mode_database(out, modes);
      const auto kappa = kapitza::rta_conductivity(modes);
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
