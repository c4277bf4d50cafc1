#include "scattering/file_checks.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kapitza
{
  std::string read_text_file(const std::string &path, const std::string &what)
  {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
      throw std::runtime_error(path + ": is a folder, not the " + what);
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error(path + ": cannot open the " + what);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
      throw std::runtime_error(path + ": cannot read the " + what);
    return text;
  }

  void check_output_target(const std::string &key, const std::string &path,
                           const std::vector<std::string> &inputs)
  {
    namespace fs = std::filesystem;
    if (path.empty() || fs::path(path).filename().empty())
      throw std::runtime_error(key + ": needs a file name (got '" + path + "')");
    const fs::path  target = path;
    const fs::path  folder = fs::absolute(target).lexically_normal().parent_path();
    std::error_code error;
    if (!fs::exists(folder, error))
      throw std::runtime_error(key + ": the folder '" + folder.string() + "' does not exist");
    if (!fs::is_directory(folder, error))
      throw std::runtime_error(key + ": '" + folder.string() + "' is not a folder");
    if (access(folder.c_str(), W_OK) != 0)
      throw std::runtime_error(key + ": the folder '" + folder.string() + "' is not writable");
    const fs::file_status status = fs::symlink_status(target, error);
    if (fs::exists(status) && !fs::is_regular_file(status))
      throw std::runtime_error(key + ": '" + path +
                               "' exists and is not a regular file (a folder, device or link)");
    for (const std::string &input : inputs)
      if (fs::exists(status) && fs::equivalent(target, input, error))
        throw std::runtime_error(key + ": '" + path + "' is an input of this run (" + input +
                                 "); writing the results would destroy it");
  }
} // namespace kapitza
