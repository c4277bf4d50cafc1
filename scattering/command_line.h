#pragma once
// Command-line options of the kapitza-* tools: "--name value..." where every word up to the
// next option belongs to that option. Each option is given once and taken once; finish()
// rejects leftovers. Every problem is one line naming the option and the bad value (never
// the text of a library's parser).

#include <string>
#include <map>
#include <vector>

namespace kapitza
{
  class CommandLineOptions
  {
  public:
    /// Options from argv[first] on (first = 2 after a sub-command word). A word before the
    /// first option and an option given twice are errors.
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
    /// One of `allowed` (fallback when absent).
    std::string choice(const std::string &key, const std::string &fallback,
                       const std::vector<std::string> &allowed);
    /// A finite number (fallback when absent).
    double number(const std::string &key, double fallback);
    /// A finite number > 0 (fallback when absent).
    double positive(const std::string &key, double fallback);
    /// An integer in [least, most] (fallback when absent).
    int integer(const std::string &key, int fallback, int least, int most);
    /// The n integers of a required option, each in [least, most].
    std::vector<int> integers(const std::string &key, unsigned int n, int least, int most);
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

  /// A finite number from `word`, or an error naming `key` and the word.
  double parse_number(const std::string &key, const std::string &word);
  /// An integer in [least, most] from `word`, or an error naming `key` and the word.
  int parse_integer(const std::string &key, const std::string &word, int least, int most);

  /// One entry of a tool's --help: the option and its values, what it means, and its
  /// default ("" for a required option or a flag that is off unless given).
  struct OptionHelp
  {
    std::string option, meaning, fallback;
  };

  /// The options as aligned lines "  --name VALUES  meaning (default: X)".
  std::string option_help(const std::vector<OptionHelp> &options);

  /// Whether the command line asks for help: no arguments, --help anywhere or -h first.
  bool asks_for_help(int argc, char **argv);
} // namespace kapitza
