// kapitza-modes: mode databases (DESIGN.md section 5) of crystals from force constants.
//   kapitza-modes --fc DIR --mesh N1 N2 N3 --out F.h5 [--temperature T] [--statistics bose|classical]
//                 [--collision none] [--material NAME]
//       harmonic phonons of a phono3py folder (phono3py_params.yaml, fc2.hdf5, BORN when
//       present) on the full Gamma-centred mesh; --collision none writes no lifetimes.
//   kapitza-modes --import-phono3py-kappa KAPPA.hdf5 --fc DIR --out F.h5 [--temperature T]
//                 [--statistics bose|classical] [--material NAME]
//       phono3py's RTA lifetimes unfolded to the full mesh (DIR gives the crystal).
// The three acoustic modes at Gamma (omega = 0) carry no heat and are left out.

#include "scattering/command_line.h"
#include "scattering/harmonic_phonons.h"
#include "scattering/mode_database.h"
#include "scattering/phono3py_kappa.h"
#include "scattering/phono3py_reader.h"
#include "scattering/phonon_mode_set.h"

#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

namespace
{
  using namespace kapitza;

  using Options = CommandLineOptions;

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

  // The one place where scattering is attached to the harmonic modes of the mesh.
  void add_collision(const std::string &kind, const phonons::ForceConstants &,
                     const phonons::PhononMesh &, phonons::MeshModeSet &)
  {
    if (kind != "none")
      throw std::runtime_error("--collision " + kind + " is not available (use none)");
  }

  ModeSet harmonic_modes(Options &options, const std::string &folder, const std::string &material)
  {
    const auto   n           = mesh_size(options);
    const double temperature = options.number("--temperature", 300);
    const auto   statistics  = parse_statistics(options.text("--statistics", "bose"));
    const std::string collision = options.text("--collision", "none");
    options.finish();
    const phonons::ForceConstants fc = phonons::read_phono3py(folder, collision != "none");
    const phonons::DynamicalMatrix dynamical_matrix(fc);
    const phonons::PhononMesh      mesh = phonons::harmonic_phonons(dynamical_matrix, n);
    phonons::MeshModeSet set = phonons::mesh_mode_set(fc, mesh, material, temperature, statistics);
    add_collision(collision, fc, mesh, set);
    std::cout << material << ": " << mesh.n_q() << " q-points x " << mesh.n_branch()
              << " branches" << (fc.born ? ", non-analytic (Born charge) correction" : "")
              << ", " << dynamical_matrix.n_multiple_images()
              << " atom pairs with several shortest images; acoustic |f| at Gamma "
              << set.gamma_acoustic / (2 * M_PI * 1e12) << " THz (left out)\n";
    return set.modes;
  }

  ModeSet imported_modes(Options &options, const std::string &folder, const std::string &material)
  {
    const std::string path        = options.take("--import-phono3py-kappa", 1)[0];
    const auto        statistics  = parse_statistics(options.text("--statistics", "bose"));
    std::optional<double> temperature;
    if (options.has("--temperature"))
      temperature = options.number("--temperature", 0);
    options.finish();
    const phonons::ForceConstants fc = phonons::read_phono3py(folder, false);
    ModeSet modes = phonons::import_phono3py_kappa(path, fc.primitive, material, statistics,
                                                   temperature);
    phonons::set_crystal_fields(fc, modes);
    return modes;
  }
} // namespace

int main(int argc, char **argv)
{
  try
    {
      Options           options(argc, argv);
      const std::string out    = options.take("--out", 1)[0];
      std::string folder = options.take("--fc", 1)[0];
      while (folder.size() > 1 && folder.back() == '/')
        folder.pop_back();
      const std::string material =
        options.text("--material", std::filesystem::path(folder).filename().string());
      const ModeSet modes = options.has("--import-phono3py-kappa") ?
                              imported_modes(options, folder, material) :
                              harmonic_modes(options, folder, material);
      write_mode_database(out, modes);
      std::cout << "wrote " << out << ": " << modes.size() << " modes, C = "
                << modes.heat_capacity().sum() << " J/(m^3 K)";
      if (modes.tau.size() > 0)
        {
          const auto kappa = rta_conductivity(modes);
          std::cout << ", RTA kappa xx yy zz = " << kappa(0, 0) << " " << kappa(1, 1) << " "
                    << kappa(2, 2) << " W/(m K)";
        }
      std::cout << "\n";
      return 0;
    }
  catch (const std::exception &error)
    {
      std::cerr << "kapitza-modes: error: " << error.what() << "\n";
      return 1;
    }
}
