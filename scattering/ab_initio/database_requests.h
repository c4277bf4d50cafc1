#pragma once
// The databases one kapitza-modes command line asks for: one per value of --temperature,
// each with its file (--out with {T} replaced) and its cache entry, keyed as a run at that
// temperature alone would key it (database_cache.h).

#include "scattering/ab_initio/database_cache.h"
#include "scattering/command_line.h"

#include <optional>
#include <string>
#include <vector>

namespace kapitza
{
  /// One database of a run: its temperature, as typed (the cache key of a run at that
  /// temperature alone) and as a number, and its file.
  struct DatabaseRequest
  {
    std::string word;
    double      temperature;
    std::string out;
  };

  /// `out` with every {T} replaced by the temperature (%g).
  std::string file_at(const std::string &out, double temperature);

  /// The databases asked for, one per value of --temperature (300 K when absent), which is
  /// peeked at, not taken. Several need {T} in --out and scattering that is computed once for
  /// all of them (not an import); refused here, before any work.
  std::vector<DatabaseRequest> database_requests(const CommandLineOptions &options,
                                                 const std::string &out);

  /// The cache entry (none without a `directory`) of a run at this request's temperature
  /// alone: keyed by the force-constant files of `folder`, the program's own bytes, an
  /// --eels-born file and the options not yet taken.
  std::optional<DatabaseCache> cache_of(const CommandLineOptions &options, const std::string &folder,
                                        const std::string &directory, const DatabaseRequest &request);
} // namespace kapitza
