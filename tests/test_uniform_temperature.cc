// A uniform temperature must stay uniform, to round-off, through every boundary model,
// in 1D, 2D and 3D: (a) full solves with both thermalizing walls at T0 + 1 K and each
// lateral wall type; (b) the uniform shift is a fixed point of one scattering event
// D^-1 K for closed walls of every type (diffuse, specular, periodic), RTA and dense.
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  std::map<std::string, std::string> box(int dim, const std::string &lateral)
  {
    return {{"Dimension", std::to_string(dim)},
            {"Materials/Names", "m"},
            {"Materials/Files", "m.h5"},
            {"Mesh/Layers", "m:1e-7:6"},
            {"Mesh/Lateral size", "5e-8"},
            {"Mesh/Lateral cells", "3"},
            {"Boundaries/Lateral", lateral},
            {"Output/Line points", "12"}};
  }

  void write_material(const std::string &folder, bool dense)
  {
    const auto quadrature = kapitza::product_quadrature(4, 8, false);
    const auto bands = std::vector<kapitza::Band>{{1000, 1e-11, 4e5}, {3000, 3e-11, 6e5}};
    kapitza::write_mode_database(folder + "/m.h5",
                                 dense ? dense_band_material(bands, 1.0, quadrature) :
                                         kapitza::band_material("m", bands, 300, kapitza::Statistics::bose,
                                                                1e14, quadrature));
  }

  class UniformWalls : public ::testing::TestWithParam<std::tuple<int, std::string>>
  {};

  TEST_P(UniformWalls, TemperatureStaysUniform)
  {
    const auto [dim, lateral] = GetParam();
    const std::string folder  = scratch_folder("uniform-" + std::to_string(dim));
    write_material(folder, false);
    auto settings = box(dim, lateral);
    settings["Boundaries/Left"]  = "thermalizing 301";
    settings["Boundaries/Right"] = "thermalizing 301";
    // Solve far below the usual 1e-10 so that what remains is round-off.
    settings["Solver/Tolerance"] = "1e-14";
    const CaseResult result = run_case(folder, settings);
    ASSERT_TRUE(result.report.converged);
    double worst_t = 0, worst_q = 0;
    for (std::size_t i = 0; i < result.x.size(); ++i)
      {
        worst_t = std::max(worst_t, std::abs(result.temperature[i] - 301));
        worst_q = std::max({worst_q, std::abs(result.flux_x[i]), std::abs(result.flux_y[i])});
      }
    std::printf("%dD, lateral %s: max |T - 301 K| = %.2e K, max |q| = %.2e W/m^2\n", dim,
                lateral.c_str(), worst_t, worst_q);
    // Scale of a flux: C |v| dT / 4 ~ 5e8 W/m^2 here.
    EXPECT_LT(worst_t, 1e-12) << dim << "D, lateral " << lateral;
    EXPECT_LT(worst_q, 1e-12 * 5e8) << dim << "D, lateral " << lateral;
  }

  INSTANTIATE_TEST_SUITE_P(
    EveryWall, UniformWalls,
    ::testing::Values(std::make_tuple(1, std::string("diffuse")), std::make_tuple(2, std::string("diffuse")),
                      std::make_tuple(2, std::string("specular 1")), std::make_tuple(2, std::string("specular 0.4")),
                      std::make_tuple(2, std::string("periodic")), std::make_tuple(3, std::string("diffuse")),
                      std::make_tuple(3, std::string("specular 0.4")), std::make_tuple(3, std::string("periodic"))));

  template <int dim>
  double fixed_point_defect(const std::string &folder, const std::string &walls, const std::string &lateral,
                            const std::string &bins = "0")
  {
    auto settings                = box(dim, lateral);
    settings["Boundaries/Frequency bins"] = bins;
    settings["Boundaries/Left"]  = walls;
    settings["Boundaries/Right"] = walls;
    settings["Solver/Verbose"]   = "false";
    std::ofstream(folder + "/case.prm") << input_text(settings);
    const kapitza::RunParameters     parameters = kapitza::read_parameters(folder + "/case.prm");
    kapitza::TransportProblem<dim>   problem(parameters, MPI_COMM_WORLD);
    problem.setup();
    const auto &events  = problem.event_operator();
    const auto  uniform = events.uniform_field();
    kapitza::ModeField next;
    events.next_event(uniform, next);
    double defect = 0, scale = 0;
    for (std::size_t r = 0; r < next.region.size(); ++r)
      {
        defect = std::max(defect, (next.region[r] - uniform.region[r]).cwiseAbs().maxCoeff());
        scale  = std::max(scale, uniform.region[r].cwiseAbs().maxCoeff());
      }
    return defect / scale;
  }

  TEST(UniformShift, FixedPointOfOneEventForEveryClosedWall)
  {
    for (const bool dense : {false, true})
      {
        const std::string folder = scratch_folder("fixed-point");
        write_material(folder, dense);
        for (const std::string walls : {"diffuse", "specular 1", "specular 0.3", "periodic"})
          {
            EXPECT_LT(fixed_point_defect<1>(folder, walls, "diffuse"), 1e-13) << walls;
            for (const std::string lateral : {"diffuse", "specular 0.6", "periodic"})
              {
                const double defect_2d = fixed_point_defect<2>(folder, walls, lateral);
                const double defect_3d = fixed_point_defect<3>(folder, walls, lateral);
                std::printf("%s, walls %s, lateral %s: relative defect 2D %.1e, 3D %.1e\n",
                            dense ? "dense" : "RTA", walls.c_str(), lateral.c_str(), defect_2d, defect_3d);
                EXPECT_LT(defect_2d, 1e-13) << walls << " / " << lateral;
                EXPECT_LT(defect_3d, 1e-13) << walls << " / " << lateral;
              }
          }
      }
  }

  TEST(UniformShift, FixedPointWithFrequencyBinnedWalls)
  {
    // One bin merges the two bands (different frequencies) into one re-emission group,
    // as ab initio sets need: the uniform shift must still be a fixed point.
    const std::string folder = scratch_folder("fixed-point-bins");
    write_material(folder, true);
    for (const std::string walls : {"diffuse", "specular 0.3"})
      {
        const double defect_1d = fixed_point_defect<1>(folder, walls, "diffuse", "1");
        const double defect_2d = fixed_point_defect<2>(folder, walls, "specular 0.6", "1");
        std::printf("binned walls %s: relative defect 1D %.1e, 2D %.1e\n", walls.c_str(), defect_1d, defect_2d);
        EXPECT_LT(defect_1d, 1e-13) << walls;
        EXPECT_LT(defect_2d, 1e-13) << walls;
      }
  }
} // namespace
