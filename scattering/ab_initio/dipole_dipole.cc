#include "scattering/ab_initio/dipole_dipole.h"

#include <cmath>
#include <complex>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      constexpr unsigned int n_g_points      = 300;   // phonopy's num_G_points
      constexpr double       exp_cutoff      = 1e-10; // Gaussian weight at G_cutoff
      constexpr double       zero_wavevector = 1e-5 / units::angstrom; // phonopy: symprec
    } // namespace

    DipoleDipole::DipoleDipole(const Structure &primitive, const BornCharges &born)
      : n_atoms(primitive.n_atoms())
      , positions(primitive.n_atoms(), 3)
      , dielectric(born.dielectric)
      , charges(born.charges)
    {
      for (unsigned int k = 0; k < n_atoms; ++k)
        positions.row(k) = primitive.cartesian(k).transpose();
      const double volume = primitive.volume();
      prefactor = units::elementary_charge * units::elementary_charge /
                  (units::vacuum_permittivity * volume);

      // A sphere holding about n_g_points reciprocal lattice points.
      const double          g_cutoff = std::cbrt(3.0 * n_g_points / (4 * M_PI) / volume);
      const Eigen::Matrix3d b        = primitive.reciprocal();
      std::array<int, 3>    range;
      for (unsigned int i = 0; i < 3; ++i)
        range[i] = int(g_cutoff * primitive.lattice.row(i).norm()) + 1;
      for (int n0 = -range[0]; n0 <= range[0]; ++n0)
        for (int n1 = -range[1]; n1 <= range[1]; ++n1)
          for (int n2 = -range[2]; n2 <= range[2]; ++n2)
            {
              const Eigen::Vector3d g = (n0 * b.row(0) + n1 * b.row(1) + n2 * b.row(2)).transpose();
              if (g.norm() < g_cutoff)
                g_vectors.push_back(g);
            }
      lambda = std::sqrt(-g_cutoff * g_cutoff * dielectric.trace() / 3 / 4 /
                         std::log(exp_cutoff));

      // The q = 0 self term: each atom's row of C_dd(0) must sum to zero (acoustic sum).
      const Eigen::MatrixXcd c0 = ewald_sum(Eigen::Vector3d::Zero(), {}, -1);
      for (unsigned int i = 0; i < n_atoms; ++i)
        {
          Eigen::Matrix3cd sum = Eigen::Matrix3cd::Zero();
          for (unsigned int j = 0; j < n_atoms; ++j)
            sum += c0.block<3, 3>(3 * i, 3 * j);
          q0_correction.push_back((sum + sum.adjoint()) / 2.0);
        }
    }

    Eigen::MatrixXcd DipoleDipole::ewald_sum(const Eigen::Vector3d              &q,
                                             const std::optional<Eigen::Vector3d> &direction,
                                             int derivative_axis) const
    {
      const double     four_lambda2 = 4 * lambda * lambda;
      Eigen::MatrixXcd sum          = Eigen::MatrixXcd::Zero(3 * n_atoms, 3 * n_atoms);
      Eigen::VectorXcd phase(n_atoms);
      for (const Eigen::Vector3d &g : g_vectors)
        {
          const Eigen::Vector3d k = g + q;
          Eigen::Matrix3d       kk;
          if (k.norm() < zero_wavevector)
            {
              if (!direction || derivative_axis >= 0)
                continue;
              kk = *direction * direction->transpose() /
                   (direction->transpose() * dielectric * *direction);
            }
          else
            {
              const double          s      = k.transpose() * dielectric * k;
              const double          weight = std::exp(-s / four_lambda2);
              const Eigen::Matrix3d outer  = k * k.transpose();
              if (derivative_axis < 0)
                kk = outer / s * weight;
              else
                {
                  const int             c  = derivative_axis;
                  const double          ds = ((dielectric + dielectric.transpose()) * k)[c];
                  Eigen::Matrix3d       d_outer = Eigen::Matrix3d::Zero();
                  d_outer.row(c) += k.transpose();
                  d_outer.col(c) += k;
                  kk = weight * (d_outer / s - outer * ds * (1 / (s * s) + 1 / (s * four_lambda2)));
                }
            }
          for (unsigned int i = 0; i < n_atoms; ++i)
            phase[i] = std::polar(1.0, 2 * M_PI * g.dot(positions.row(i)));
          for (unsigned int i = 0; i < n_atoms; ++i)
            for (unsigned int j = 0; j < n_atoms; ++j)
              sum.block<3, 3>(3 * i, 3 * j) += kk.cast<std::complex<double>>() *
                                               (phase[i] * std::conj(phase[j]));
        }
      for (unsigned int i = 0; i < n_atoms; ++i)
        for (unsigned int j = 0; j < n_atoms; ++j)
          sum.block<3, 3>(3 * i, 3 * j) = charges[i].transpose().cast<std::complex<double>>() *
                                          sum.block<3, 3>(3 * i, 3 * j) *
                                          charges[j].cast<std::complex<double>>();
      return sum;
    }

    Eigen::MatrixXcd DipoleDipole::matrix(const Eigen::Vector3d              &q,
                                          const std::optional<Eigen::Vector3d> &direction) const
    {
      Eigen::MatrixXcd c = ewald_sum(q, direction, -1);
      for (unsigned int i = 0; i < n_atoms; ++i)
        c.block<3, 3>(3 * i, 3 * i) -= q0_correction[i];
      return prefactor * c;
    }

    std::array<Eigen::MatrixXcd, 3> DipoleDipole::derivative(const Eigen::Vector3d &q) const
    {
      std::array<Eigen::MatrixXcd, 3> d;
      for (int c = 0; c < 3; ++c)
        d[c] = prefactor * ewald_sum(q, {}, c);
      return d;
    }
  } // namespace phonons
} // namespace kapitza
