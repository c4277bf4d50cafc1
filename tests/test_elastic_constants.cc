// Elastic constants from the long-wave acoustic phonons (scattering/ab_initio/elastic_constants.h).
// Only exact relations are asserted, never published numbers: the Christoffel coefficients
// measured along six directions reproduce the acoustic Christoffel matrix along other
// directions (the long-wave Gamma(n) is a quadratic form in n); for the relaxed diamond Si
// potential the fitted C_IJ do too (no residual stress); the symmetry relations of cubic
// (diamond Si) and hexagonal (wurtzite AlN, 4H-SiC) crystals hold; Born stability;
// Voigt >= Reuss.

#include "scattering/ab_initio/elastic_constants.h"
#include "scattering/ab_initio/io/phono3py_reader.h"

#include "test_utilities.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

namespace
{
  using namespace kapitza::phonons;

  const DynamicalMatrix &material(const std::string &name)
  {
    static std::map<std::string, DynamicalMatrix> cache;
    auto it = cache.find(name);
    if (it == cache.end())
      it = cache.emplace(name, DynamicalMatrix(read_phono3py(kapitza::testing::material_folder(name), false)))
             .first;
    return it->second;
  }

  double step_of(const DynamicalMatrix &d, double fraction)
  {
    return fraction * d.structure().reciprocal().rowwise().norm().minCoeff();
  }

  // The long-wave limit's own error: Richardson estimates at step h and h/2 differ by
  // ~15/16 of the O(h^4) remainder at h; the tolerance is ten times the larger difference
  // over the checked directions, plus 1e-9 of Gamma for round-off.
  double long_wave_error(const DynamicalMatrix &d, const std::vector<Eigen::Vector3d> &directions)
  {
    const double h = step_of(d, long_wave_step);
    double       error = 0;
    for (const Eigen::Vector3d &n : directions)
      {
        const Eigen::Matrix3d coarse = acoustic_christoffel(d, n, h), fine = acoustic_christoffel(d, n, h / 2);
        error = std::max(error, (coarse - fine).norm() + 1e-9 * fine.norm());
      }
    return 10 * error;
  }

  const std::vector<Eigen::Vector3d> other_directions = {
    {1, 2, 3}, {-0.3, 0.8, 0.5}, {0.9, -0.1, 0.4}, {0.2, 0.2, -1}, {1, -1, 0.7}};

  ElasticConstants checked_constants(const std::string &name)
  {
    const DynamicalMatrix &d = material(name);
    const ElasticConstants c = elastic_constants(d);
    std::cout << name << ": " << describe(c) << "\n";
    std::vector<Eigen::Vector3d> all = other_directions;
    for (unsigned int j = 0; j < 3; ++j)
      all.push_back(Eigen::Vector3d::Unit(j)), all.push_back(Eigen::Vector3d::Unit(j) + Eigen::Vector3d::Unit((j + 1) % 3));
    const double tolerance = long_wave_error(d, all);
    EXPECT_LT(tolerance, 1e-5 * c.stiffness.norm()) << name; // the limit is resolved
    for (const Eigen::Vector3d &n : other_directions)
      {
        const Eigen::Matrix3d computed = acoustic_christoffel(d, n, step_of(d, long_wave_step));
        EXPECT_LT((christoffel(c, n) - computed).norm(), tolerance) << name << " n = " << n.transpose();
      }
    const IsotropicAverage average = voigt_reuss_hill(c.stiffness);
    EXPECT_GE(average.bulk_voigt, average.bulk_reuss * (1 - 1e-12)) << name;
    EXPECT_GE(average.shear_voigt, average.shear_reuss * (1 - 1e-12)) << name;
    EXPECT_GT(average.poisson(), -1) << name;
    EXPECT_LT(average.poisson(), 0.5) << name;
    // Born stability: the stiffness is positive definite.
    EXPECT_GT(Eigen::SelfAdjointEigenSolver<VoigtMatrix>(c.stiffness).eigenvalues().minCoeff(), 0) << name;
    return c;
  }

  TEST(ElasticConstants, CubicDiamond)
  {
    const ElasticConstants c = checked_constants("Si-SW");
    const VoigtMatrix     &s = c.stiffness;
    const double           tolerance = 1e-5 * s.norm();
    // A relaxed potential crystal: C itself reproduces every direction.
    EXPECT_LT(c.stress_misfit, 1e-6);
    for (const Eigen::Vector3d &n : other_directions)
      EXPECT_LT((christoffel(s, n.normalized()) - christoffel(c, n)).norm(), 1e-6 * s.norm());
    for (unsigned int i = 0; i < 3; ++i)
      {
        EXPECT_NEAR(s(i, i), s(0, 0), tolerance);
        EXPECT_NEAR(s(3 + i, 3 + i), s(3, 3), tolerance);
        EXPECT_NEAR(s(i, (i + 1) % 3), s(0, 1), tolerance);
        for (unsigned int j = 0; j < 6; ++j)
          {
            if (j != i + 3)
              {
                EXPECT_NEAR(s(i + 3, j), 0, tolerance) << i + 3 << " " << j;
              }
          }
      }
    EXPECT_GT(s(0, 0) - s(0, 1), 0);
    EXPECT_GT(s(0, 0) + 2 * s(0, 1), 0);
    EXPECT_GT(s(3, 3), 0);
    // Cubic: Voigt and Reuss bulk moduli are both (C11 + 2 C12) / 3.
    const IsotropicAverage average = voigt_reuss_hill(s);
    EXPECT_NEAR(average.bulk_voigt, (s(0, 0) + 2 * s(0, 1)) / 3, tolerance);
    EXPECT_NEAR(average.bulk_reuss, (s(0, 0) + 2 * s(0, 1)) / 3, tolerance);
  }

  // Hexagonal (c along z): C11 = C22, C13 = C23, C44 = C55, C66 = (C11 - C12)/2 (isotropy
  // of the basal plane), and the rest zero.
  void expect_hexagonal(const std::string &name)
  {
    const ElasticConstants c = checked_constants(name);
    const VoigtMatrix     &s = c.stiffness;
    const double           tolerance = 1e-5 * s.norm();
    EXPECT_NEAR(s(1, 1), s(0, 0), tolerance) << name;
    EXPECT_NEAR(s(1, 2), s(0, 2), tolerance) << name;
    EXPECT_NEAR(s(4, 4), s(3, 3), tolerance) << name;
    EXPECT_NEAR(s(5, 5), 0.5 * (s(0, 0) - s(0, 1)), tolerance) << name;
    for (unsigned int i = 0; i < 6; ++i)
      for (unsigned int j = 0; j < 6; ++j)
        {
          if ((i < 3) != (j < 3) || (i >= 3 && i != j))
            {
              EXPECT_NEAR(s(i, j), 0, tolerance) << name << " " << i << " " << j;
            }
        }
  }

  TEST(ElasticConstants, HexagonalAlN)
  {
    expect_hexagonal("AlN-LDA");
  }

  TEST(ElasticConstants, HexagonalSiC)
  {
    expect_hexagonal("SiC-4H-vashishta");
  }
} // namespace
