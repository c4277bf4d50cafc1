#pragma once
// Provenance of a mode database (docs/results.md, "Mode databases"): the program, code
// version and inputs that produced it, as ordered `key = value` strings. A database (and a
// results file, which copies it per material) then says how it was made, as phono3py's
// kappa files do, without anyone keeping the command line.

#include <map>
#include <string>

namespace kapitza
{
  /// Ordered by key, so that files and printouts list the keys in one stable order.
  using Provenance = std::map<std::string, std::string>;

  /// `git describe --always --dirty` of the source tree when CMake was configured
  /// ("unknown" outside a git checkout): a rebuild after a commit without reconfiguring
  /// keeps the older description.
  std::string code_version();

  /// The keys every writer records: `program`, `version` (code_version) and `date`
  /// (now, UTC, ISO 8601).
  Provenance provenance_of(const std::string &program);

  /// The shortest text that reads back as the same double, followed by " unit" if given.
  std::string provenance_number(double value, const std::string &unit = "");
} // namespace kapitza
