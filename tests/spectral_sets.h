#pragma once
// Harmonic Stillinger-Weber silicon and its 72.63 amu twin on n^3 meshes, written as mode
// databases with the provenance kapitza-modes writes (the keys Interfaces/Spectral files
// are checked by): the transport and dense sets of the spectral interface tests.
#include "ab_initio_case.h"
#include "interface/mode_coupling.h"
#include "interface/spectral_capacity.h"
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
  /// What a group coupling between the transport sets ta, tb (normal n) does with the flux:
  /// the largest |row sum - 1| over arriving modes (energy conservation), the asymmetry of
  /// the flux between groups W_g fraction(g, h) relative to its largest entry (detailed
  /// balance; W_g the arriving flux per kelvin of the group's modes), and the flux per
  /// kelvin from a's groups to b's (the carried conductance).
  struct GroupBalance
  {
    double worst_row = 0, asymmetry = 0, carried = 0;
  };

  inline GroupBalance group_balance(ModeCoupling coupling, const ModeSet &ta, const ModeSet &tb,
                                    const Eigen::Vector3d &n)
  {
    const GroupCoupling   groups = coupling.groups;
    const Eigen::VectorXd w_a = arriving_flux_weight(ta, n), w_b = arriving_flux_weight(tb, -n);
    expand_groups(coupling);
    GroupBalance balance;
    for (const bool side_a : {true, false})
      {
        const Eigen::VectorXd &w = side_a ? w_a : w_b;
        for (unsigned int i = 0; i < w.size(); ++i)
          if (w[i] > 0)
            {
              double sum = 0;
              for (const auto *list : {side_a ? &coupling.a_to_a[i] : &coupling.b_to_b[i],
                                       side_a ? &coupling.a_to_b[i] : &coupling.b_to_a[i]})
                for (const auto &entry : *list)
                  sum += entry.second;
              balance.worst_row = std::max(balance.worst_row, std::abs(sum - 1));
            }
      }
    const unsigned int n_groups = groups.fraction.size();
    Eigen::VectorXd    held     = Eigen::VectorXd::Zero(n_groups);
    for (unsigned int i = 0; i < ta.size(); ++i)
      if (groups.arriving_a[i] >= 0)
        held[groups.arriving_a[i]] += w_a[i];
    for (unsigned int j = 0; j < tb.size(); ++j)
      if (groups.arriving_b[j] >= 0)
        held[groups.arriving_b[j]] += w_b[j];
    Eigen::MatrixXd flux = Eigen::MatrixXd::Zero(n_groups, n_groups);
    for (unsigned int g = 0; g < n_groups; ++g)
      for (const auto &[h, part] : groups.fraction[g])
        {
          flux(g, h) += held[g] * part;
          if (groups.on_a[g] && !groups.on_a[h])
            balance.carried += held[g] * part;
        }
    balance.asymmetry = (flux - flux.transpose()).cwiseAbs().maxCoeff() / flux.cwiseAbs().maxCoeff();
    return balance;
  }
} // namespace kapitza::testing
