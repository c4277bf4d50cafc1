// kapitza-material: writes model mode databases (DESIGN.md section 5).
//   kapitza-material gray  --out F.h5 [--name N] [--temperature T] [--statistics bose|classical]
//                          [--omega W] [--speed V] (--tau S | --mfp M) [--heat-capacity C]
//                          [--polar N] [--azimuth N] [--half-range] [--axis 0|1|2]
//   kapitza-material bands --file BANDS.dat --out F.h5 [--name N] [--temperature T]
//                          [--statistics S] [--omega-max W] [--polar N] [--azimuth N] [--half-range]
//                          [--axis 0|1|2]
// The angular quadrature: Gauss-Legendre in the cosine to the polar axis (x = 0 by default;
// --half-range puts n/2 points on each hemisphere) times uniform azimuths.

#include "scattering/command_line.h"
#include "scattering/mode_database.h"
#include "scattering/model_materials.h"

#include <iostream>
#include <stdexcept>

namespace
{
  kapitza::ModeSet make_modes(const std::string &kind, kapitza::CommandLineOptions &read)
  {
    const auto quadrature = kapitza::product_quadrature(
      read.number("--polar", 16), read.number("--azimuth", 8), read.flag("--half-range"),
      read.number("--axis", 0));
    const double     temperature = read.number("--temperature", 300);
    const auto       statistics  = kapitza::parse_statistics(read.text("--statistics", "bose"));
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
        return kapitza::gray_material(gray, quadrature);
      }
    if (kind == "bands")
      {
        const auto bands = kapitza::read_band_file(read.text("--file", ""));
        return kapitza::band_material(read.text("--name", "bands"), bands, temperature,
                                      statistics, read.number("--omega-max", 1e14), quadrature);
      }
    throw std::runtime_error("unknown material kind '" + kind + "' (use gray or bands)");
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
