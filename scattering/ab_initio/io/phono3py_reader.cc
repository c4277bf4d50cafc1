#include "scattering/ab_initio/io/phono3py_reader.h"

#include "scattering/ab_initio/crystal_symmetry.h"
#include "scattering/hdf5_file.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

      YAML::Node required(const YAML::Node &node, const std::string &key,
                          const std::string &origin)
      {
        if (!node[key])
          fail(origin, "missing '" + key + "'");
        return node[key];
      }

      template <typename Matrix>
      Matrix read_matrix(const YAML::Node &node, const std::string &key,
                         const std::string &origin)
      {
        const YAML::Node rows = required(node, key, origin);
        if (!rows.IsSequence() || rows.size() != 3)
          fail(origin, "'" + key + "' must be a 3x3 matrix");
        Matrix m;
        for (unsigned int i = 0; i < 3; ++i)
          {
            if (!rows[i].IsSequence() || rows[i].size() != 3)
              fail(origin, "'" + key + "' must be a 3x3 matrix");
            for (unsigned int j = 0; j < 3; ++j)
              m(i, j) = rows[i][j].as<typename Matrix::Scalar>();
          }
        return m;
      }

      // A cell of phono3py_params.yaml: lattice [Angstrom] rows and points with symbol,
      // fractional coordinates and mass [amu].
      Structure read_cell(const YAML::Node &root, const std::string &key,
                          const std::string &origin)
      {
        const YAML::Node cell   = required(root, key, origin);
        const std::string where = origin + " (" + key + ")";
        Structure         s;
        s.lattice             = read_matrix<Eigen::Matrix3d>(cell, "lattice", where) *
                    units::angstrom;
        const YAML::Node points = required(cell, "points", where);
        s.fractional.resize(points.size(), 3);
        s.masses.resize(points.size());
        for (unsigned int k = 0; k < points.size(); ++k)
          {
            const YAML::Node coordinates = required(points[k], "coordinates", where);
            if (coordinates.size() != 3)
              fail(where, "atom " + std::to_string(k + 1) + " needs three coordinates");
            for (unsigned int d = 0; d < 3; ++d)
              s.fractional(k, d) = coordinates[d].as<double>();
            s.symbols.push_back(required(points[k], "symbol", where).as<std::string>());
            s.masses[k] = required(points[k], "mass", where).as<double>() * units::atomic_mass;
          }
        if (s.n_atoms() == 0 || !(s.volume() > 0))
          fail(where, "empty or degenerate cell");
        return s;
      }

      // A supercell of the unit cell; phonopy's matrix M: supercell lattice rows = M^T rows.
      Supercell read_supercell(const YAML::Node &root, const std::string &cell_key,
                               const std::string &matrix_key, const Structure &unit_cell,
                               const Structure &primitive, const std::string &origin)
      {
        Supercell super;
        super.structure = read_cell(root, cell_key, origin);
        super.matrix    = read_matrix<Eigen::Matrix3i>(root, matrix_key, origin);
        const Eigen::Matrix3d expected = super.matrix.cast<double>().transpose() * unit_cell.lattice;
        if ((expected - super.structure.lattice).norm() > 1e-6 * expected.norm())
          fail(origin, "'" + cell_key + "' lattice is not '" + matrix_key +
                         "' times the unit cell");
        const double ratio = super.structure.volume() / primitive.volume();
        if (std::abs(ratio * primitive.n_atoms() - super.structure.n_atoms()) > 1e-6)
          fail(origin, "'" + cell_key + "' has " + std::to_string(super.structure.n_atoms()) +
                         " atoms, expected " +
                         std::to_string(std::lround(ratio * primitive.n_atoms())));
        super.supercell_to_primitive =
          supercell_to_primitive(primitive, super.structure, origin + " (" + cell_key + ")");
        for (unsigned int p = 0; p < primitive.n_atoms(); ++p)
          for (unsigned int k = 0; k < super.supercell_to_primitive.size(); ++k)
            if (super.supercell_to_primitive[k] == int(p))
              {
                super.primitive_to_supercell.push_back(k); // the first image, as phonopy
                break;
              }
        return super;
      }

      std::string shape_string(const std::vector<hsize_t> &shape)
      {
        std::string s = "(";
        for (unsigned int i = 0; i < shape.size(); ++i)
          s += (i ? "," : "") + std::to_string(shape[i]);
        return s + ")";
      }

      // Compact force constants (primitive atom, supercell atoms..., Cartesian indices) of
      // `order` from a compact or full dataset, in SI; adopts the file's p2s_map.
      // `convention` says which of the two the file held and what became of it.
      std::vector<double> read_force_constants(const std::string &path,
                                               const std::string &name, unsigned int order,
                                               Supercell &super, double to_si,
                                               std::string &convention)
      {
        Hdf5File           file(path, Hdf5File::Mode::read);
        const auto         shape   = file.shape(name);
        const unsigned int n_super = super.structure.n_atoms();
        const unsigned int n_prim  = super.primitive_to_supercell.size();
        if (shape.size() != 2 * order)
          fail(path, "dataset '" + name + "' has shape " + shape_string(shape) +
                       ", expected rank " + std::to_string(2 * order));
        for (unsigned int d = 1; d < order; ++d)
          if (shape[d] != n_super)
            fail(path, "dataset '" + name + "' " + shape_string(shape) + " has " +
                         std::to_string(shape[d]) + " supercell atoms, but the supercell of "
                         "phono3py_params.yaml has " + std::to_string(n_super));
        for (unsigned int d = order; d < 2 * order; ++d)
          if (shape[d] != 3)
            fail(path, "dataset '" + name + "' " + shape_string(shape) +
                         " must end in Cartesian indices of size 3");
        if (shape[0] != n_prim && shape[0] != n_super)
          fail(path, "dataset '" + name + "' has " + std::to_string(shape[0]) +
                       " rows, but the primitive cell has " + std::to_string(n_prim) +
                       " atoms (and the supercell " + std::to_string(n_super) + ")");
        if (file.has("p2s_map"))
          {
            const auto p2s = file.read_ints("p2s_map");
            bool       ok  = p2s.size() == n_prim;
            for (unsigned int p = 0; ok && p < n_prim; ++p)
              ok = p2s[p] >= 0 && p2s[p] < int(n_super) &&
                   super.supercell_to_primitive[p2s[p]] == int(p);
            if (!ok)
              fail(path, "'p2s_map' does not match the primitive and supercell atoms of "
                         "phono3py_params.yaml");
            super.primitive_to_supercell = p2s;
          }
        const bool full = shape[0] == n_super && n_super != n_prim;
        convention = "phono3py " + std::filesystem::path(path).filename().string() +
                     (full ? " full " : " compact ") + shape_string(shape) +
                     (full ? ", compacted to the rows of the " + std::to_string(n_prim) +
                               " primitive atoms" :
                             ", used as read") +
                     (file.has("p2s_map") ? " (p2s_map of the file)" : "");
        const std::vector<double> data     = file.read_doubles(name);
        const std::size_t         row_size = data.size() / shape[0];
        std::vector<double>       compact(n_prim * row_size);
        for (unsigned int p = 0; p < n_prim; ++p)
          {
            const std::size_t row = shape[0] == n_prim ? p : super.primitive_to_supercell[p];
            for (std::size_t m = 0; m < row_size; ++m)
              compact[p * row_size + m] = data[row * row_size + m] * to_si;
          }
        for (double x : compact)
          if (!std::isfinite(x))
            fail(path, "dataset '" + name + "' is not finite");
        return compact;
      }

      // The leading numbers of the next line (none for a comment line).
      std::vector<double> numbers_of_line(std::istream &in)
      {
        std::string line;
        std::getline(in, line);
        std::istringstream  words(line);
        std::vector<double> numbers;
        std::string         word;
        while (words >> word)
          {
            char        *end   = nullptr;
            const double value = std::strtod(word.c_str(), &end);
            if (end != word.c_str() + word.size())
              break;
            numbers.push_back(value);
          }
        return numbers;
      }
    } // namespace

    BornCharges read_born(const std::string &path, const Structure &primitive)
    {
      std::ifstream in(path);
      if (!in)
        fail(path, "cannot open");
      // Line 1: unit factor (optionally G cutoff and Lambda of phonopy's Gonze-Lee sum),
      // or any comment.
      const std::vector<double> first = numbers_of_line(in);
      const double si_factor = units::elementary_charge /
                               (4 * M_PI * units::vacuum_permittivity * units::angstrom);
      if (!first.empty() && std::abs(first[0] / si_factor - 1) > 1e-4)
        fail(path, "unit factor " + std::to_string(first[0]) +
                     " is not e^2/(4 pi eps0) = 14.3996 eV Angstrom (VASP units); other units "
                     "are not supported");
      if (first.size() > 1)
        fail(path, "custom G cutoff and Lambda on line 1 are not supported");
      BornCharges born;
      const auto  eps = numbers_of_line(in);
      if (eps.size() != 9)
        fail(path, "line 2 must hold the 9 components of eps_inf");
      born.dielectric = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(eps.data());

      const CrystalSymmetry symmetry = crystal_symmetry(primitive, path);
      const unsigned int    n        = primitive.n_atoms();
      std::vector<Eigen::Matrix3d> independent(n, Eigen::Matrix3d::Zero());
      for (unsigned int k = 0; k < n; ++k)
        if (symmetry.equivalent_atoms[k] == int(k))
          {
            const auto z = numbers_of_line(in);
            if (z.size() != 9)
              fail(path, "needs 9 components of Z* for the symmetry-independent atom " +
                           std::to_string(k + 1) + " on its own line");
            independent[k] = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(z.data());
          }
      std::string rest, line;
      while (std::getline(in, line))
        rest += line;
      if (rest.find_first_not_of(" \t\r") != std::string::npos)
        fail(path, "has more Z* lines than symmetry-independent atoms");
      for (unsigned int k = 0; k < n; ++k)
        {
          const int representative = symmetry.equivalent_atoms[k];
          const int op = symmetry.operation_mapping(primitive, k, representative,
                                                    1e-5 * units::angstrom);
          if (op < 0)
            fail(path, "no symmetry operation maps atom " + std::to_string(k + 1) +
                         " onto its representative");
          const Eigen::Matrix3d r = symmetry.cartesian_rotation(op, primitive);
          born.charges.push_back(r.transpose() * independent[representative] * r);
        }
      return born;
    }

    ForceConstants read_phono3py(const std::string &folder, bool with_fc3)
    {
      const std::string yaml_path = folder + "/phono3py_params.yaml";
      if (!std::filesystem::exists(yaml_path))
        fail(yaml_path, "missing (a phono3py force-constant folder needs it)");
      YAML::Node root;
      try
        {
          root = YAML::LoadFile(yaml_path);
        }
      catch (const YAML::Exception &error)
        {
          fail(yaml_path, std::string("not readable YAML: ") + error.what());
        }
      ForceConstants fc;
      try
        {
          if (root["physical_unit"] && root["physical_unit"]["atomic_mass"] &&
              root["physical_unit"]["atomic_mass"].as<std::string>() != "AMU")
            fail(yaml_path, "atomic masses must be in AMU");
          if (root["physical_unit"] && root["physical_unit"]["length"] &&
              root["physical_unit"]["length"].as<std::string>() != "angstrom")
            fail(yaml_path, "lengths must be in Angstrom");
          const Structure unit_cell = read_cell(root, "unit_cell", yaml_path);
          fc.primitive              = read_cell(root, "primitive_cell", yaml_path);
          const bool separate = bool(root["phonon_supercell"]);
          fc.fc3_supercell = read_supercell(root, "supercell", "supercell_matrix", unit_cell,
                                            fc.primitive, yaml_path);
          fc.fc2_supercell = read_supercell(
            root, separate ? "phonon_supercell" : "supercell",
            root["phonon_supercell_matrix"] ? "phonon_supercell_matrix" : "supercell_matrix",
            unit_cell, fc.primitive, yaml_path);
        }
      catch (const YAML::Exception &error)
        {
          fail(yaml_path, std::string("unexpected content: ") + error.what());
        }
      const double ev_per_a2 = units::electronvolt / std::pow(units::angstrom, 2);
      fc.fc2 = read_force_constants(folder + "/fc2.hdf5", "force_constants", 2,
                                    fc.fc2_supercell, ev_per_a2, fc.fc2_convention);
      if (with_fc3)
        fc.fc3 = read_force_constants(folder + "/fc3.hdf5", "fc3", 3, fc.fc3_supercell,
                                      ev_per_a2 / units::angstrom, fc.fc3_convention);
      if (std::filesystem::exists(folder + "/BORN"))
        fc.born = read_born(folder + "/BORN", fc.primitive);
      return fc;
    }
  } // namespace phonons
} // namespace kapitza
