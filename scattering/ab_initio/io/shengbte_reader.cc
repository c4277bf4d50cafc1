#include "scattering/ab_initio/io/shengbte_reader.h"

#include "scattering/ab_initio/io/fortran_namelist.h"
#include "scattering/ab_initio/isotope_scattering.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/three_phonon.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

      using namespace fortran;

      int whole(double x, const std::string &path, const std::string &what)
      {
        if (x != std::round(x) || std::abs(x) > 1e9)
          fail(path, what + " must be an integer, not " + std::to_string(x));
        return static_cast<int>(x);
      }

      Structure read_control(const std::string &path, std::array<int, 3> &scell, std::optional<BornCharges> &born)
      {
        const Namelists             lists = parse_namelists(path);
        const std::set<std::string> known = {"lfactor", "lattvec", "elements", "types", "positions", "masses",
                                             "gfactors", "epsilon", "born", "scell", "orientations"};
        if (lists.count("crystal"))
          for (const auto &variable : lists.at("crystal"))
            if (!known.count(variable.first)) // a typo would silently keep a default
              fail(path, "unknown variable '" + variable.first + "' in &crystal");
        const int n_elements = whole(numbers(lists, "allocations", "nelements", {1}, path)[0], path, "nelements");
        const int n_atoms    = whole(numbers(lists, "allocations", "natoms", {1}, path)[0], path, "natoms");
        if (n_elements < 1 || n_atoms < n_elements)
          fail(path, "&allocations needs nelements >= 1 and natoms >= nelements");
        Structure    s;
        const double unit      = numbers(lists, "crystal", "lfactor", {1}, path, {1.0})[0] * 1e-9; // nm
        const auto   lattvec   = numbers(lists, "crystal", "lattvec", {3, 3}, path);
        const auto   positions = numbers(lists, "crystal", "positions", {3, n_atoms}, path);
        const auto   types     = numbers(lists, "crystal", "types", {n_atoms}, path);
        const auto   elements  = words(lists, "crystal", "elements", {n_elements}, path);
        s.lattice = Eigen::Map<const Eigen::Matrix3d>(lattvec.data()).transpose() * unit; // rows: lattvec(:, i)
        // ShengBTE's default (autoisotopes) averages the natural isotopes of each element
        // and ignores masses=, which [g/mol] it uses only with autoisotopes=.false.
        std::vector<double> element_mass;
        if (logical(lists, "flags", "autoisotopes", true, path))
          for (const std::string &e : elements)
            {
              if (!natural_isotopes().count(e))
                fail(path, "no natural isotopes of element '" + e + "': give masses= and autoisotopes=.false.");
              element_mass.push_back(0);
              for (const Isotope &i : natural_isotopes().at(e))
                element_mass.back() += i.mass * i.abundance;
            }
        else
          element_mass = numbers(lists, "crystal", "masses", {n_elements}, path);
        s.fractional = Eigen::Map<const Positions>(positions.data(), n_atoms, 3);
        s.masses.resize(n_atoms);
        for (int k = 0; k < n_atoms; ++k)
          {
            const int t = whole(types[k], path, "types");
            if (t < 1 || t > n_elements)
              fail(path, "types(" + std::to_string(k + 1) + ") is not an element 1.." + std::to_string(n_elements));
            s.symbols.push_back(elements[t - 1]);
            s.masses[k] = element_mass[t - 1] * units::atomic_mass;
          }
        if (!(s.volume() > 0) || !(s.masses.minCoeff() > 0))
          fail(path, "degenerate lattvec or non-positive masses");
        const auto cells = numbers(lists, "crystal", "scell", {3}, path);
        for (int d = 0; d < 3; ++d)
          if ((scell[d] = whole(cells[d], path, "scell")) < 1)
            fail(path, "scell must be positive");
        // born(:, j, atom): the field along the first index (ShengBTE contracts it with q),
        // displacement j, as phonopy's Z*(a, b); all zero means none.
        const auto z = numbers(lists, "crystal", "born", {3, 3, n_atoms}, path, std::vector<double>(9 * n_atoms, 0.0));
        if (logical(lists, "flags", "nonanalytic", true, path) && std::any_of(z.begin(), z.end(), [](double x) { return x != 0; }))
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
        Supercell  s;
        const int  cells = m[0] * m[1] * m[2], n = unit.n_atoms();
        Structure &c     = s.structure;
        s.matrix         = Eigen::Vector3i(m[0], m[1], m[2]).asDiagonal();
        c.lattice        = s.matrix.cast<double>() * unit.lattice;
        c.fractional.resize(n * cells, 3);
        c.masses.resize(n * cells);
        for (int a = 0; a < n; ++a)
          for (int l = 0; l < cells; ++l)
            {
              const Eigen::Vector3d cell(l % m[0], l / m[0] % m[1], l / (m[0] * m[1]));
              c.fractional.row(a * cells + l) = (unit.fractional.row(a).transpose() + cell)
                                                  .cwiseQuotient(Eigen::Vector3d(m[0], m[1], m[2]))
                                                  .transpose();
              c.masses[a * cells + l] = unit.masses[a];
              c.symbols.push_back(unit.symbols[a]);
              s.supercell_to_primitive.push_back(a);
              if (l == 0)
                s.primitive_to_supercell.push_back(a * cells);
            }
        return s;
      }

      // Non-blank lines of a text file as numbers, with line numbers for the errors.
      struct TextFile
      {
        explicit TextFile(const std::string &path)
          : path(path)
          , in(path)
        {
          if (!in)
            fail(path, "cannot open");
        }

        // The next non-blank line; it must hold `count` numbers (any number > 0 when
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

        // Fails at the next non-blank line.
        void expect_end(const std::string &what)
        {
          std::string line;
          while (std::getline(in, line))
            if (++number, line.find_first_not_of(" \t\r") != std::string::npos)
              fail(path, "line " + std::to_string(number) + ": more lines than " + what);
        }

        const std::string path;
        std::ifstream     in;
        unsigned long     number = 0;
      };

      // Compact fc2 [J/m^2] from phonopy's full ("n n" or "n") or compact ("n_prim n")
      // FORCE_CONSTANTS on `super`.
      std::vector<double> read_fc2(const std::string &path, const Supercell &super, std::string &convention)
      {
        TextFile            file(path);
        const unsigned int  n_super = super.structure.n_atoms(), n_prim = super.primitive_to_supercell.size();
        std::vector<double> head = file.next("the atom counts 'n_rows n_columns' or 'n'", 0, true);
        if (head.size() == 1)
          head.push_back(head[0]);
        if (head.size() != 2 || head[1] != n_super || (head[0] != n_super && head[0] != n_prim))
          fail(path, "line 1 announces " + std::to_string(long(head[0])) + " x " + std::to_string(long(head.back())) +
                       " blocks, but CONTROL's scell has " + std::to_string(n_super) + " atoms (" +
                       std::to_string(n_prim) + " per cell)");
        const bool full = head[0] == n_super && n_super != n_prim;
        convention      = "ShengBTE FORCE_CONSTANTS_2ND " + std::string(full ? "full" : "compact") + " (" +
                     std::to_string(long(head[0])) + " x " + std::to_string(n_super) + " blocks), " +
                     (full ? "compacted to the rows of the first cell" : "used as read");
        std::vector<int> row(n_super, -1); // ShengBTE too reads only the rows of cell 0
        for (unsigned int p = 0; p < n_prim; ++p)
          row[super.primitive_to_supercell[p]] = p;
        const double        to_si = units::electronvolt / std::pow(units::angstrom, 2);
        std::vector<double> fc2(std::size_t(n_prim) * n_super * 9, 0.0);
        std::vector<char>   seen(std::size_t(n_prim) * n_super, 0);
        for (long b = 0; b < long(head[0] * head[1]); ++b)
          {
            const auto ij = file.next("a block header 'i j'", 2, true);
            const int  i = ij[0] - 1, j = ij[1] - 1;
            const std::string at = "line " + std::to_string(file.number) + ": block " +
                                   std::to_string(i + 1) + " " + std::to_string(j + 1);
            if (i < 0 || j < 0 || i >= int(n_super) || j >= int(n_super) || (head[0] == n_prim && row[i] < 0))
              fail(path, at + " is no block of this supercell" +
                           (head[0] == n_prim ? " (compact rows are the first image of each atom)" : ""));
            for (int a = 0; a < 3; ++a)
              {
                const auto v = file.next("3 force constants", 3, false);
                for (int c = 0; c < 3 && row[i] >= 0; ++c)
                  fc2[((std::size_t(row[i]) * n_super + j) * 3 + a) * 3 + c] = v[c] * to_si;
              }
            if (row[i] >= 0 && seen[std::size_t(row[i]) * n_super + j]++)
              fail(path, at + " appears twice");
          }
        file.expect_end("the blocks announced on line 1");
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
        TextFile     file(path);
        const long   n     = file.next("the number of triplets", 1, true)[0];
        const double to_si = units::electronvolt / std::pow(units::angstrom, 3);
        if (n < 0)
          fail(path, "line 1: a negative number of triplets");
        std::vector<Triplet> triplets(n);
        for (long t = 0; t < n; ++t)
          {
            const std::string of   = " of triplet " + std::to_string(t + 1) + " of " + std::to_string(n);
            auto              line = [&] { return "line " + std::to_string(file.number) + ": "; };
            Triplet          &tr   = triplets[t];
            if (file.next("the index" + of, 1, true)[0] != t + 1)
              fail(path, line() + "expected the index " + std::to_string(t + 1));
            for (Eigen::Vector3i *r : {&tr.r2, &tr.r3})
              {
                // ShengBTE rounds R to the nearest lattice vector; so do we, within 0.01.
                const auto            v = file.next("a Cartesian vector [Angstrom]" + of, 3, false);
                const Eigen::Vector3d f = unit.reciprocal() * Eigen::Vector3d(v.data()) * units::angstrom;
                *r                      = f.array().round().cast<int>();
                if ((f - r->cast<double>()).cwiseAbs().maxCoeff() > 0.01)
                  fail(path, line() + "no lattice vector of CONTROL's cell");
              }
            const auto ijk = file.next("the atoms 'i j k'" + of, 3, true);
            tr.i = ijk[0] - 1, tr.j = ijk[1] - 1, tr.k = ijk[2] - 1;
            if (std::min({tr.i, tr.j, tr.k}) < 0 || std::max({tr.i, tr.j, tr.k}) >= int(unit.n_atoms()))
              fail(path, line() + "atoms out of range 1.." + std::to_string(unit.n_atoms()));
            for (int abc = 0; abc < 27; ++abc)
              {
                const auto v = file.next("27 lines 'a b c value'" + of, 4, false);
                if (v[0] != abc / 9 + 1 || v[1] != abc / 3 % 3 + 1 || v[2] != abc % 3 + 1)
                  fail(path, line() + "expected the Cartesian indices " + std::to_string(abc / 9 + 1) + " " +
                               std::to_string(abc / 3 % 3 + 1) + " " + std::to_string(abc % 3 + 1) +
                               " of 27 lines 'a b c value'" + of);
                tr.phi[abc] = v[3] * to_si;
              }
          }
        file.expect_end("the " + std::to_string(n) + " triplets announced on line 1");
        return triplets;
      }

      // The compact fc3 on diag(m) x `unit` whose Fourier sum with kapitza's independent
      // minimum-image averages of j and k (three_phonon.h) is ShengBTE's explicit sum
      // over the triplets: each R + x_j - x_i must be a minimum image of its supercell
      // atom, and the triplets on one (i, J, K) an even split over all its image pairs.
      // Empty when this supercell cannot represent them.
      std::vector<double> fold(const std::vector<Triplet> &triplets, const Structure &unit,
                               const std::array<int, 3> &m, double tolerance, Supercell &super)
      {
        auto vector = [&](int i, int j, const Eigen::Vector3i &r) -> Eigen::Vector3d {
          return r.cast<double>() + (unit.fractional.row(j) - unit.fractional.row(i)).transpose();
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
        super                         = diagonal_supercell(unit, m);
        const unsigned int    n_super = super.structure.n_atoms();
        const SupercellImages images  = shortest_vectors(unit, super);
        auto atom_and_image = [&](int i, int j, const Eigen::Vector3i &r, int &image) {
          auto      wrap = [&](int d) { return (r[d] % m[d] + m[d]) % m[d]; };
          const int atom = j * m[0] * m[1] * m[2] + wrap(0) + m[0] * (wrap(1) + m[1] * wrap(2));
          for (image = 0; image < int(images(i, atom).size()); ++image)
            if ((images(i, atom)[image] - vector(i, j, r)).cwiseAbs().maxCoeff() < 1e-6)
              return atom;
          return -1;
        };
        std::vector<double> fc3(std::size_t(unit.n_atoms()) * n_super * n_super * 27, 0.0);
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
            const std::size_t at  = (std::size_t(tr.i) * n_super + j) * n_super + k;
            const std::size_t n_k = images(tr.i, k).size();
            Group            &g   = groups[at];
            if (g.pairs.empty())
              g.pairs.assign(images(tr.i, j).size() * n_k, 0), g.first = t;
            if (g.pairs[a * n_k + b]++) // a repeated block: ShengBTE adds it, no even split
              return {};
            ++g.count;
            for (int abc = 0; abc < 27; ++abc)
              {
                if (std::abs(tr.phi[abc] - triplets[g.first].phi[abc]) > tolerance)
                  return {};
                fc3[at * 27 + abc] += tr.phi[abc];
              }
          }
        for (const auto &group : groups)
          if (group.second.count != group.second.pairs.size())
            return {};
        return fc3;
      }
    } // namespace

    ForceConstants read_shengbte(const std::string &folder, bool with_fc3)
    {
      ForceConstants     fc;
      std::array<int, 3> scell;
      fc.primitive     = read_control(folder + "/CONTROL", scell, fc.born);
      fc.fc2_supercell = fc.fc3_supercell = diagonal_supercell(fc.primitive, scell);
      fc.fc2           = read_fc2(folder + "/FORCE_CONSTANTS_2ND", fc.fc2_supercell, fc.fc2_convention);
      if (!with_fc3)
        return fc;

      const std::string    path     = folder + "/FORCE_CONSTANTS_3RD";
      std::vector<Triplet> triplets = read_triplets(path, fc.primitive);
      const std::size_t    n_read   = triplets.size();
      triplets.erase(std::remove_if(triplets.begin(), triplets.end(),
                                    [](const Triplet &t) {
                                      return std::all_of(t.phi.begin(), t.phi.end(), [](double x) { return x == 0; });
                                    }),
                     triplets.end());
      double largest = 0;
      for (const Triplet &t : triplets)
        for (double x : t.phi)
          largest = std::max(largest, std::abs(x));
      // Candidates by size, then anisotropy: the first that represents the triplets
      // exactly is the cheapest for the three-phonon sums.
      constexpr int                   max_cells = 16;
      const double                    n         = fc.primitive.n_atoms();
      std::vector<std::array<int, 3>> candidates;
      for (int c = 0; c < max_cells * max_cells * max_cells; ++c)
        {
          const std::array<int, 3> m{{c % max_cells + 1, c / max_cells % max_cells + 1, c / (max_cells * max_cells) + 1}};
          if (n * std::pow(m[0] * m[1] * m[2] * n, 2) * 27 <= double(1 << 27)) // 1 GiB of fc3
            candidates.push_back(m);
        }
      auto key = [](const std::array<int, 3> &m) {
        return std::make_pair(m[0] * m[1] * m[2], *std::max_element(m.begin(), m.end()) - *std::min_element(m.begin(), m.end()));
      };
      std::stable_sort(candidates.begin(), candidates.end(), [&](const auto &x, const auto &y) { return key(x) < key(y); });
      for (const std::array<int, 3> &m : candidates)
        if (!(fc.fc3 = fold(triplets, fc.primitive, m, 1e-8 * largest, fc.fc3_supercell)).empty())
          {
            fc.fc3_convention = "ShengBTE FORCE_CONSTANTS_3RD, " + std::to_string(n_read) +
                                " triplets with explicit R2, R3 (" + std::to_string(n_read - triplets.size()) +
                                " all zero), folded exactly onto compact fc3 on the " + std::to_string(m[0]) +
                                "x" + std::to_string(m[1]) + "x" + std::to_string(m[2]) + " supercell of CONTROL's cell (" +
                                std::to_string(fc.fc3_supercell.structure.n_atoms()) + " atoms)";
            return fc;
          }
      fail(path, "the triplets fit no diagonal supercell of CONTROL's cell (up to " + std::to_string(max_cells) +
                   " cells per axis and 1 GiB of fc3) as minimum images split evenly; see docs/force_constants.md");
    }

    std::string force_constants_format(const std::string &folder)
    {
      if (std::filesystem::exists(folder + "/CONTROL"))
        return "ShengBTE";
      if (!std::filesystem::exists(folder + "/phono3py_params.yaml"))
        fail(folder, "no force constants: neither CONTROL (ShengBTE) nor phono3py_params.yaml (phono3py)");
      return "phono3py";
    }

    ForceConstants read_force_constants_folder(const std::string &folder, bool with_fc3)
    {
      return force_constants_format(folder) == "ShengBTE" ? read_shengbte(folder, with_fc3) :
                                                            read_phono3py(folder, with_fc3);
    }
  } // namespace phonons
} // namespace kapitza
