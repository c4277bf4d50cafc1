#pragma once
// The command line of kapitza-modes: its usage text, its option table, and the request a
// run from force constants reads from it (checked before any work).

#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/command_line.h"
#include "scattering/mode_set.h"

#include <array>
#include <string>
#include <vector>

namespace kapitza
{
  // What the options of a run from force constants decide (read before any work).
  struct ModesRequest
  {
    std::array<int, 3>        mesh;
    std::string               kind; // none, rta, full
    phonons::CollisionOptions collision;
    std::string               smearing_text; // as typed (widths in THz), for the provenance
    unsigned int              axis;
    std::string               eels_born;
    std::string               lifetimes_from; // coarse rta database ({T}); empty: computed here

    /// Whether the rates' partners are a true sub-mesh (collision.partner_mesh; zeros: the
    /// mesh itself, as read_modes_request leaves it otherwise).
    bool sub_mesh_partners() const { return collision.partner_mesh != std::array<int, 3>{{0, 0, 0}}; }
  };

  extern const char *const             modes_usage;        // printed by --help
  extern const std::vector<OptionHelp> modes_options_help; // the option table after it

  /// The options of a run from force constants; finishes `options` (unknown ones are errors).
  ModesRequest read_modes_request(CommandLineOptions &options);

  /// --transport-axis: 0, 1, 2 for x, y, z (default x).
  unsigned int transport_axis(CommandLineOptions &options);
  /// --statistics (default bose).
  Statistics statistics(CommandLineOptions &options);
} // namespace kapitza
