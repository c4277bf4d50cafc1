#pragma once
// Checks of the files a run reads and writes, made before any work, each failing with one
// line that names the file and what is wrong with it (never a library's stream text).

#include <string>
#include <vector>

namespace kapitza
{
  /// The whole text of the input file `path`; `what` names it in errors ("Gmsh file").
  /// Refuses a missing or unreadable file and a folder.
  std::string read_text_file(const std::string &path, const std::string &what);

  /// Refuses an output target `path`, given by `key` ("Output/File", "option --out"): an
  /// empty name, a folder that is missing, not a folder or not writable, a target that
  /// exists and is not a regular file (a folder, a device, a link), and a target that is
  /// one of the run's `inputs` (which writing the results would destroy).
  void check_output_target(const std::string &key, const std::string &path,
                           const std::vector<std::string> &inputs = {});
} // namespace kapitza
