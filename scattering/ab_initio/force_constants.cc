#include "scattering/ab_initio/force_constants.h"

#include <cmath>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    Eigen::Vector3d Structure::cartesian(unsigned int atom) const
    {
      return lattice.transpose() * fractional.row(atom).transpose();
    }

    double Structure::volume() const
    {
      return std::abs(lattice.determinant());
    }

    Eigen::Matrix3d Structure::reciprocal() const
    {
      return lattice.inverse().transpose();
    }

    std::vector<int> supercell_to_primitive(const Structure &primitive,
                                            const Structure &supercell,
                                            const std::string &origin, double tolerance)
    {
      std::vector<int> s2p(supercell.n_atoms(), -1);
      const Eigen::Matrix3d to_fractional = primitive.reciprocal(); // rows b_i: f = B r
      for (unsigned int k = 0; k < supercell.n_atoms(); ++k)
        for (unsigned int p = 0; p < primitive.n_atoms() && s2p[k] < 0; ++p)
          {
            Eigen::Vector3d f = to_fractional * (supercell.cartesian(k) - primitive.cartesian(p));
            f -= f.array().round().matrix();
            if ((primitive.lattice.transpose() * f).norm() < tolerance)
              s2p[k] = p;
          }
      for (unsigned int k = 0; k < s2p.size(); ++k)
        if (s2p[k] < 0)
          throw std::runtime_error(origin + ": supercell atom " + std::to_string(k + 1) +
                                   " is no lattice translation of a primitive-cell atom");
      return s2p;
    }
  } // namespace phonons
} // namespace kapitza
