// Mesh/Mapping degree: with a degree above 1 the cells of the ball generator lie on its
// spherical and transfinite manifolds. Faces are then curved, their normals vary over the
// face, and a face can be inflow and outflow for one direction: the sweeps solve those
// cycles as blocks. Checked here: a uniform source's power is S times the ball's volume,
// converging to 4/3 pi R^3 much faster than with flat faces; that power leaves through the
// black surface (energy balance); a uniform temperature stays uniform.
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  constexpr double radius = 1e-7, density = 1e15;

  struct BallRun
  {
    CaseResult result;
    double     power = 0, outflow = 0;
  };

  BallRun run_ball(unsigned int mapping_degree, unsigned int refinements, const std::string &wall,
                   bool heated)
  {
    const std::string folder = scratch_folder("curved-ball-" + std::to_string(mapping_degree) + "-" +
                                              std::to_string(refinements) + (heated ? "-source" : ""));
    write_gray(folder, 5e-8, 4, 4, false);
    std::map<std::string, std::string> settings{{"Dimension", "3"},
                                                {"Materials/Names", "gray"},
                                                {"Materials/Files", "gray.h5"},
                                                {"Mesh/Generator", "ball"},
                                                {"Mesh/Radius", number(radius)},
                                                {"Mesh/Refinements", std::to_string(refinements)},
                                                {"Mesh/Mapping degree", std::to_string(mapping_degree)},
                                                {"Boundaries/Left", wall},
                                                {"Boundaries/Right", wall},
                                                {"Solver/Tolerance", "1e-13"},
                                                {"Output/Line points", "20"}};
    if (heated)
      settings.insert({{"Sources/Profile", "uniform"}, {"Sources/Density", number(density)}});
    BallRun run;
    run.result = run_case(folder, settings);
    if (heated)
      {
        Hdf5File file(run.result.results_path, Hdf5File::Mode::read);
        run.power = file.read_double_attribute("sources", "power");
        for (double q : file.read_doubles("sources/wall_outflow"))
          run.outflow += q;
      }
    return run;
  }

  TEST(CurvedMapping, UniformSourcePowerIsTheBallVolume)
  {
    const double exact = density * 4.0 / 3.0 * M_PI * radius * radius * radius;
    std::map<unsigned int, std::vector<double>> errors;
    for (const unsigned int degree : {1u, 2u})
      for (const unsigned int refinements : {0u, 1u, 2u})
        {
          const BallRun run = run_ball(degree, refinements, "thermalizing 300", true);
          ASSERT_TRUE(run.result.report.converged);
          // The curved cells' cycles are solved exactly: what the source puts in leaves.
          EXPECT_LT(std::abs(run.outflow / run.power - 1), 1e-10) << degree << ", " << refinements;
          errors[degree].push_back(std::abs(run.power / exact - 1));
          std::printf("mapping degree %u, %u refinements: power / (S 4/3 pi R^3) - 1 = %.3e, "
                      "outflow / power - 1 = %.1e\n",
                      degree, refinements, run.power / exact - 1, run.outflow / run.power - 1);
        }
    for (std::size_t k = 0; k < errors[2].size(); ++k)
      EXPECT_LT(errors[2][k], errors[1][k]) << k << " refinements";
  }

  TEST(CurvedMapping, UniformTemperatureStaysUniform)
  {
    const BallRun          run   = run_ball(2, 1, "thermalizing 301", false);
    const UniformDeviation worst = uniform_deviation(run.result, 301);
    std::printf("curved ball at 301 K: max |T - 301| = %.2e K, max |q_x| = %.2e W/m^2\n", worst.temperature,
                worst.flux);
    EXPECT_LT(worst.temperature, 1e-11);
  }
} // namespace
