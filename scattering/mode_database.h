#pragma once
// The mode database file (DESIGN.md section 5): one material at one T0.

#include "scattering/energy_conservation.h"
#include "scattering/mode_set.h"

#include <string>

namespace kapitza
{
  class Hdf5File;

  /// Reads and validates every field (shapes, finiteness, positive omega, density and
  /// lifetimes, antipodal balance of the heat current, an energy-conserving collision
  /// matrix, normalized eigenvectors). Throws std::runtime_error with one line naming the
  /// file and the problem. The conservation residuals (and any correction) are returned
  /// in `report`. A transport calculation needs `tau` or `collision`
  /// (`require_scattering`); a harmonic set (kapitza-modes --collision none) has neither.
  ModeSet read_mode_database(const std::string &path, ConservationReport &report,
                             bool require_scattering = true);

  /// What a run needs of a database before reading it (after the format checks).
  struct ModeDatabaseSummary
  {
    std::string material;
    std::size_t n_modes = 0;
    bool        has_collision = false;
  };
  ModeDatabaseSummary summarize_mode_database(const std::string &path);

  /// Writes every present field; a set without lifetimes is allowed.
  void write_mode_database(const std::string &path, const ModeSet &modes);

  /// A provenance group: one string attribute per key. Absent group: empty map (files
  /// written before provenance was recorded). Shared with the results file, which copies
  /// each material's provenance.
  Provenance read_provenance(const Hdf5File &file, const std::string &group);
  /// Writes nothing for an empty map, so that such a set's file is as before.
  void write_provenance(Hdf5File &file, const std::string &group, const Provenance &provenance);

  /// The checks of read_mode_database on an in-memory set; `origin` names it in errors.
  void validate_modes(const ModeSet &modes, const std::string &origin,
                      bool require_scattering = true);
} // namespace kapitza
