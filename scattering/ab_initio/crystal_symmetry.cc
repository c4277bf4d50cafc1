#include "scattering/ab_initio/crystal_symmetry.h"

#include <spglib.h>

#include <array>
#include <map>
#include <memory>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    Eigen::Matrix3d CrystalSymmetry::cartesian_rotation(unsigned int op,
                                                        const Structure &structure) const
    {
      const Eigen::Matrix3d columns = structure.lattice.transpose();
      return columns * rotations[op].cast<double>() * columns.inverse();
    }

    int CrystalSymmetry::operation_mapping(const Structure &structure, unsigned int from,
                                           unsigned int to, double tolerance) const
    {
      for (unsigned int op = 0; op < size(); ++op)
        {
          Eigen::Vector3d diff = rotations[op].cast<double>() *
                                   structure.fractional.row(from).transpose() +
                                 translations[op] - structure.fractional.row(to).transpose();
          diff -= diff.array().round().matrix();
          if ((structure.lattice.transpose() * diff).norm() < tolerance)
            return op;
        }
      return -1;
    }

    Eigen::Matrix3d point_group_average(const Eigen::Matrix3d &tensor,
                                        const CrystalSymmetry &symmetry,
                                        const Structure       &structure)
    {
      Eigen::Matrix3d sum = Eigen::Matrix3d::Zero();
      for (unsigned int op = 0; op < symmetry.size(); ++op)
        {
          const Eigen::Matrix3d r = symmetry.cartesian_rotation(op, structure);
          sum += r * tensor * r.transpose();
        }
      return sum / symmetry.size();
    }

    CrystalSymmetry crystal_symmetry(const Structure &structure, const std::string &origin,
                                     double tolerance)
    {
      // spglib works in the units of the lattice it is given: Angstrom, as phonopy's symprec.
      double lattice[3][3];
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          lattice[i][j] = structure.lattice(j, i) / units::angstrom; // columns = vectors
      const unsigned int                  n = structure.n_atoms();
      std::vector<std::array<double, 3>>  positions(n);
      std::vector<int>                    types(n);
      std::map<std::pair<std::string, double>, int> species;
      for (unsigned int k = 0; k < n; ++k)
        {
          for (unsigned int d = 0; d < 3; ++d)
            positions[k][d] = structure.fractional(k, d);
          const auto key = std::make_pair(structure.symbols[k], structure.masses[k]);
          types[k]       = species.emplace(key, species.size()).first->second;
        }
      std::unique_ptr<SpglibDataset, void (*)(SpglibDataset *)> dataset(
        spg_get_dataset(lattice, reinterpret_cast<double(*)[3]>(positions.data()),
                        types.data(), n, tolerance / units::angstrom),
        spg_free_dataset);
      if (!dataset)
        throw std::runtime_error(origin + ": spglib found no space group (" +
                                 spg_get_error_message(spg_get_error_code()) + ")");
      CrystalSymmetry symmetry;
      for (int op = 0; op < dataset->n_operations; ++op)
        {
          Eigen::Matrix3i r;
          for (unsigned int i = 0; i < 3; ++i)
            for (unsigned int j = 0; j < 3; ++j)
              r(i, j) = dataset->rotations[op][i][j];
          symmetry.rotations.push_back(r);
          symmetry.translations.emplace_back(dataset->translations[op][0],
                                             dataset->translations[op][1],
                                             dataset->translations[op][2]);
        }
      symmetry.equivalent_atoms.assign(dataset->equivalent_atoms,
                                       dataset->equivalent_atoms + n);
      return symmetry;
    }
  } // namespace phonons
} // namespace kapitza
