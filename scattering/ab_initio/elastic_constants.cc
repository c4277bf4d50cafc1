#include "scattering/ab_initio/elastic_constants.h"

#include "scattering/formatted.h"

#include <algorithm>
#include <cmath>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      // Voigt index of the symmetric pair (i, j): xx yy zz yz xz xy.
      unsigned int voigt(unsigned int i, unsigned int j)
      {
        return i == j ? i : 6 - i - j;
      }

      // Gamma(n) at one |q| = step: rho sum_s omega_s^2 p_s p_s^+ / |2 pi q|^2, p_s the
      // projection of eigenvector s onto the three mass-weighted translations.
      Eigen::Matrix3d christoffel_at(const DynamicalMatrix &dynamical_matrix, const Eigen::Vector3d &n,
                                     double step, double density)
      {
        const Structure      &cell = dynamical_matrix.structure();
        const Eigen::Vector3d q    = step * n;
        const Eigen::MatrixXcd d = dynamical_matrix.at(cell.lattice * q) - dynamical_matrix.non_analytic_limit(n);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> solver(d);
        Eigen::MatrixXcd translations = Eigen::MatrixXcd::Zero(d.rows(), 3);
        const double     total_mass   = cell.masses.sum();
        for (unsigned int k = 0; k < cell.n_atoms(); ++k)
          for (unsigned int a = 0; a < 3; ++a)
            translations(3 * k + a, a) = std::sqrt(cell.masses[k] / total_mass);
        Eigen::Matrix3cd sum = Eigen::Matrix3cd::Zero();
        for (unsigned int s = 0; s < 3; ++s)
          {
            const Eigen::Vector3cd p = translations.adjoint() * solver.eigenvectors().col(s);
            sum += solver.eigenvalues()[s] * p * p.adjoint();
          }
        return density * sum.real() / std::pow(2 * M_PI * step, 2);
      }
    } // namespace

    Eigen::Matrix3d christoffel(const VoigtMatrix &c, const Eigen::Vector3d &n)
    {
      Eigen::Matrix3d gamma = Eigen::Matrix3d::Zero();
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int k = 0; k < 3; ++k)
          for (unsigned int j = 0; j < 3; ++j)
            for (unsigned int l = 0; l < 3; ++l)
              gamma(i, k) += c(voigt(i, j), voigt(k, l)) * n[j] * n[l];
      return gamma;
    }

    Eigen::Matrix3d acoustic_christoffel(const DynamicalMatrix &dynamical_matrix, const Eigen::Vector3d &n,
                                         double step)
    {
      const Structure &cell    = dynamical_matrix.structure();
      const double     density = cell.masses.sum() / cell.volume();
      const Eigen::Vector3d unit = n.normalized();
      return (4 * christoffel_at(dynamical_matrix, unit, step, density) -
              christoffel_at(dynamical_matrix, unit, 2 * step, density)) / 3;
    }

    ElasticConstants elastic_constants(const DynamicalMatrix &dynamical_matrix, double step_fraction)
    {
      const Structure &cell = dynamical_matrix.structure();
      const double     step = step_fraction * cell.reciprocal().rowwise().norm().minCoeff();
      // S(i, k, j, l) = (C_ijkl + C_ilkj) / 2: the coefficient of n_j n_l in Gamma_ik.
      std::array<Eigen::Matrix3d, 9> s; // index 3 j + l
      for (unsigned int j = 0; j < 3; ++j)
        s[4 * j] = acoustic_christoffel(dynamical_matrix, Eigen::Vector3d::Unit(j), step);
      for (unsigned int j = 0; j < 3; ++j)
        for (unsigned int l = j + 1; l < 3; ++l)
          {
            const Eigen::Vector3d diagonal = Eigen::Vector3d::Unit(j) + Eigen::Vector3d::Unit(l);
            s[3 * j + l] = acoustic_christoffel(dynamical_matrix, diagonal, step) - 0.5 * (s[4 * j] + s[4 * l]);
            s[3 * l + j] = s[3 * j + l];
          }
      ElasticConstants result;
      result.density                  = cell.masses.sum() / cell.volume();
      result.christoffel_coefficients = s;
      // Least squares over the 81 S_ik,jl for the 21 independent C_IJ (I <= J).
      Eigen::MatrixXd map = Eigen::MatrixXd::Zero(81, 21);
      Eigen::VectorXd measured(81);
      const auto      unknown = [](unsigned int a, unsigned int b) {
        const unsigned int lo = std::min(a, b), hi = std::max(a, b);
        return lo * 6 - lo * (lo - 1) / 2 + (hi - lo);
      };
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int k = 0; k < 3; ++k)
          for (unsigned int j = 0; j < 3; ++j)
            for (unsigned int l = 0; l < 3; ++l)
              {
                const unsigned int row = ((i * 3 + k) * 3 + j) * 3 + l;
                measured[row]          = s[3 * j + l](i, k);
                map(row, unknown(voigt(i, j), voigt(k, l))) += 0.5;
                map(row, unknown(voigt(i, l), voigt(k, j))) += 0.5;
              }
      const Eigen::VectorXd c = map.colPivHouseholderQr().solve(measured);
      for (unsigned int a = 0; a < 6; ++a)
        for (unsigned int b = 0; b < 6; ++b)
          result.stiffness(a, b) = c[unknown(a, b)];
      result.stress_misfit = (map * c - measured).norm() / measured.norm();
      return result;
    }

    Eigen::Matrix3d christoffel(const ElasticConstants &constants, const Eigen::Vector3d &n)
    {
      const Eigen::Vector3d unit  = n.normalized();
      Eigen::Matrix3d       gamma = Eigen::Matrix3d::Zero();
      for (unsigned int j = 0; j < 3; ++j)
        for (unsigned int l = 0; l < 3; ++l)
          gamma += constants.christoffel_coefficients[3 * j + l] * unit[j] * unit[l];
      return gamma;
    }

    IsotropicAverage voigt_reuss_hill(const VoigtMatrix &c)
    {
      const VoigtMatrix s = c.inverse();
      const auto diagonal = [](const VoigtMatrix &m, unsigned int first) {
        return m(first, first) + m(first + 1, first + 1) + m(first + 2, first + 2);
      };
      const auto off_diagonal = [](const VoigtMatrix &m) { return m(0, 1) + m(0, 2) + m(1, 2); };
      IsotropicAverage average;
      average.bulk_voigt  = (diagonal(c, 0) + 2 * off_diagonal(c)) / 9;
      average.shear_voigt = (diagonal(c, 0) - off_diagonal(c) + 3 * diagonal(c, 3)) / 15;
      average.bulk_reuss  = 1 / (diagonal(s, 0) + 2 * off_diagonal(s));
      average.shear_reuss = 15 / (4 * diagonal(s, 0) - 4 * off_diagonal(s) + 3 * diagonal(s, 3));
      return average;
    }

    std::string describe(const ElasticConstants &constants)
    {
      constexpr double  gigapascal = 1e9;
      const VoigtMatrix c          = constants.stiffness / gigapascal;
      const auto        average    = voigt_reuss_hill(constants.stiffness);
      return formatted("elastic constants of fc2 (zero field, force-constant axes) C11 C22 C33 = %.1f %.1f %.1f, "
                       "C12 C13 C23 = %.1f %.1f %.1f, C44 C55 C66 = %.1f %.1f %.1f GPa; Voigt-Reuss-Hill "
                       "K = %.1f GPa, G = %.1f GPa, Poisson ratio %.4f; Christoffel misfit of C (residual "
                       "stress of the reference structure) %.2e",
                       c(0, 0), c(1, 1), c(2, 2), c(0, 1), c(0, 2), c(1, 2), c(3, 3), c(4, 4), c(5, 5),
                       average.bulk() / gigapascal, average.shear() / gigapascal, average.poisson(),
                       constants.stress_misfit);
    }

    void record(const ElasticConstants &constants, Provenance &provenance)
    {
      provenance["elastic_constants"] = describe(constants);
      provenance["poisson_ratio"]     = provenance_number(voigt_reuss_hill(constants.stiffness).poisson());
    }
  } // namespace phonons
} // namespace kapitza
