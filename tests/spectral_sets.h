#pragma once
// Harmonic Stillinger-Weber silicon and its 72.63 amu twin on n^3 meshes, written as mode
// databases with the provenance kapitza-modes writes (the keys Interfaces/Spectral files
// are checked by): the transport and dense sets of the spectral interface tests.
#include "ab_initio_case.h"
#include "scattering/mode_database.h"

namespace kapitza::testing
{
  /// Harmonic SW silicon (or its heavy twin) on an n^3 mesh with the provenance
  /// kapitza-modes writes for the keys the spectral files are checked by.
  inline ModeSet sw_set(const std::string &material, int n)
  {
    phonons::CollisionOptions options;
    ModeSet modes = ab_initio_case(material, {{n, n, n}}, options).set.modes;
    modes.tau     = Eigen::VectorXd::Constant(modes.size(), 1e-11); // a spatial run needs some
    modes.provenance["q_mesh"] = std::to_string(n) + " " + std::to_string(n) + " " + std::to_string(n);
    modes.provenance["transport_axis"] = "x";
    return modes;
  }

  /// Writes Si-SW and its heavy twin at each mesh into `folder` as si-N.h5, heavy-N.h5.
  inline void write_sets(const std::string &folder, std::initializer_list<int> meshes)
  {
    for (const int n : meshes)
      {
        write_mode_database(folder + "/si-" + std::to_string(n) + ".h5", sw_set("Si-SW", n));
        write_mode_database(folder + "/heavy-" + std::to_string(n) + ".h5", sw_set("Si-SW-heavy72.63", n));
      }
  }

  constexpr int channels = 40; // Interfaces/Frequency bins of sw_bilayer

  /// A 1D bilayer of the n^3 sets (si-n.h5 | heavy-n.h5), DMM, between thermalizing walls.
  inline std::map<std::string, std::string> sw_bilayer(int transport_mesh, const std::string &left,
                                             const std::string &right = "300")
  {
    const std::string n = std::to_string(transport_mesh);
    return {{"Dimension", "1"},
            {"Materials/Names", "Si, heavy"},
            {"Materials/Files", "si-" + n + ".h5, heavy-" + n + ".h5"},
            {"Mesh/Layers", "Si:1e-7:8, heavy:1e-7:8"},
            {"Interfaces/Model", "dmm"},
            {"Interfaces/Frequency bins", std::to_string(channels)},
            {"Solver/Reference temperature", "300"},
            {"Solver/Tolerance", "1e-14"},
            {"Boundaries/Left", "thermalizing " + left},
            {"Boundaries/Right", "thermalizing " + right},
            {"Output/Line points", "50"}};
  }

} // namespace kapitza::testing
