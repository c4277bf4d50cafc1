// The strain field's Fourier sum and the in-plane mesh spacing that sets its width: the
// Gaussian recurrence equals one exp per harmonic to round-off (harmonics denser and
// sparser than the width, 1 to 3 arrays), and the spacing of a q-mesh with many bands and
// normal components per in-plane point equals the all-pairs median.
#include "interface/strain_field.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <random>

namespace
{
  TEST(StrainField, FormFactorRecurrenceEqualsDirectSum)
  {
    const Eigen::Vector3d n = Eigen::Vector3d(1, 0.2, -0.1).normalized();
    std::mt19937          random(7);
    std::uniform_real_distribution<double> component(-3e9, 3e9);
    for (const unsigned int arrays : {1u, 2u, 3u})
      for (const double sigma : {2e9, 2e8, 2e7}) // g_unit = 2 pi / 26 nm = 2.4e8 1/m
        {
          kapitza::MisfitDislocations d;
          d.spacing = 26e-9, d.burgers = 3.1e-10, d.poisson = 0.25, d.arrays = arrays;
          const kapitza::MisfitFormFactor form_factor(n, d, sigma);
          unsigned int nonzero = 0;
          for (unsigned int sample = 0; sample < 400; ++sample)
            {
              const Eigen::Vector3d Q(component(random), component(random), component(random));
              const double          reference = form_factor.direct(Q);
              EXPECT_NEAR(form_factor(Q), reference, 1e-12 * std::abs(reference)) << sigma << " " << arrays;
              nonzero += reference > 0;
            }
          EXPECT_GT(nonzero, 0u); // the samples reach the harmonics
        }
  }

  // All-pairs median nearest distance with the same merging rule (the definition).
  double all_pairs_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n)
  {
    double largest = 0;
    for (const auto &p : q)
      largest = std::max(largest, p.norm());
    std::vector<double> nearest;
    for (const auto &p : q)
      {
        double best = INFINITY;
        for (const auto &r : q)
          {
            const Eigen::Vector3d d = (p - r) - (p - r).dot(n) * n;
            if (d.norm() > 1e-9 * largest)
              best = std::min(best, d.norm());
          }
        if (std::isfinite(best))
          nearest.push_back(best);
      }
    std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
    return nearest[nearest.size() / 2];
  }

  TEST(StrainField, InPlaneSpacingEqualsAllPairsMedian)
  {
    // A 9 x 7 x 5 mesh (hexagonal in plane), three bands per q; the third reciprocal vector
    // leans off the normal by 1e-16 (round-off), so the projections at different q_n differ by that.
    const Eigen::Vector3d n(0, 0, 1);
    const Eigen::Vector3d b1(1e9, 0, 0), b2(-0.5e9, 0.866e9, 0), b3(1e-7, -1e-7, 0.6e9);
    std::vector<Eigen::Vector3d> q;
    for (int i = 0; i < 9; ++i)
      for (int j = 0; j < 7; ++j)
        for (int k = 0; k < 5; ++k)
          for (int band = 0; band < 3; ++band)
            q.push_back(i / 9.0 * b1 + j / 7.0 * b2 + k / 5.0 * b3);
    const double spacing = kapitza::median_inplane_spacing(q, n);
    EXPECT_GT(spacing, 0);
    EXPECT_NEAR(spacing, all_pairs_spacing(q, n), 1e-14 * spacing);
    // A single in-plane point has no spacing.
    EXPECT_EQ(kapitza::median_inplane_spacing({b3, 2 * b3.dot(n) * n}, n), 0);
  }
} // namespace
