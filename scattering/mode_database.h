#pragma once
// The mode database file (DESIGN.md section 5): one material at one T0.

#include "scattering/energy_conservation.h"
#include "scattering/mode_set.h"

#include <string>

namespace kapitza
{
  /// Reads and validates every field (shapes, finiteness, positive omega, density and
  /// lifetimes, antipodal balance of the heat current, an energy-conserving collision
  /// matrix, normalized eigenvectors). Throws std::runtime_error with one line naming the
  /// file and the problem. The conservation residuals (and any correction) are returned
  /// in `report`. A transport calculation needs `tau` or `collision`
  /// (`require_scattering`); a harmonic set (kapitza-modes --collision none) has neither.
  ModeSet read_mode_database(const std::string &path, ConservationReport &report,
                             bool require_scattering = true);

  /// Writes every present field; a set without lifetimes is allowed.
  void write_mode_database(const std::string &path, const ModeSet &modes);

  /// The checks of read_mode_database on an in-memory set; `origin` names it in errors.
  void validate_modes(const ModeSet &modes, const std::string &origin,
                      bool require_scattering = true);
} // namespace kapitza
