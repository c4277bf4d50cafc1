// Fourier limit: in a slab much thicker than the mean free paths the conductivity seen
// in the interior (flux over the interior gradient) approaches the bulk value: the RTA
// sum C v_x^2 tau, and with a dense energy-conserving Omega the solution of Omega F = v_x C.
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  double interior_conductivity(const CaseResult &result, double length)
  {
    const double gradient = fitted_slope(result.x, result.temperature, 0.3 * length, 0.7 * length);
    return -result.mean_flux / gradient;
  }

  std::map<std::string, std::string> thick_slab(const std::string &layers)
  {
    return {{"Dimension", "1"},
            {"Materials/Names", "m"},
            {"Materials/Files", "m.h5"},
            {"Mesh/Layers", layers},
            {"Boundaries/Left", "thermalizing 301"},
            {"Boundaries/Right", "thermalizing 300"},
            {"Output/Line points", "100"}};
  }

  TEST(FourierLimit, RelaxationTimeApproximation)
  {
    const std::string folder = scratch_folder("fourier-rta");
    const auto bands = std::vector<kapitza::Band>{{1000, 1e-12, 4e5}, {3000, 3e-12, 6e5}};
    const kapitza::ModeSet modes =
      kapitza::band_material("m", bands, 300, kapitza::Statistics::bose, 1e14,
                             kapitza::product_quadrature(16, 2, true));
    kapitza::write_mode_database(folder + "/m.h5", modes);
    // Longest mean free path 9 nm; 10 um is over 1000 of them.
    const CaseResult result = run_case(folder, thick_slab("m:1e-5:200"));
    ASSERT_TRUE(result.report.converged);
    const double bulk = kapitza::rta_conductivity(modes)(0, 0);
    const double kappa = interior_conductivity(result, 1e-5);
    std::printf("RTA: interior kappa %.6f, bulk sum C v_x^2 tau %.6f W/(m K)\n", kappa, bulk);
    EXPECT_NEAR(kappa / bulk, 1.0, 2e-3);
  }

  TEST(FourierLimit, DenseCollisionMatrix)
  {
    const std::string folder = scratch_folder("fourier-dense");
    const auto bands = std::vector<kapitza::Band>{{1000, 1e-12, 4e5}, {3000, 3e-12, 6e5}};
    const kapitza::ModeSet modes =
      dense_band_material(bands, 2.0, kapitza::product_quadrature(16, 2, true));
    kapitza::write_mode_database(folder + "/m.h5", modes);
    const CaseResult result = run_case(folder, thick_slab("m:1e-5:200"));
    ASSERT_TRUE(result.report.converged);
    const double full  = kapitza::collision_conductivity(modes)(0, 0);
    const double rta   = kapitza::rta_conductivity(modes)(0, 0);
    const double kappa = interior_conductivity(result, 1e-5);
    std::printf("dense Omega: interior kappa %.6f, Omega F = v_x C gives %.6f, RTA %.6f W/(m K)\n",
                kappa, full, rta);
    // The elastic isotropization makes the two bulk values differ by ten times the
    // tolerance, so the test tells which one the spatial solver approaches.
    ASSERT_GT(std::abs(full / rta - 1), 10 * 2e-3);
    EXPECT_NEAR(kappa / full, 1.0, 2e-3);
  }
} // namespace
