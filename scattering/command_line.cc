#include "scattering/command_line.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Help lines wrap at this width; the meanings start in this column.
    constexpr std::size_t help_width = 92, meaning_column = 34;

    std::string joined(const std::vector<std::string> &words)
    {
      std::string text;
      for (const std::string &word : words)
        text += (text.empty() ? "" : " ") + word;
      return text;
    }
  } // namespace

  CommandLineOptions::CommandLineOptions(int argc, char **argv, int first)
  {
    std::string key;
    for (int i = first; i < argc; ++i)
      {
        const std::string word = argv[i];
        if (word.rfind("--", 0) == 0)
          {
            if (values.count(word))
              throw std::runtime_error("option " + word + " is given twice");
            values[key = word];
          }
        else if (key.empty())
          throw std::runtime_error("unexpected argument '" + word + "' (options start with --)");
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
    const std::size_t given = it->second.size();
    if (given < least || given > most)
      {
        const std::string wanted = std::to_string(least) +
                                   (most > least ? " to " + std::to_string(most) : "") +
                                   (most == 1 ? " value" : " values");
        throw std::runtime_error("option " + key + " takes " + wanted + ", got " +
                                 (given == 0 ? "none" : std::to_string(given) + ": '" +
                                                          joined(it->second) + "'"));
      }
    const auto result = it->second;
    values.erase(it);
    return result;
  }

  std::string CommandLineOptions::text(const std::string &key, const std::string &fallback)
  {
    return has(key) ? take(key, 1)[0] : fallback;
  }

  std::string CommandLineOptions::choice(const std::string &key, const std::string &fallback,
                                         const std::vector<std::string> &allowed)
  {
    const std::string value = text(key, fallback);
    for (const std::string &word : allowed)
      if (value == word)
        return value;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
      list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    throw std::runtime_error("option " + key + " must be " + list + ", not '" + value + "'");
  }

  double parse_number(const std::string &key, const std::string &word)
  {
    char        *end   = nullptr;
    const double value = std::strtod(word.c_str(), &end);
    if (word.empty() || end != word.c_str() + word.size())
      throw std::runtime_error("option " + key + " needs a number, not '" + word + "'");
    if (!std::isfinite(value))
      throw std::runtime_error("option " + key + " needs a finite number, not '" + word + "'");
    return value;
  }

  int parse_integer(const std::string &key, const std::string &word, int least, int most)
  {
    long long  value = 0;
    const auto end   = word.data() + word.size();
    const auto [at, error] = std::from_chars(word.data(), end, value);
    const std::string range = "an integer from " + std::to_string(least) + " to " + std::to_string(most);
    if (word.empty() || error != std::errc() || at != end || value < least || value > most)
      throw std::runtime_error("option " + key + " needs " + range + ", not '" + word + "'");
    return static_cast<int>(value);
  }

  double CommandLineOptions::number(const std::string &key, double fallback)
  {
    return has(key) ? parse_number(key, take(key, 1)[0]) : fallback;
  }

  double CommandLineOptions::positive(const std::string &key, double fallback)
  {
    if (!has(key))
      return fallback;
    const std::string word  = take(key, 1)[0];
    const double      value = parse_number(key, word);
    if (!(value > 0))
      throw std::runtime_error("option " + key + " must be positive, not '" + word + "'");
    return value;
  }

  int CommandLineOptions::integer(const std::string &key, int fallback, int least, int most)
  {
    return has(key) ? parse_integer(key, take(key, 1)[0], least, most) : fallback;
  }

  std::vector<int> CommandLineOptions::integers(const std::string &key, unsigned int n,
                                                int least, int most)
  {
    std::vector<int> result;
    for (const std::string &word : take(key, n))
      result.push_back(parse_integer(key, word, least, most));
    return result;
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
      throw std::runtime_error("unknown option " + values.begin()->first + " (--help lists the options)");
  }

  std::string option_help(const std::vector<OptionHelp> &options)
  {
    std::ostringstream out;
    for (const OptionHelp &entry : options)
      {
        std::string line = "  " + entry.option;
        line += line.size() + 2 <= meaning_column ? std::string(meaning_column - line.size(), ' ') :
                                                    "\n" + std::string(meaning_column, ' ');
        std::istringstream words(entry.meaning +
                                 (entry.fallback.empty() ? "" : " (default: " + entry.fallback + ")"));
        std::size_t        column = meaning_column;
        bool               first  = true;
        for (std::string word; words >> word; first = false)
          {
            if (!first && column + 1 + word.size() > help_width)
              {
                line += "\n" + std::string(meaning_column, ' ');
                column = meaning_column;
              }
            else if (!first)
              {
                line += " ";
                ++column;
              }
            line += word;
            column += word.size();
          }
        out << line << "\n";
      }
    return out.str();
  }

  bool asks_for_help(int argc, char **argv)
  {
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == "--help" || (i == 1 && std::string(argv[i]) == "-h"))
        return true;
    return argc == 1;
  }
} // namespace kapitza
