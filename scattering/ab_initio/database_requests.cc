#include "scattering/ab_initio/database_requests.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // The force-constant files a database is computed from (those present in the folder).
    std::vector<std::string> input_files(const std::string &folder)
    {
      std::vector<std::string> files;
      for (const char *name : {"phono3py_params.yaml", "fc2.hdf5", "fc3.hdf5", "BORN", "CONTROL",
                               "FORCE_CONSTANTS_2ND", "FORCE_CONSTANTS_3RD"})
        if (std::filesystem::exists(folder + "/" + name))
          files.push_back(folder + "/" + name);
      return files;
    }
  } // namespace

  std::string file_at(const std::string &out, double temperature)
  {
    char text[32];
    std::snprintf(text, sizeof text, "%g", temperature);
    std::string file = out;
    for (std::size_t at = file.find("{T}"); at != std::string::npos; at = file.find("{T}", at))
      file.replace(at, 3, text);
    return file;
  }

  std::vector<DatabaseRequest> database_requests(const CommandLineOptions &options, const std::string &out)
  {
    const std::vector<std::string> words =
      options.has("--temperature") ? options.peek("--temperature") : std::vector<std::string>{"300"};
    if (words.empty())
      throw std::runtime_error("option --temperature needs one or more values");
    if (words.size() > 1 && out.find("{T}") == std::string::npos)
      throw std::runtime_error("several temperatures need {T} in --out (e.g. --out AlN-{T}K.h5), "
                               "the file of each temperature");
    if (words.size() > 1 && options.has("--import-phono3py-kappa"))
      throw std::runtime_error("several temperatures need force constants: an import of "
                               "phono3py lifetimes is one temperature a run");
    std::vector<DatabaseRequest> requests;
    for (const std::string &word : words)
      {
        CommandLineOptions alone = options; // parses it as a single-temperature run would
        alone.set("--temperature", {word});
        const double temperature = alone.positive("--temperature", 0);
        requests.push_back({word, temperature, file_at(out, temperature)});
        for (std::size_t r = 0; r + 1 < requests.size(); ++r)
          if (requests[r].out == requests.back().out)
            throw std::runtime_error("temperatures " + requests[r].word + " and " + word +
                                     " give the same file " + requests.back().out);
      }
    return requests;
  }

  std::optional<DatabaseCache> cache_of(const CommandLineOptions &options, const std::string &folder,
                                        const std::string &directory, const DatabaseRequest &request)
  {
    if (directory.empty())
      return std::nullopt;
    // The program's own bytes are part of the key: a rebuilt kapitza-modes (changed
    // physics or numerics) never reuses a database of an older build.
    std::vector<std::string> files = input_files(folder);
    files.push_back("/proc/self/exe");
    for (const std::string &born : options.peek("--eels-born")) // contents, not only the name
      files.push_back(born);
    for (const std::string &coarse : options.peek("--lifetimes-from"))
      files.push_back(file_at(coarse, request.temperature));
    CommandLineOptions alone = options;
    if (alone.has("--temperature"))
      alone.set("--temperature", {request.word});
    return DatabaseCache(directory, files, alone.remaining());
  }
} // namespace kapitza
