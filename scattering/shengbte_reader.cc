#include "scattering/shengbte_reader.h"

#include "scattering/isotope_scattering.h"
#include "scattering/phono3py_reader.h"
#include "scattering/three_phonon.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      [[noreturn]] void fail(const std::string &origin, const std::string &message)
      {
        throw std::runtime_error(origin + ": " + message);
      }

      std::string lower(std::string s)
      {
        for (char &c : s)
          c = std::tolower(static_cast<unsigned char>(c));
        return s;
      }

      // One `name(subscripts) = values` of a namelist group.
      struct Assignment
      {
        std::string              subscripts;
        std::vector<std::string> values;
      };
      // group -> variable -> assignments in file order (names in lower case)
      using Namelists = std::map<std::string, std::map<std::string, std::vector<Assignment>>>;

      // The part of Fortran namelist input that CONTROL files use: groups &name ... / (or
      // &end), `!` comments, quoted strings, r*value repeats, array sections.
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
        auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        Namelists   lists;
        std::string group;
        Assignment *current = nullptr;
        for (std::size_t i = 0; i < text.size();)
          {
            const char c = text[i];
            std::size_t j = i + 1;
            if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || (group.empty() && c != '&'))
              ++i; // separators, and text between groups (ignored, as by Fortran)
            else if (c == '&' || c == '/')
              {
                while (c == '&' && j < text.size() && name_char(text[j]))
                  ++j;
                const std::string name = lower(text.substr(i + 1, j - i - 1));
                if (c == '/' || name == "end")
                  group.clear();
                else if (!group.empty())
                  fail(path, "namelist &" + group + " is not closed before &" + name);
                else
                  lists[group = name];
                current = nullptr;
                i       = j;
              }
            else
              {
                std::string value;
                if (c == '"' || c == '\'')
                  {
                    j = text.find(c, i + 1);
                    if (j == std::string::npos)
                      fail(path, "unterminated string in &" + group);
                    value = text.substr(i + 1, j - i - 1);
                    i     = j + 1;
                  }
                else
                  {
                    // `name(subscripts) =` starts an assignment; anything else is a value.
                    while (j < text.size() && name_char(text[j]))
                      ++j;
                    std::size_t k = text.find_first_not_of(" \t\n", j);
                    std::string subscripts;
                    if (k != std::string::npos && text[k] == '(' && text.find(')', k) != std::string::npos)
                      {
                        const std::size_t close = text.find(')', k);
                        for (std::size_t p = k + 1; p < close; ++p)
                          if (!std::isspace(static_cast<unsigned char>(text[p])))
                            subscripts += text[p];
                        k = text.find_first_not_of(" \t\n", close + 1);
                      }
                    if (std::isalpha(static_cast<unsigned char>(c)) && k != std::string::npos &&
                        text[k] == '=')
                      {
                        current = &lists[group][lower(text.substr(i, j - i))].emplace_back(
                          Assignment{subscripts, {}});
                        i = k + 1;
                        continue;
                      }
                    j = i;
                    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
                           text[j] != ',' && text[j] != '/')
                      ++j;
                    value = text.substr(i, j - i);
                    i     = j;
                  }
                if (!current)
                  fail(path, "value '" + value + "' before any variable name in &" + group);
                // r*value repeats (only for unquoted values)
                const std::size_t star = value.find('*');
                int repeat = 1;
                if (c != '"' && c != '\'' && star != std::string::npos && star > 0 &&
                    value.find_first_not_of("0123456789") == star)
                  {
                    repeat = std::stoi(value.substr(0, star));
                    value  = value.substr(star + 1);
                  }
                current->values.insert(current->values.end(), repeat, value);
              }
          }
        if (!group.empty())
          fail(path, "namelist &" + group + " is not closed");
        return lists;
      }

      // The words given to array `name` of shape `dims` in column-major order ("" where
      // not set), from whole-array, section ((:,2), (1:3,2,1)) and element assignments.
      std::vector<std::string> array(const Namelists &lists, const std::string &group,
                                     const std::string &name, const std::vector<int> &dims,
                                     const std::string &path)
      {
        const std::size_t size = std::accumulate(dims.begin(), dims.end(), std::size_t(1),
                                                 std::multiplies<std::size_t>());
        std::vector<std::string> words(size);
        const auto g = lists.find(group);
        if (g == lists.end() || !g->second.count(name))
          return words;
        for (const Assignment &a : g->second.at(name))
          {
            const std::string what = "'" + name + "(" + a.subscripts + ")' in &" + group;
            std::vector<std::size_t> targets;
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
                char *end = nullptr;
                if (colon == std::string::npos)
                  low[d] = high[d] = std::strtol(parts[d].c_str(), &end, 10);
                else if (parts[d] != ":")
                  {
                    low[d]  = std::strtol(parts[d].substr(0, colon).c_str(), &end, 10);
                    high[d] = std::strtol(parts[d].substr(colon + 1).c_str(), &end, 10);
                  }
                if (low[d] < 1 || high[d] > dims[d] || low[d] > high[d])
                  fail(path, what + ": subscript out of range 1.." + std::to_string(dims[d]));
              }
            // Linear indices of the section (first index fastest); an element fills on.
            std::vector<int> at(low);
            auto linear = [&] {
              std::size_t index = 0;
              for (std::size_t d = dims.size(); d-- > 0;)
                index = index * dims[d] + at[d] - 1;
              return index;
            };
            if (!section)
              for (std::size_t t = linear(); t < size; ++t)
                targets.push_back(t);
            else
              for (bool more = true; more;)
                {
                  targets.push_back(linear());
                  std::size_t d = 0;
                  while (d < dims.size() && ++at[d] > high[d])
                    at[d] = low[d], ++d;
                  more = d < dims.size();
                }
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
                                  const std::string &path, std::vector<double> defaults = {})
      {
        const std::vector<std::string> words = array(lists, group, name, dims, path);
        std::vector<double> x(words.size());
        for (std::size_t k = 0; k < words.size(); ++k)
          {
            if (words[k].empty() && defaults.empty())
              fail(path, "&" + group + " does not set every element of '" + name + "'");
            std::string w = words[k];
            std::replace_if(w.begin(), w.end(), [](char c) { return c == 'd' || c == 'D'; }, 'e');
            char *end = nullptr;
            x[k]      = w.empty() ? defaults[k] : std::strtod(w.c_str(), &end);
            if ((!w.empty() && end != w.c_str() + w.size()) || !std::isfinite(x[k]))
              fail(path, "'" + name + "' in &" + group + " has the non-number '" + words[k] + "'");
          }
        return x;
      }

      int whole(double x, const std::string &path, const std::string &what)
      {
        if (x != std::round(x) || std::abs(x) > 1e9)
          fail(path, what + " must be an integer, not " + std::to_string(x));
        return static_cast<int>(x);
      }

      bool flag(const Namelists &lists, const std::string &name, bool fallback, const std::string &path)
      {
        const std::string w = lower(array(lists, "flags", name, {1}, path)[0]);
        if (w.empty())
          return fallback;
        if (w != ".true." && w != ".false." && w != "t" && w != "f" && w != ".t." && w != ".f.")
          fail(path, "'" + name + "' in &flags must be .true. or .false., not '" + w + "'");
        return w.find('t') != std::string::npos;
      }

      // The &crystal unit cell in SI, its scell, and Born charges (non-analytic flag on).
      Structure read_control(const std::string &path, std::array<int, 3> &scell,
                             std::optional<BornCharges> &born)
      {
        const Namelists lists = parse_namelists(path);
        const std::set<std::string> known = {"lfactor", "lattvec", "elements", "types",
                                             "positions", "masses", "gfactors", "epsilon",
                                             "born", "scell", "orientations"};
        if (lists.count("crystal"))
          for (const auto &variable : lists.at("crystal"))
            if (!known.count(variable.first)) // a typo would silently keep a default
              fail(path, "unknown variable '" + variable.first + "' in &crystal");
        const int n_elements = whole(numbers(lists, "allocations", "nelements", {1}, path)[0], path, "nelements");
        const int n_atoms    = whole(numbers(lists, "allocations", "natoms", {1}, path)[0], path, "natoms");
        if (n_elements < 1 || n_atoms < n_elements)
          fail(path, "&allocations needs nelements >= 1 and natoms >= nelements");
        Structure    s;
        const double unit    = numbers(lists, "crystal", "lfactor", {1}, path, {1.0})[0] * 1e-9;
        const auto   lattvec = numbers(lists, "crystal", "lattvec", {3, 3}, path);
        const auto   positions = numbers(lists, "crystal", "positions", {3, n_atoms}, path);
        const auto   types     = numbers(lists, "crystal", "types", {n_atoms}, path);
        const auto   elements  = array(lists, "crystal", "elements", {n_elements}, path);
        for (int i = 0; i < 3; ++i)
          for (int d = 0; d < 3; ++d)
            s.lattice(i, d) = lattvec[d + 3 * i] * unit; // lattvec(:, i) is vector i
        // ShengBTE's default (autoisotopes) averages the natural isotopes of each element;
        // masses= [g/mol] are used only with autoisotopes=.false.
        std::vector<double> element_mass;
        if (flag(lists, "autoisotopes", true, path))
          for (const std::string &e : elements)
            {
              const auto table = natural_isotopes().find(e);
              if (table == natural_isotopes().end())
                fail(path, "no natural isotopes of element '" + e +
                             "': give masses= and autoisotopes=.false.");
              double m = 0;
              for (const Isotope &i : table->second)
                m += i.mass * i.abundance;
              element_mass.push_back(m);
            }
        else
          element_mass = numbers(lists, "crystal", "masses", {n_elements}, path);
        s.fractional.resize(n_atoms, 3);
        s.masses.resize(n_atoms);
        for (int k = 0; k < n_atoms; ++k)
          {
            const int t = whole(types[k], path, "types");
            if (t < 1 || t > n_elements)
              fail(path, "types(" + std::to_string(k + 1) + ") is not an element 1.." +
                           std::to_string(n_elements));
            for (int d = 0; d < 3; ++d)
              s.fractional(k, d) = positions[d + 3 * k];
            s.symbols.push_back(elements[t - 1]);
            s.masses[k] = element_mass[t - 1] * units::atomic_mass;
          }
        if (!(s.volume() > 0) || !(s.masses.minCoeff() > 0))
          fail(path, "degenerate lattvec or non-positive masses");
        const auto cells = numbers(lists, "crystal", "scell", {3}, path);
        for (int d = 0; d < 3; ++d)
          if ((scell[d] = whole(cells[d], path, "scell")) < 1)
            fail(path, "scell must be positive");
        // Born charges born(:, j, atom): E field along the first index (ShengBTE contracts
        // it with q), displacement j, as phonopy's Z*(a, b); all zero means none.
        const auto z = numbers(lists, "crystal", "born", {3, 3, n_atoms}, path,
                               std::vector<double>(9 * n_atoms, 0.0));
        if (flag(lists, "nonanalytic", true, path) &&
            std::any_of(z.begin(), z.end(), [](double x) { return x != 0; }))
          {
            const auto eps = numbers(lists, "crystal", "epsilon", {3, 3}, path, {1, 0, 0, 0, 1, 0, 0, 0, 1});
            born.emplace();
            born->dielectric = Eigen::Map<const Eigen::Matrix3d>(eps.data());
            for (int k = 0; k < n_atoms; ++k)
              born->charges.push_back(Eigen::Map<const Eigen::Matrix3d>(&z[9 * k]));
          }
        return s;
      }

      // diag(m) x the unit cell in phonopy's atom order: atom, then cells with x fastest.
      Supercell diagonal_supercell(const Structure &unit, const std::array<int, 3> &m)
      {
        Supercell   s;
        const int   cells = m[0] * m[1] * m[2], n = unit.n_atoms();
        Structure  &c     = s.structure;
        s.matrix          = Eigen::Vector3i(m[0], m[1], m[2]).asDiagonal();
        c.lattice         = s.matrix.cast<double>() * unit.lattice;
        c.fractional.resize(n * cells, 3);
        c.masses.resize(n * cells);
        for (int a = 0; a < n; ++a)
          {
            s.primitive_to_supercell.push_back(a * cells);
            for (int l = 0; l < cells; ++l)
              {
                const Eigen::Vector3d cell(l % m[0], l / m[0] % m[1], l / (m[0] * m[1]));
                c.fractional.row(a * cells + l) =
                  (unit.fractional.row(a).transpose() + cell).cwiseQuotient(Eigen::Vector3d(m[0], m[1], m[2])).transpose();
                c.masses[a * cells + l] = unit.masses[a];
                c.symbols.push_back(unit.symbols[a]);
                s.supercell_to_primitive.push_back(a);
              }
          }
        return s;
      }

      // Non-blank lines of a text file as numbers, with line numbers for the errors.
      class TextFile
      {
      public:
        explicit TextFile(const std::string &path)
          : path(path)
          , in(path)
        {
          if (!in)
            fail(path, "cannot open");
        }

        // The next non-blank line, which must hold `count` numbers (any number > 0 when
        // `count` is 0; integers if asked).
        std::vector<double> next(const std::string &what, std::size_t count, bool integers)
        {
          std::string line;
          while (std::getline(in, line))
            if (++number, line.find_first_not_of(" \t\r") != std::string::npos)
              {
                std::istringstream  words(line);
                std::vector<double> x;
                for (std::string w; words >> w;)
                  {
                    char *end = nullptr;
                    x.push_back(std::strtod(w.c_str(), &end));
                    if (end != w.c_str() + w.size() || (integers && x.back() != std::round(x.back())))
                      x.clear(), words.setstate(std::ios::failbit);
                  }
                if (count ? x.size() != count : x.empty())
                  fail(path, "line " + std::to_string(number) + ": expected " + what + ", found '" + line + "'");
                return x;
              }
          fail(path, "ends at line " + std::to_string(number) + ", before " + what);
        }

        bool at_end()
        {
          std::string line;
          while (std::getline(in, line))
            if (++number, line.find_first_not_of(" \t\r") != std::string::npos)
              return false;
          return true;
        }

        const std::string path;
        unsigned long     number = 0;

      private:
        std::ifstream in;
      };

      // Compact fc2 [J/m^2] from phonopy's full ("n n" or "n") or compact ("n_prim n")
      // FORCE_CONSTANTS on `super`.
      std::vector<double> read_fc2(const std::string &path, const Supercell &super)
      {
        TextFile            file(path);
        const unsigned int  n_super = super.structure.n_atoms(), n_prim = super.primitive_to_supercell.size();
        std::vector<double> head = file.next("the atom counts 'n_rows n_columns' or 'n'", 0, true);
        if (head.size() == 1)
          head.push_back(head[0]);
        if (head.size() != 2 || head[1] != n_super || (head[0] != n_super && head[0] != n_prim))
          fail(path, "line 1 announces " + std::to_string(long(head[0])) + " x " +
                       std::to_string(long(head[1])) + " blocks, but CONTROL's scell has " +
                       std::to_string(n_super) + " atoms (" + std::to_string(n_prim) + " per cell)");
        std::vector<int> row(n_super, -1);
        for (unsigned int p = 0; p < n_prim; ++p)
          row[super.primitive_to_supercell[p]] = p;
        const double        to_si = units::electronvolt / std::pow(units::angstrom, 2);
        std::vector<double> fc2(std::size_t(n_prim) * n_super * 9, 0.0);
        std::vector<char>   seen(std::size_t(n_prim) * n_super, 0);
        for (long b = 0; b < long(head[0] * head[1]); ++b)
          {
            const auto ij = file.next("a block header 'i j'", 2, true);
            const int  i = ij[0] - 1, j = ij[1] - 1;
            if (i < 0 || j < 0 || i >= int(n_super) || j >= int(n_super) ||
                (head[0] == n_prim && row[i] < 0))
              fail(path, "line " + std::to_string(file.number) + ": atoms " + std::to_string(i + 1) +
                           " " + std::to_string(j + 1) + " are no block of this supercell" +
                           (head[0] == n_prim ? " (compact rows are the first image of each atom)" : ""));
            for (int a = 0; a < 3; ++a)
              {
                const auto v = file.next("3 force constants", 3, false);
                for (int c = 0; c < 3 && row[i] >= 0; ++c)
                  fc2[((std::size_t(row[i]) * n_super + j) * 3 + a) * 3 + c] = v[c] * to_si;
              }
            if (row[i] >= 0 && seen[std::size_t(row[i]) * n_super + j]++)
              fail(path, "line " + std::to_string(file.number) + ": block " + std::to_string(i + 1) +
                           " " + std::to_string(j + 1) + " appears twice");
          }
        if (!file.at_end())
          fail(path, "line " + std::to_string(file.number) + ": more lines than the blocks announced on line 1");
        return fc2;
      }

      struct Triplet
      {
        int                    i, j, k;
        Eigen::Vector3i        r2, r3; // unit-cell translations of atoms j and k
        std::array<double, 27> phi;    // [J/m^3]
      };

      std::vector<Triplet> read_triplets(const std::string &path, const Structure &unit)
      {
        TextFile          file(path);
        const long        n = file.next("the number of triplets", 1, true)[0];
        if (n < 0)
          fail(path, "line 1: a negative number of triplets");
        const double      to_si = units::electronvolt / std::pow(units::angstrom, 3);
        std::vector<Triplet> triplets(n);
        for (long t = 0; t < n; ++t)
          {
            const std::string of = " of triplet " + std::to_string(t + 1) + " of " + std::to_string(n);
            Triplet          &tr = triplets[t];
            if (file.next("the index" + of, 1, true)[0] != t + 1)
              fail(path, "line " + std::to_string(file.number) + ": expected the index " + std::to_string(t + 1));
            for (Eigen::Vector3i *r : {&tr.r2, &tr.r3})
              {
                const auto v = file.next("a Cartesian vector [Angstrom]" + of, 3, false);
                // ShengBTE rounds R to the nearest lattice vector; so do we, within 0.01.
                const Eigen::Vector3d f = unit.reciprocal() * Eigen::Vector3d(v.data()) * units::angstrom;
                *r = f.array().round().cast<int>();
                if ((f - r->cast<double>()).cwiseAbs().maxCoeff() > 0.01)
                  fail(path, "line " + std::to_string(file.number) + ": no lattice vector of CONTROL's cell");
              }
            const auto ijk = file.next("the atoms 'i j k'" + of, 3, true);
            tr.i = ijk[0] - 1, tr.j = ijk[1] - 1, tr.k = ijk[2] - 1;
            if (std::min({tr.i, tr.j, tr.k}) < 0 || std::max({tr.i, tr.j, tr.k}) >= int(unit.n_atoms()))
              fail(path, "line " + std::to_string(file.number) + ": atoms out of range 1.." +
                           std::to_string(unit.n_atoms()));
            for (int abc = 0; abc < 27; ++abc)
              {
                const auto v = file.next("27 lines 'a b c value'" + of, 4, false);
                const std::string expected = std::to_string(abc / 9 + 1) + " " +
                                             std::to_string(abc / 3 % 3 + 1) + " " + std::to_string(abc % 3 + 1);
                if (v[0] != abc / 9 + 1 || v[1] != abc / 3 % 3 + 1 || v[2] != abc % 3 + 1)
                  fail(path, "line " + std::to_string(file.number) + ": expected the Cartesian indices " +
                               expected + " of 27 lines 'a b c value'" + of);
                tr.phi[abc] = v[3] * to_si;
              }
          }
        if (!file.at_end())
          fail(path, "line " + std::to_string(file.number) + ": more lines than the " +
                       std::to_string(n) + " triplets announced on line 1");
        return triplets;
      }

      // The compact fc3 on `super` whose Fourier sum with kapitza's independent minimum-
      // image averages of j and k (three_phonon.h) is ShengBTE's explicit sum over the
      // triplets: each R + x_j - x_i must be a minimum image of its supercell atom, and the
      // triplets that fall on one (i, J, K) must be an even split over all image pairs.
      // Empty when `super` cannot represent them.
      std::vector<double> fold(const std::vector<Triplet> &triplets, const Structure &unit,
                               const Supercell &super, const std::array<int, 3> &m, double tolerance)
      {
        const unsigned int n_super = super.structure.n_atoms(), n = unit.n_atoms();
        auto vector = [&](int i, int j, const Eigen::Vector3i &r) {
          return Eigen::Vector3d(r.cast<double>() + (unit.fractional.row(j) - unit.fractional.row(i)).transpose());
        };
        // Cheap test first: no vector may shorten by one supercell translation.
        for (const Triplet &t : triplets)
          for (const Eigen::Vector3d &d : {vector(t.i, t.j, t.r2), vector(t.i, t.k, t.r3)})
            for (int s = 0; s < 27; ++s)
              {
                const Eigen::Vector3d shift(m[0] * (s % 3 - 1), m[1] * (s / 3 % 3 - 1), m[2] * (s / 9 - 1));
                if ((unit.lattice.transpose() * (d + shift)).norm() <
                    (unit.lattice.transpose() * d).norm() - 1e-5 * units::angstrom)
                  return {};
              }
        const SupercellImages images = shortest_vectors(unit, super);
        auto atom_and_image = [&](int i, int j, const Eigen::Vector3i &r, int &image) {
          const int cell = (r[0] % m[0] + m[0]) % m[0] +
                           m[0] * ((r[1] % m[1] + m[1]) % m[1] + m[1] * ((r[2] % m[2] + m[2]) % m[2]));
          const int atom = j * m[0] * m[1] * m[2] + cell;
          const auto &list = images(i, atom);
          for (image = 0; image < int(list.size()); ++image)
            if ((list[image] - vector(i, j, r)).cwiseAbs().maxCoeff() < 1e-6)
              return atom;
          return -1;
        };
        std::vector<double> fc3(std::size_t(n) * n_super * n_super * 27, 0.0);
        struct Group
        {
          std::vector<char> pairs;
          std::size_t       first, count = 0;
        };
        std::unordered_map<std::size_t, Group> groups;
        for (std::size_t t = 0; t < triplets.size(); ++t)
          {
            const Triplet &tr = triplets[t];
            int            a, b;
            const int      j = atom_and_image(tr.i, tr.j, tr.r2, a), k = atom_and_image(tr.i, tr.k, tr.r3, b);
            if (j < 0 || k < 0)
              return {};
            const std::size_t at = (std::size_t(tr.i) * n_super + j) * n_super + k;
            Group            &g  = groups[at];
            const std::size_t n_k = images(tr.i, k).size();
            if (g.pairs.empty())
              g.pairs.assign(images(tr.i, j).size() * n_k, 0), g.first = t;
            if (g.pairs[a * n_k + b]++)
              return {}; // a repeated block: ShengBTE would add it, no even split
            ++g.count;
            for (int abc = 0; abc < 27; ++abc)
              {
                if (std::abs(tr.phi[abc] - triplets[g.first].phi[abc]) > tolerance)
                  return {};
                fc3[at * 27 + abc] += tr.phi[abc];
              }
          }
        for (const auto &[at, g] : groups)
          if (g.count != g.pairs.size())
            return {};
        return fc3;
      }
    } // namespace

    ForceConstants read_shengbte(const std::string &folder, bool with_fc3)
    {
      ForceConstants     fc;
      std::array<int, 3> scell;
      fc.primitive     = read_control(folder + "/CONTROL", scell, fc.born);
      fc.fc2_supercell = diagonal_supercell(fc.primitive, scell);
      fc.fc3_supercell = fc.fc2_supercell;
      fc.fc2           = read_fc2(folder + "/FORCE_CONSTANTS_2ND", fc.fc2_supercell);
      if (!with_fc3)
        return fc;

      const std::string path     = folder + "/FORCE_CONSTANTS_3RD";
      std::vector<Triplet> triplets = read_triplets(path, fc.primitive);
      triplets.erase(std::remove_if(triplets.begin(), triplets.end(),
                                    [](const Triplet &t) {
                                      return std::all_of(t.phi.begin(), t.phi.end(), [](double x) { return x == 0; });
                                    }),
                     triplets.end());
      double largest = 0;
      for (const Triplet &t : triplets)
        for (double x : t.phi)
          largest = std::max(largest, std::abs(x));
      // Candidate supercells by size, then by anisotropy; the first that represents the
      // triplets exactly is the cheapest for the three-phonon sums.
      constexpr int           max_cells = 16;
      constexpr double        max_values = double(1 << 27); // 1 GiB of fc3
      std::vector<std::array<int, 3>> candidates;
      for (int a = 1; a <= max_cells; ++a)
        for (int b = 1; b <= max_cells; ++b)
          for (int c = 1; c <= max_cells; ++c)
            if (fc.primitive.n_atoms() * std::pow(double(a * b * c * fc.primitive.n_atoms()), 2) * 27 <= max_values)
              candidates.push_back({a, b, c});
      std::stable_sort(candidates.begin(), candidates.end(), [](const auto &x, const auto &y) {
        const auto size   = [](const auto &m) { return m[0] * m[1] * m[2]; };
        const auto spread = [](const auto &m) { return *std::max_element(m.begin(), m.end()) - *std::min_element(m.begin(), m.end()); };
        return std::make_pair(size(x), spread(x)) < std::make_pair(size(y), spread(y));
      });
      for (const std::array<int, 3> &m : candidates)
        {
          const Supercell super = diagonal_supercell(fc.primitive, m);
          fc.fc3 = fold(triplets, fc.primitive, super, m, 1e-8 * largest);
          if (!fc.fc3.empty())
            {
              fc.fc3_supercell = super;
              return fc;
            }
        }
      fail(path, "the triplets fit no diagonal supercell of CONTROL's cell (up to " +
                   std::to_string(max_cells) + " cells per axis and 1 GiB of fc3) as minimum "
                   "images split evenly; see docs/force_constants.md");
    }

    ForceConstants read_force_constants_folder(const std::string &folder, bool with_fc3)
    {
      if (std::filesystem::exists(folder + "/CONTROL"))
        return read_shengbte(folder, with_fc3);
      if (!std::filesystem::exists(folder + "/phono3py_params.yaml"))
        fail(folder, "no force constants: neither CONTROL (ShengBTE) nor phono3py_params.yaml (phono3py)");
      return read_phono3py(folder, with_fc3);
    }
  } // namespace phonons
} // namespace kapitza
