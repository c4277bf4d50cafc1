#include "scattering/provenance.h"

#include <charconv>
#include <ctime>

// Only this file sees the version (CMake defines it here alone), so that a new commit
// recompiles one object instead of the whole tree.
#ifndef KAPITZA_VERSION
#  define KAPITZA_VERSION "unknown"
#endif

namespace kapitza
{
  std::string code_version() { return KAPITZA_VERSION; }

  Provenance provenance_of(const std::string &program)
  {
    const std::time_t now = std::time(nullptr);
    std::tm           utc{};
    gmtime_r(&now, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return {{"program", program}, {"version", code_version()}, {"date", date}};
  }

  std::string provenance_number(double value, const std::string &unit)
  {
    char       text[32];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    return std::string(text, end) + (unit.empty() ? "" : " " + unit);
  }
} // namespace kapitza
