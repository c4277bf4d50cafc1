// The strain field's Fourier sum and the in-plane mesh spacing that sets its width: the
// Gaussian recurrence equals one exp per harmonic to round-off (harmonics denser and
// sparser than the width, 1 to 3 arrays, at points and averaged over cells), the closed-form
// cell mean of the normal factor equals a quadrature of it, and the spacings of a q-mesh
// with many bands and normal components per in-plane point equal their all-pairs medians.
#include "interface/strain_field.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <cfloat>
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
          const kapitza::NormalCells       cells{3e8, 4e8};
          const kapitza::MisfitFormFactor form_factor(n, d, sigma, cells);
          unsigned int nonzero = 0;
          for (unsigned int sample = 0; sample < 400; ++sample)
            {
              const Eigen::Vector3d Q(component(random), component(random), component(random));
              const double          reference = form_factor.direct(Q);
              EXPECT_NEAR(form_factor(Q), reference, 1e-12 * std::abs(reference)) << sigma << " " << arrays;
              // Cell means: off the normal meshes computed, on them from the table.
              const double averaged = form_factor.direct(Q, cells.half_a, cells.half_b);
              EXPECT_NEAR(form_factor(Q, Eigen::Vector3d::Zero(), true, false), averaged, 1e-12 * averaged)
                << sigma << " " << arrays;
              // Whole and half steps (meshes with points at odd multiples of the half step).
              const int             j_i = sample % 13 - 6, j_k = sample % 7 - 3;
              const Eigen::Vector3d q_i = (Q - Q.dot(n) * n) / 3 + j_i * cells.half_a * n;
              const Eigen::Vector3d q_k = (Q - Q.dot(n) * n) * 2 / 3 + j_k * cells.half_b * n;
              const double          tabled = form_factor.direct(q_i + q_k, cells.half_a, cells.half_b);
              EXPECT_NEAR(form_factor(q_i, q_k, true, false), tabled, 1e-12 * tabled) << sigma << " " << arrays;
              nonzero += reference > 0;
            }
          EXPECT_GT(nonzero, 0u); // the samples reach the harmonics
        }
  }

  // Gauss-Legendre (8 points per panel) of f over [lower, upper] in `panels` panels.
  template <typename F>
  double integral(const F &f, double lower, double upper, unsigned int panels)
  {
    static const double x[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
    static const double w[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
    const double        h = (upper - lower) / panels;
    double              sum = 0;
    for (unsigned int p = 0; p < panels; ++p)
      for (unsigned int k = 0; k < 4; ++k)
        for (const double sign : {-1.0, 1.0})
          sum += w[k] * f(lower + h * (p + 0.5 + 0.5 * sign * x[k])) * h / 2;
    return sum;
  }

  TEST(StrainField, NormalFactorCellMeanEqualsQuadrature)
  {
    // Q_n^2 / (g^2 + Q_n^2)^2 has its peak at Q_n = g; cells from a tenth of g to ten times
    // it, centres on the peak, far from it and at 0; one cell of zero extent.
    const double g = 2.4e8;
    const auto   factor = [&](double q) { return q * q / ((g * g + q * q) * (g * g + q * q)); };
    for (const double q_n : {0.0, -0.7 * g, g, 3.3 * g, -40 * g})
      for (const double half_i : {0.1 * g, 1.5 * g, 10 * g})
        for (const double half_k : {0.0, 0.3 * g, 4 * g})
          {
            // Panels of at most g / 20: the integrand's scale is g.
            const auto panels = [&](double half) { return 2 + (unsigned int)(40 * half / g); };
            const double reference =
              half_k == 0 ?
                integral(factor, q_n - half_i, q_n + half_i, panels(half_i)) / (2 * half_i) :
                integral([&](double u) { return integral(factor, q_n + u - half_k, q_n + u + half_k, panels(half_k)); },
                         -half_i, half_i, panels(half_i)) / (4 * half_i * half_k);
            // The closed form is a difference of antiderivative values phi(y) far larger than
            // the mean where the cells are small against |Q_n| (its rounding bound); the
            // quadrature's own error is below 1e-12.
            const double x = q_n / g, a = half_i / g, b = half_k / g;
            const auto   phi = [](double y) { return 0.5 * (y * std::atan(y) - std::log1p(y * y)); };
            const double rounding =
              half_k == 0 ? 0 :
                            8 * DBL_EPSILON *
                              (std::abs(phi(x + a + b)) + std::abs(phi(x + a - b)) + std::abs(phi(x - a + b)) +
                               std::abs(phi(x - a - b))) / (4 * a * b * g * g);
            EXPECT_NEAR(kapitza::normal_factor_mean(q_n, g, half_i, half_k), reference, 1e-12 * reference + rounding)
              << q_n / g << " " << half_i / g << " " << half_k / g;
            EXPECT_EQ(kapitza::normal_factor_mean(q_n, -g, half_i, half_k),
                      kapitza::normal_factor_mean(q_n, g, half_i, half_k)); // even in g
          }
    // Zero cells: the factor itself.
    EXPECT_NEAR(kapitza::normal_factor_mean(0.8 * g, g, 0, 0), factor(0.8 * g), 1e-15 * factor(0.8 * g));
    // Cells of a mesh tile the line: their means times the step sum to the integral over
    // their union, wherever the peak falls between mesh points.
    const double h = 0.45 * g;
    double       sum = 0;
    for (int j = -400; j <= 400; ++j)
      sum += 2 * h * kapitza::normal_factor_mean(0.13 * g + 2 * j * h, g, h, 0);
    const double lower = 0.13 * g - 801 * h, upper = 0.13 * g + 801 * h;
    EXPECT_NEAR(sum, integral(factor, lower, upper, 40000), 1e-12 * sum);
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
    // Along the normal: the step of the third reciprocal vector, 0.6e9 / 5.
    EXPECT_NEAR(kapitza::median_normal_spacing(q, n), 0.6e9 / 5, 1e-12 * 0.6e9);
    // One normal component per in-plane point: none.
    EXPECT_EQ(kapitza::median_normal_spacing({b1, b2}, n), 0);
  }
} // namespace
