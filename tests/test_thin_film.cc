// In-plane conductivity of a gray film between diffuse walls (2D, periodic along x
// with an imposed temperature jump) against the Fuchs-Sondheimer formula.
#include "reference/reference_solutions.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  class ThinFilm : public ::testing::TestWithParam<double>
  {};

  TEST_P(ThinFilm, MatchesFuchsSondheimer)
  {
    const double delta = GetParam(), mfp = 1e-7, thickness = delta * mfp;
    const std::string folder = scratch_folder("film-" + std::to_string(delta));
    // Polar axis along the wall normal (y): half-range Gauss-Legendre resolves the
    // nearly grazing modes that dominate thin films.
    kapitza::GrayMaterial gray;
    gray.tau = mfp / gray.speed;
    kapitza::write_mode_database(folder + "/gray.h5",
                                 kapitza::gray_material(gray, kapitza::product_quadrature(32, 16, true, 1)));
    const CaseResult result = run_case(folder, {{"Dimension", "2"},
                                                {"Materials/Names", "gray"},
                                                {"Materials/Files", "gray.h5"},
                                                {"Mesh/Layers", "gray:1e-8:1"},
                                                {"Mesh/Lateral size", number(thickness)},
                                                {"Mesh/Lateral cells", "40"},
                                                {"Mesh/Lateral grading", "10"},
                                                {"Boundaries/Left", "periodic 1"},
                                                {"Boundaries/Right", "periodic"},
                                                {"Boundaries/Lateral", "diffuse"}});
    ASSERT_TRUE(result.report.converged);
    const double bulk  = gray.heat_capacity * gray.speed * mfp / 3;
    const double ratio = result.conductivity / bulk;
    const double exact = kapitza::reference::fuchs_sondheimer(delta);
    EXPECT_NEAR(ratio / exact, 1.0, 1e-2) << "d/mfp = " << delta;
    std::printf("d/mfp %g: kappa/kappa_bulk = %.6f (Fuchs-Sondheimer %.6f), iterations %u\n", delta,
                ratio, exact, result.report.iterations);
  }

  INSTANTIATE_TEST_SUITE_P(Thickness, ThinFilm, ::testing::Values(0.1, 0.3, 1.0, 3.0, 10.0));
} // namespace
