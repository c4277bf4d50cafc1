#pragma once
// What tells one run's results apart from another's: a run id, the input file with the
// SHA-256 of its bytes, and the start time. Recorded in the results file and printed
// first, so that a results file can be matched to the input that made it.

#include <string>

namespace kapitza
{
  struct RunIdentity
  {
    std::string run_id;       // start time, host and process id: unique per run
    std::string input_file;   // as given on the command line
    std::string input_sha256; // hex digest of the input file's bytes
    std::string start_time;   // UTC, ISO 8601

    /// The identity of a run of `input_file`, starting now.
    static RunIdentity of_input(const std::string &input_file);
  };
} // namespace kapitza
