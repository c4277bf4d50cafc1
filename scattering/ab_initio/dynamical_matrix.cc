#include "scattering/ab_initio/dynamical_matrix.h"

#include <spglib.h>

#include <cmath>
#include <complex>
#include <map>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      using Complex = std::complex<double>;

      // phonopy's tolerance for equally long image vectors (symprec).
      constexpr double equal_length = 1e-5 * units::angstrom;

      // The supercell lattice Niggli-reduced by spglib (rows), so that the shortest image
      // of any vector lies within one cell of its wrapped position.
      Eigen::Matrix3d reduced_lattice(const Structure &supercell)
      {
        double lattice[3][3];
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = 0; j < 3; ++j)
            lattice[i][j] = supercell.lattice(j, i) / units::angstrom;
        if (!spg_niggli_reduce(lattice, 1e-5))
          throw std::runtime_error("spglib could not Niggli-reduce the force-constant supercell");
        Eigen::Matrix3d reduced;
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = 0; j < 3; ++j)
            reduced(j, i) = lattice[i][j] * units::angstrom;
        return reduced;
      }

      // All equally shortest vectors d + R over supercell lattice vectors R [m].
      std::vector<Eigen::Vector3d> shortest_images(const Eigen::Vector3d &d,
                                                   const Eigen::Matrix3d &reduced)
      {
        Eigen::Vector3d f = reduced.transpose().inverse() * d;
        f -= f.array().round().matrix();
        std::vector<Eigen::Vector3d> candidates;
        double                       shortest = INFINITY;
        for (int n0 = -2; n0 <= 2; ++n0)
          for (int n1 = -2; n1 <= 2; ++n1)
            for (int n2 = -2; n2 <= 2; ++n2)
              {
                const Eigen::Vector3d c =
                  reduced.transpose() * (f + Eigen::Vector3d(n0, n1, n2));
                candidates.push_back(c);
                shortest = std::min(shortest, c.norm());
              }
        std::vector<Eigen::Vector3d> images;
        for (const auto &c : candidates)
          if (c.norm() - shortest < equal_length)
            images.push_back(c);
        return images;
      }

      Eigen::MatrixXcd hermitian_part(const Eigen::MatrixXcd &m)
      {
        return (m + m.adjoint()) / 2.0;
      }
    } // namespace

    std::vector<Eigen::Vector3d> commensurate_points(const Structure &primitive,
                                                     const Supercell &supercell)
    {
      // Supercell lattice rows = T * primitive rows; q is commensurate when T q is integer.
      const Eigen::Matrix3d t_real = supercell.structure.lattice * primitive.lattice.inverse();
      const Eigen::Matrix3d t      = t_real.array().round().matrix();
      if ((t - t_real).norm() > 1e-6)
        throw std::runtime_error("the force-constant supercell is not a multiple of the "
                                 "primitive cell");
      const int             det     = std::lround(std::abs(t.determinant()));
      const Eigen::Matrix3d t_inv   = t.inverse();
      const Eigen::Matrix3d b       = primitive.reciprocal();
      std::map<std::array<long, 3>, Eigen::Vector3d> points;
      for (int n0 = 0; n0 < det; ++n0)
        for (int n1 = 0; n1 < det; ++n1)
          for (int n2 = 0; n2 < det; ++n2)
            {
              Eigen::Vector3d q = t_inv * Eigen::Vector3d(n0, n1, n2);
              q -= q.array().floor().matrix();
              std::array<long, 3> key;
              for (unsigned int d = 0; d < 3; ++d)
                key[d] = std::lround(q[d] * det) % det;
              if (points.count(key))
                continue;
              // The shortest equivalent: the dipole sum is periodic in q only up to its
              // truncation, so phonopy evaluates it in the first Brillouin zone.
              q -= q.array().round().matrix();
              Eigen::Vector3d best = q;
              for (int m0 = -2; m0 <= 2; ++m0)
                for (int m1 = -2; m1 <= 2; ++m1)
                  for (int m2 = -2; m2 <= 2; ++m2)
                    {
                      const Eigen::Vector3d c = q + Eigen::Vector3d(m0, m1, m2);
                      if ((b.transpose() * c).norm() < (b.transpose() * best).norm() - 1e-12 *
                                                           b.norm())
                        best = c;
                    }
              points[key] = best;
            }
      std::vector<Eigen::Vector3d> result;
      for (const auto &entry : points)
        result.push_back(entry.second);
      return result;
    }

    DynamicalMatrix::DynamicalMatrix(const ForceConstants &fc)
      : primitive(fc.primitive)
    {
      const Supercell   &super   = fc.fc2_supercell;
      const unsigned int n_prim  = primitive.n_atoms();
      const unsigned int n_super = super.structure.n_atoms();
      if (fc.fc2.size() != std::size_t(n_prim) * n_super * 9 ||
          super.primitive_to_supercell.size() != n_prim ||
          super.supercell_to_primitive.size() != n_super)
        throw std::runtime_error("second-order force constants do not match the primitive "
                                 "cell and its supercell");
      const Eigen::Matrix3d reduced = reduced_lattice(super.structure);
      const Eigen::Matrix3d to_fractional = primitive.reciprocal();
      for (unsigned int i = 0; i < n_prim; ++i)
        {
          const Eigen::Vector3d origin = super.structure.cartesian(super.primitive_to_supercell[i]);
          for (unsigned int k = 0; k < n_super; ++k)
            {
              Pair pair;
              pair.i = i;
              pair.j = super.supercell_to_primitive[k];
              pair.block = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(
                             &fc.fc2[(std::size_t(i) * n_super + k) * 9]) /
                           std::sqrt(primitive.masses[i] * primitive.masses[pair.j]);
              pair.cartesian = shortest_images(super.structure.cartesian(k) - origin, reduced);
              for (const auto &c : pair.cartesian)
                pair.fractional.push_back(to_fractional * c);
              pairs.push_back(std::move(pair));
            }
        }
      if (fc.born)
        {
          if (fc.born->charges.size() != n_prim)
            throw std::runtime_error("Born charges do not match the primitive cell");
          dipole.emplace(primitive, *fc.born);
          subtract_dipole_dipole(super);
        }
    }

    void DynamicalMatrix::subtract_dipole_dipole(const Supercell &supercell)
    {
      // Short-range force constants: Phi - the Fourier transform of C_dd sampled at the
      // commensurate points (so that D(q) is exact there with C_dd added back).
      const auto points = commensurate_points(primitive, supercell);
      if (points.size() * primitive.n_atoms() != supercell.structure.n_atoms())
        throw std::runtime_error("wrong number of commensurate points of the supercell");
      const Eigen::Matrix3d b = primitive.reciprocal();
      const double          n = points.size();
      for (const Eigen::Vector3d &q : points)
        {
          const Eigen::MatrixXcd c = mass_weighted(dipole->matrix(b.transpose() * q));
          for (Pair &pair : pairs)
            {
              Complex phase = 0;
              for (const auto &f : pair.fractional)
                phase += std::polar(1.0, -2 * M_PI * q.dot(f));
              phase /= double(pair.fractional.size());
              pair.block -= (c.block<3, 3>(3 * pair.i, 3 * pair.j) * phase).real() / n;
            }
        }
    }

    Eigen::MatrixXcd DynamicalMatrix::mass_weighted(const Eigen::MatrixXcd &c) const
    {
      Eigen::MatrixXcd d = c;
      for (unsigned int i = 0; i < primitive.n_atoms(); ++i)
        for (unsigned int j = 0; j < primitive.n_atoms(); ++j)
          d.block<3, 3>(3 * i, 3 * j) /= std::sqrt(primitive.masses[i] * primitive.masses[j]);
      return d;
    }

    Eigen::MatrixXcd DynamicalMatrix::at(const Eigen::Vector3d              &q,
                                         const std::optional<Eigen::Vector3d> &nac_direction) const
    {
      Eigen::MatrixXcd d = Eigen::MatrixXcd::Zero(size(), size());
      for (const Pair &pair : pairs)
        {
          Complex phase = 0;
          for (const auto &f : pair.fractional)
            phase += std::polar(1.0, 2 * M_PI * q.dot(f));
          d.block<3, 3>(3 * pair.i, 3 * pair.j) +=
            pair.block.cast<Complex>() * (phase / double(pair.fractional.size()));
        }
      d = hermitian_part(d);
      if (dipole)
        d += mass_weighted(dipole->matrix(primitive.reciprocal().transpose() * q, nac_direction));
      return d;
    }

    std::array<Eigen::MatrixXcd, 3> DynamicalMatrix::derivative(const Eigen::Vector3d &q) const
    {
      std::array<Eigen::MatrixXcd, 3> d;
      d.fill(Eigen::MatrixXcd::Zero(size(), size()));
      for (const Pair &pair : pairs)
        for (unsigned int l = 0; l < pair.fractional.size(); ++l)
          {
            const Complex phase = std::polar(1.0, 2 * M_PI * q.dot(pair.fractional[l])) /
                                  double(pair.fractional.size());
            for (unsigned int c = 0; c < 3; ++c)
              d[c].block<3, 3>(3 * pair.i, 3 * pair.j) +=
                pair.block.cast<Complex>() *
                (Complex(0, 2 * M_PI * pair.cartesian[l][c]) * phase);
          }
      std::array<Eigen::MatrixXcd, 3> dd;
      if (dipole)
        dd = dipole->derivative(primitive.reciprocal().transpose() * q);
      for (unsigned int c = 0; c < 3; ++c)
        {
          d[c] = hermitian_part(d[c]);
          if (dipole)
            d[c] += mass_weighted(dd[c]);
        }
      return d;
    }

    Eigen::MatrixXcd DynamicalMatrix::non_analytic_limit(const Eigen::Vector3d &direction) const
    {
      if (!dipole)
        return Eigen::MatrixXcd::Zero(size(), size());
      const Eigen::Vector3d gamma = Eigen::Vector3d::Zero();
      return mass_weighted(dipole->matrix(gamma, direction) - dipole->matrix(gamma));
    }

    unsigned int DynamicalMatrix::n_multiple_images() const
    {
      unsigned int n = 0;
      for (const Pair &pair : pairs)
        n += pair.fractional.size() > 1;
      return n;
    }
  } // namespace phonons
} // namespace kapitza
