#pragma once
// A directory of mode databases that kapitza-modes has computed, keyed by the bytes of its
// input files (kapitza-modes adds its own executable) and by the options that change the
// result, so that a case asking twice for the same crystal, mesh, temperature and
// scattering reuses the first database instead of recomputing a collision matrix.

#include <string>
#include <vector>

namespace kapitza
{
  class DatabaseCache
  {
  public:
    /// `directory` is created when missing; `inputs` are the files the database is computed
    /// from (all must exist), `options` the canonical text of the result-changing options.
    DatabaseCache(const std::string &directory, const std::vector<std::string> &inputs,
                  const std::string &options);

    /// The cache entry of this key (DIRECTORY/KEY.h5) and whether it exists.
    const std::string &entry() const { return path; }
    bool               has_entry() const;

    /// Copies a finished database into the cache (write then rename: never a partial entry)
    /// or the cached database to `target`.
    void store(const std::string &database) const;
    void copy_to(const std::string &target) const;

  private:
    std::string path;
  };
} // namespace kapitza
