#pragma once
// Command-line options of the kapitza-* tools: "--name value..." where every word up to the
// next option belongs to that option. Each option is taken once; finish() rejects leftovers.

#include <string>
#include <map>
#include <vector>

namespace kapitza
{
  class CommandLineOptions
  {
  public:
    /// Options from argv[first] on (first = 2 after a sub-command word).
    CommandLineOptions(int argc, char **argv, int first = 1);

    bool has(const std::string &key) const { return values.count(key) > 0; }
    /// The words of an option without taking it (empty if absent).
    std::vector<std::string> peek(const std::string &key) const
    {
      const auto found = values.find(key);
      return found == values.end() ? std::vector<std::string>() : found->second;
    }
    /// Gives an option these words, as if the command line had (e.g. one of several
    /// values, to build the cache key of a run that asks for that value alone).
    void set(const std::string &key, const std::vector<std::string> &words) { values[key] = words; }
    /// The n words of a required option.
    std::vector<std::string> take(const std::string &key, unsigned int n) { return take(key, n, n); }
    /// The words of a required option that takes between `least` and `most` of them.
    std::vector<std::string> take(const std::string &key, unsigned int least, unsigned int most);
    std::string text(const std::string &key, const std::string &fallback);
    double      number(const std::string &key, double fallback);
    /// An option given without values (e.g. --half-range).
    bool flag(const std::string &key);
    /// The options not yet taken, in a canonical order ("--a x y --b z"): what a cache key
    /// needs after the options that do not change the result are taken.
    std::string remaining() const;
    /// Error naming the first option nobody asked for.
    void finish() const;

  private:
    std::map<std::string, std::vector<std::string>> values;
  };
} // namespace kapitza
