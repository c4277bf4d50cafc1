#include "scattering/ab_initio/io/fortran_namelist.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace fortran
  {
    namespace
    {
      [[noreturn]] void fail(const std::string &origin, const std::string &message)
      {
        throw std::runtime_error(origin + ": " + message);
      }

      bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)); }
      bool is_name(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

      std::string lower(std::string s)
      {
        for (char &c : s)
          c = std::tolower(static_cast<unsigned char>(c));
        return s;
      }
    } // namespace

    Namelists parse_namelists(const std::string &path)
    {
      std::ifstream in(path);
      if (!in)
        fail(path, "cannot open");
      std::string text, line;
      while (std::getline(in, line))
        {
          char quote = 0;
          for (std::size_t i = 0; i < line.size(); ++i)
            if (quote ? line[i] == quote : (line[i] == '"' || line[i] == '\''))
              quote = quote ? 0 : line[i];
            else if (!quote && line[i] == '!')
              line.resize(i);
          text += line + '\n';
        }
      Namelists   lists;
      std::string group; // "" between groups, whose text Fortran ignores too
      Assignment *current = nullptr;
      for (std::size_t i = 0, j; i < text.size(); i = j)
        {
          const char c = text[i];
          j            = i + 1;
          if (is_space(c) || c == ',' || (group.empty() && c != '&'))
            continue;
          if (c == '&' || c == '/')
            {
              while (c == '&' && j < text.size() && is_name(text[j]))
                ++j;
              const std::string name = lower(text.substr(i + 1, j - i - 1));
              if (!group.empty() && c == '&' && name != "end")
                fail(path, "namelist &" + group + " is not closed before &" + name);
              if ((group = c == '/' || name == "end" ? "" : name) != "")
                lists[group];
              current = nullptr;
              continue;
            }
          std::string value;
          const bool  quoted = c == '"' || c == '\'';
          if (quoted)
            {
              if ((j = text.find(c, i + 1)) == std::string::npos)
                fail(path, "unterminated string in &" + group);
              value = text.substr(i + 1, j++ - i - 1);
            }
          else
            {
              // `name(subscripts) =` starts an assignment; anything else is a value.
              while (j < text.size() && is_name(text[j]))
                ++j;
              std::size_t k = text.find_first_not_of(" \t\n", j), close;
              std::string subscripts;
              if (k != std::string::npos && text[k] == '(' &&
                  (close = text.find(')', k)) != std::string::npos)
                {
                  for (std::size_t p = k + 1; p < close; ++p)
                    if (!is_space(text[p]))
                      subscripts += text[p];
                  k = text.find_first_not_of(" \t\n", close + 1);
                }
              if (std::isalpha(static_cast<unsigned char>(c)) && k != std::string::npos && text[k] == '=')
                {
                  current = &lists[group][lower(text.substr(i, j - i))].emplace_back(Assignment{subscripts, {}});
                  j       = k + 1;
                  continue;
                }
              for (j = i; j < text.size() && !is_space(text[j]) && text[j] != ',' && text[j] != '/';)
                ++j;
              value = text.substr(i, j - i);
            }
          if (!current)
            fail(path, "value '" + value + "' before any variable name in &" + group);
          const std::size_t star   = quoted ? std::string::npos : value.find('*');
          int               repeat = 1;
          if (star != std::string::npos && star > 0 && value.find_first_not_of("0123456789") == star)
            repeat = std::stoi(value.substr(0, star)), value = value.substr(star + 1);
          current->values.insert(current->values.end(), repeat, value);
        }
      if (!group.empty())
        fail(path, "namelist &" + group + " is not closed");
      return lists;
    }

    // The words given to array `name` of shape `dims` in column-major order ("" where
    // not set), from whole-array, section ((:,2), (1:3,2,1)) and element assignments
    // (an element fills on in array order, as Fortran does).
    std::vector<std::string> words(const Namelists &lists, const std::string &group,
                                   const std::string &name, const std::vector<int> &dims,
                                   const std::string &path)
    {
      const std::size_t size = std::accumulate(dims.begin(), dims.end(), std::size_t(1), std::multiplies<>());
      std::vector<std::string> words(size);
      if (!lists.count(group) || !lists.at(group).count(name))
        return words;
      for (const Assignment &a : lists.at(group).at(name))
        {
          const std::string        what = "'" + name + "(" + a.subscripts + ")' in &" + group;
          std::vector<std::string> parts;
          std::stringstream        split(a.subscripts);
          for (std::string part; std::getline(split, part, ',');)
            parts.push_back(part);
          if (!a.subscripts.empty() && parts.size() != dims.size())
            fail(path, what + " needs " + std::to_string(dims.size()) + " subscripts");
          std::vector<int> low(dims.size(), 1), high(dims);
          bool             section = a.subscripts.empty();
          for (std::size_t d = 0; d < parts.size(); ++d)
            {
              const std::size_t colon = parts[d].find(':');
              section |= colon != std::string::npos;
              if (colon == std::string::npos)
                low[d] = high[d] = std::atoi(parts[d].c_str());
              else if (parts[d] != ":")
                low[d] = std::atoi(parts[d].substr(0, colon).c_str()),
                high[d] = std::atoi(parts[d].substr(colon + 1).c_str());
              if (low[d] < 1 || high[d] > dims[d] || low[d] > high[d])
                fail(path, what + ": subscript out of range 1.." + std::to_string(dims[d]));
            }
          std::vector<int>         at(low);
          std::vector<std::size_t> targets;
          for (bool more = true; more;)
            {
              std::size_t index = 0;
              for (std::size_t d = dims.size(); d-- > 0;)
                index = index * dims[d] + at[d] - 1;
              targets.push_back(index);
              std::size_t d = 0;
              while (section && d < dims.size() && ++at[d] > high[d])
                at[d] = low[d], ++d;
              more = section ? d < dims.size() : false;
            }
          for (std::size_t t = targets.back() + 1; !section && t < size; ++t)
            targets.push_back(t);
          if (a.values.size() > targets.size())
            fail(path, what + " has " + std::to_string(a.values.size()) + " values for " +
                         std::to_string(targets.size()) + " elements");
          for (std::size_t v = 0; v < a.values.size(); ++v)
            words[targets[v]] = a.values[v];
        }
      return words;
    }

    // Numbers of an array; without `defaults` every element must be set.
    std::vector<double> numbers(const Namelists &lists, const std::string &group,
                                const std::string &name, const std::vector<int> &dims,
                                const std::string &path, const std::vector<double> &defaults)
    {
      const std::vector<std::string> given = words(lists, group, name, dims, path);
      std::vector<double>            x(given.size());
      for (std::size_t k = 0; k < given.size(); ++k)
        {
          if (given[k].empty() && defaults.empty())
            fail(path, "&" + group + " does not set every element of '" + name + "'");
          std::string w = given[k];
          std::replace_if(w.begin(), w.end(), [](char c) { return c == 'd' || c == 'D'; }, 'e');
          char *end = nullptr;
          x[k]      = w.empty() ? defaults[k] : std::strtod(w.c_str(), &end);
          if ((!w.empty() && end != w.c_str() + w.size()) || !std::isfinite(x[k]))
            fail(path, "'" + name + "' in &" + group + " has the non-number '" + given[k] + "'");
        }
      return x;
    }

    bool logical(const Namelists &lists, const std::string &group, const std::string &name,
                 bool fallback, const std::string &path)
    {
      const std::string w = lower(words(lists, group, name, {1}, path)[0]);
      if (!w.empty() && !std::set<std::string>{".true.", ".false.", "t", "f", ".t.", ".f."}.count(w))
        fail(path, "'" + name + "' in &" + group + " must be .true. or .false., not '" + w + "'");
      return w.empty() ? fallback : w.find('t') != std::string::npos;
    }
  } // namespace fortran
} // namespace kapitza
