#include "scattering/ab_initio/database_cache.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // 64-bit FNV-1a: stable across compilers and library versions (std::hash is not),
    // so a cache directory stays valid after a rebuild.
    void fnv1a(const char *data, std::size_t size, std::uint64_t &hash)
    {
      for (std::size_t i = 0; i < size; ++i)
        {
          hash ^= static_cast<unsigned char>(data[i]);
          hash *= 1099511628211ull;
        }
    }

    void hash_file(const std::string &name, std::uint64_t &hash)
    {
      std::ifstream in(name, std::ios::binary);
      if (!in)
        throw std::runtime_error("cannot read " + name + " (input of the database cache)");
      char buffer[1 << 16];
      while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        fnv1a(buffer, in.gcount(), hash);
    }
  } // namespace

  DatabaseCache::DatabaseCache(const std::string &directory,
                               const std::vector<std::string> &inputs,
                               const std::string &options)
  {
    std::uint64_t hash = 14695981039346656037ull;
    for (const auto &name : inputs)
      hash_file(name, hash);
    fnv1a(options.data(), options.size(), hash);
    std::filesystem::create_directories(directory);
    std::ostringstream key;
    key << std::hex << std::setw(16) << std::setfill('0') << hash;
    path = (std::filesystem::path(directory) / (key.str() + ".h5")).string();
  }

  bool DatabaseCache::has_entry() const { return std::filesystem::exists(path); }

  void DatabaseCache::store(const std::string &database) const
  {
    const std::string partial = path + ".partial";
    std::filesystem::copy_file(database, partial,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(partial, path);
  }

  void DatabaseCache::copy_to(const std::string &target) const
  {
    std::filesystem::copy_file(path, target, std::filesystem::copy_options::overwrite_existing);
  }
} // namespace kapitza
