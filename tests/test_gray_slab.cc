// Cross-plane gray slab between black (thermalizing) walls against the exact
// Heaslet-Warming solution, for tau_L = L / mfp from 0.01 to 100.
#include "reference/reference_solutions.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  class GraySlab : public ::testing::TestWithParam<double>
  {};

  TEST_P(GraySlab, MatchesHeasletWarming)
  {
    const double tau_l = GetParam(), length = 1e-6, mfp = length / tau_l;
    const std::string folder = scratch_folder("slab-" + std::to_string(tau_l));
    // 32 half-range Gauss-Legendre cosines resolve the grazing directions of a slab.
    write_gray(folder, mfp, 32, 2, true);
    const CaseResult result = run_case(folder, {{"Dimension", "1"},
                                                {"Materials/Names", "gray"},
                                                {"Materials/Files", "gray.h5"},
                                                {"Mesh/Layers", "gray:1e-6:100"},
                                                {"Mesh/Grading ratio", tau_l > 5 ? "20" : "1"},
                                                {"Boundaries/Left", "thermalizing 301"},
                                                {"Boundaries/Right", "thermalizing 300"},
                                                {"Output/Line points", "50"}});
    ASSERT_TRUE(result.report.converged);
    const auto exact = kapitza::reference::heaslet_warming(tau_l);
    // Ballistic flux of a gray medium: C |v| dT / 4 with C = 1e6, |v| = 1000, dT = 1 K.
    const double q = result.mean_flux / 2.5e8;
    EXPECT_NEAR(q / exact.flux, 1.0, 5e-3) << "tau_L = " << tau_l;
    // Profile, including the jumps next to the walls: phi = T - 300 against the
    // piecewise-linear reference at the same optical depth.
    double worst = 0;
    for (std::size_t i = 0; i < result.x.size(); ++i)
      {
        const double t   = result.x[i] / mfp;
        const auto   hi  = std::upper_bound(exact.t.begin(), exact.t.end(), t) - exact.t.begin();
        const double f   = (t - exact.t[hi - 1]) / (exact.t[hi] - exact.t[hi - 1]);
        const double phi = (1 - f) * exact.phi[hi - 1] + f * exact.phi[hi];
        worst            = std::max(worst, std::abs(result.temperature[i] - 300 - phi));
      }
    EXPECT_LT(worst, 5e-3) << "tau_L = " << tau_l;
    std::printf("tau_L %g: Q = %.6f (exact %.6f), max |dphi| = %.2e, iterations %u\n", tau_l, q,
                exact.flux, worst, result.report.iterations);
    // Synthetic diffusion acceleration keeps GMRES short even in the thick limit.
    EXPECT_LT(result.report.iterations, 30u);
  }

  INSTANTIATE_TEST_SUITE_P(OpticalThickness, GraySlab, ::testing::Values(0.01, 0.1, 1.0, 10.0, 100.0));
} // namespace
