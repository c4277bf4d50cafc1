#include "scattering/command_line.h"

#include <stdexcept>

namespace kapitza
{
  CommandLineOptions::CommandLineOptions(int argc, char **argv, int first)
  {
    std::string key;
    for (int i = first; i < argc; ++i)
      {
        const std::string word = argv[i];
        if (word.rfind("--", 0) == 0)
          values[key = word];
        else if (key.empty())
          throw std::runtime_error("unexpected argument '" + word + "'");
        else
          values[key].push_back(word);
      }
  }

  std::vector<std::string> CommandLineOptions::take(const std::string &key, unsigned int least,
                                                   unsigned int most)
  {
    const auto it = values.find(key);
    if (it == values.end())
      throw std::runtime_error("option " + key + " is required");
    if (it->second.size() < least || it->second.size() > most)
      throw std::runtime_error("option " + key + " needs " + std::to_string(least) +
                               (most > least ? " to " + std::to_string(most) : "") + " value(s)");
    const auto result = it->second;
    values.erase(it);
    return result;
  }

  std::string CommandLineOptions::text(const std::string &key, const std::string &fallback)
  {
    return has(key) ? take(key, 1)[0] : fallback;
  }

  double CommandLineOptions::number(const std::string &key, double fallback)
  {
    const std::string value = text(key, "");
    if (value.empty())
      return fallback;
    std::size_t used = 0;
    const double x   = std::stod(value, &used);
    if (used != value.size())
      throw std::runtime_error("option " + key + " needs a number, got '" + value + "'");
    return x;
  }

  bool CommandLineOptions::flag(const std::string &key)
  {
    if (!has(key))
      return false;
    take(key, 0);
    return true;
  }

  std::string CommandLineOptions::remaining() const
  {
    std::string text;
    for (const auto &[key, words] : values)
      {
        text += (text.empty() ? "" : " ") + key;
        for (const auto &word : words)
          text += " " + word;
      }
    return text;
  }

  void CommandLineOptions::finish() const
  {
    if (!values.empty())
      throw std::runtime_error("unknown option " + values.begin()->first);
  }
} // namespace kapitza
