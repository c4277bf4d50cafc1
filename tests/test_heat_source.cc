// Volumetric heat sources (subsection Sources, DESIGN.md section 5): the power they put
// in leaves through the walls, a uniform source in a thick gray slab gives the diffusion
// parabola, and Profile = none changes nothing.
#include "solver/heat_source.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  // The gray material of write_gray: C = 1e6 J/(m^3 K), |v| = 1000 m/s.
  constexpr double gray_capacity = 1e6, gray_speed = 1000;
  // Extrapolation length of the conservative Milne problem (isotropic scattering), in mean
  // free paths: far from a black wall the temperature is the diffusion solution that
  // vanishes this far beyond it.
  constexpr double milne_extrapolation = 0.7104460895;

  struct SourceRun
  {
    CaseResult          result;
    double              power = 0;
    std::vector<double> wall_outflow;
  };

  SourceRun run_source_case(const std::string &folder, const std::map<std::string, std::string> &settings)
  {
    SourceRun run;
    run.result = run_case(folder, settings);
    Hdf5File file(run.result.results_path, Hdf5File::Mode::read);
    run.power        = file.read_double_attribute("sources", "power");
    run.wall_outflow = file.read_doubles("sources/wall_outflow");
    return run;
  }

  double total(const std::vector<double> &values)
  {
    double sum = 0;
    for (double v : values)
      sum += v;
    return sum;
  }

  std::map<std::string, std::string> slab(const std::string &layers)
  {
    return {{"Dimension", "1"},
            {"Materials/Names", "gray"},
            {"Materials/Files", "gray.h5"},
            {"Mesh/Layers", layers},
            {"Boundaries/Left", "thermalizing 300"},
            {"Boundaries/Right", "thermalizing 300"},
            {"Solver/Tolerance", "1e-12"},
            {"Output/Line points", "200"}};
  }

  TEST(HeatSource, EmissionCarriesTheSourcePower)
  {
    // sum_mu e_mu g_mu = 1 for the rank-one RTA and for a dense matrix (its diagonal).
    GrayMaterial gray;
    const ModeSet rta   = gray_material(gray, product_quadrature(4, 4, false));
    const ModeSet dense = with_dense_collision_matrix(rta, 0.5, 4 * 4);
    for (const ModeSet *modes : {&rta, &dense})
      EXPECT_NEAR(modes->energy_weight().dot(source_emission(*modes)), 1.0, 1e-14);
  }

  // Power in = heat out through the two black walls of a 1D slab, to the solver tolerance
  // (1e-12), for an off-centre gaussian, and the gaussian's power is its integral.
  TEST(HeatSource, SlabPowerLeavesThroughTheWalls)
  {
    const std::string folder = scratch_folder("source-slab");
    write_gray(folder, 1e-7, 16, 2, true);
    auto settings = slab("gray:1e-6:100");
    const double peak = 1e15, centre = 3e-7, width = 5e-8;
    settings.insert({{"Sources/Profile", "gaussian"},
                     {"Sources/Density", number(peak)},
                     {"Sources/Centre", number(centre) + ", 0, 0"},
                     {"Sources/Width", number(width)}});
    const SourceRun run = run_source_case(folder, settings);
    ASSERT_TRUE(run.result.report.converged);
    // The gaussian lies 6 widths inside the slab: its power is peak sqrt(2 pi) width
    // up to the tail beyond the walls, exp(-18) relative, and the quadrature error.
    EXPECT_NEAR(run.power / (peak * std::sqrt(2 * M_PI) * width), 1.0, 1e-7);
    ASSERT_EQ(run.wall_outflow.size(), 2u);
    const double imbalance = (total(run.wall_outflow) - run.power) / run.power;
    EXPECT_LT(std::abs(imbalance), 1e-10);
    // More heat leaves through the nearer (left) wall.
    EXPECT_GT(run.wall_outflow[0], run.wall_outflow[1]);
    std::printf("1D gaussian: power %.10e W/m^2, walls %.6e + %.6e, imbalance %.2e\n", run.power,
                run.wall_outflow[0], run.wall_outflow[1], imbalance);
  }

  // The same balance in 2D: a gaussian in a square with adiabatic lateral walls (specular
  // or diffuse) and black walls left and right; the lateral walls take no heat.
  class SquareBalance : public ::testing::TestWithParam<std::string>
  {};

  TEST_P(SquareBalance, PowerLeavesThroughTheBlackWalls)
  {
    const std::string lateral = GetParam();
    const std::string folder  = scratch_folder("source-square-" + lateral.substr(0, 4));
    write_gray(folder, 1e-7, 4, 8, false);
    const SourceRun run = run_source_case(folder, {{"Dimension", "2"},
                                                   {"Materials/Names", "gray"},
                                                   {"Materials/Files", "gray.h5"},
                                                   {"Mesh/Layers", "gray:4e-7:16"},
                                                   {"Mesh/Lateral size", "4e-7"},
                                                   {"Mesh/Lateral cells", "16"},
                                                   {"Boundaries/Left", "thermalizing 300"},
                                                   {"Boundaries/Right", "thermalizing 300"},
                                                   {"Boundaries/Lateral", lateral},
                                                   {"Solver/Tolerance", "1e-12"},
                                                   {"Sources/Profile", "gaussian"},
                                                   {"Sources/Density", "1e16"},
                                                   {"Sources/Centre", "1.5e-7, 2.5e-7, 0"},
                                                   {"Sources/Width", "4e-8"}});
    ASSERT_TRUE(run.result.report.converged);
    ASSERT_EQ(run.wall_outflow.size(), 3u);
    const double imbalance = (total(run.wall_outflow) - run.power) / run.power;
    EXPECT_LT(std::abs(imbalance), 1e-10);
    EXPECT_LT(std::abs(run.wall_outflow[2] / run.power), 1e-10); // adiabatic
    std::printf("2D gaussian, lateral %s: power %.10e W/m, walls %.6e + %.6e + %.2e, imbalance %.2e\n",
                lateral.c_str(), run.power, run.wall_outflow[0], run.wall_outflow[1],
                run.wall_outflow[2], imbalance);
  }

  INSTANTIATE_TEST_SUITE_P(LateralWalls, SquareBalance, ::testing::Values("specular 1", "diffuse"),
                           [](const auto &info) { return info.param.substr(0, 4) == "spec" ? "specular" : "diffuse"; });

  // A uniform source in a slab of 1000 mean free paths between black walls at T0 is the
  // diffusion problem kappa T'' = -S, kappa = C v^2 tau / 3. The exact transport solution
  // in the interior is that parabola with the walls moved out by the Milne extrapolation
  // length (a quadratic T solves the gray BTE exactly, so the remaining model error is
  // O((mfp/L)^2), about 1e-6 of the rise); the DG error must fall as the cells shrink, at
  // second order (measured: 5.1e-3, 1.27e-3, 2.9e-4 of the rise on 50, 100, 200 graded
  // cells), to well below the O(mfp/L) shift of the walls, 4 delta / L = 2.8e-3, that
  // the plain parabola misses (its error stays at 2.9e-3).
  TEST(HeatSource, ThickSlabUniformSourceIsTheDiffusionParabola)
  {
    const double length = 1e-6, mfp = 1e-9, density = 1e14;
    const double tau = mfp / gray_speed, kappa = gray_capacity * gray_speed * gray_speed * tau / 3;
    const double delta = milne_extrapolation * mfp;
    const double rise  = density * length * length / (8 * kappa);
    const auto   parabola = [&](double x) {
      // The energy temperature of the quadratic solution lies tau S / C below its parameter.
      return 300 + density * (x + delta) * (length + delta - x) / (2 * kappa) - tau * density / gray_capacity;
    };
    std::vector<double> errors;
    for (const int cells : {50, 100, 200})
      {
        const std::string folder = scratch_folder("source-thick-" + std::to_string(cells));
        write_gray(folder, mfp, 16, 2, true);
        auto settings = slab("gray:1e-6:" + std::to_string(cells));
        // The smallest cells (at the walls) resolve the boundary layer of a few mfp.
        settings["Mesh/Grading ratio"] = "40";
        settings.insert({{"Sources/Profile", "uniform"}, {"Sources/Density", number(density)}});
        const SourceRun run = run_source_case(folder, settings);
        ASSERT_TRUE(run.result.report.converged);
        EXPECT_NEAR(run.power / (density * length), 1.0, 1e-13);
        EXPECT_LT(std::abs(total(run.wall_outflow) / run.power - 1), 1e-10);
        double worst = 0; // away from the boundary layers (10 % of L from each wall)
        for (std::size_t i = 0; i < run.result.x.size(); ++i)
          if (run.result.x[i] > 0.1 * length && run.result.x[i] < 0.9 * length)
            worst = std::max(worst, std::abs(run.result.temperature[i] - parabola(run.result.x[i])) / rise);
        errors.push_back(worst);
        std::printf("uniform source, %d cells: peak rise %.6e K (diffusion %.6e K), max interior error %.3e of the rise\n",
                    cells, *std::max_element(run.result.temperature.begin(), run.result.temperature.end()) - 300,
                    rise, worst);
      }
    constexpr double second_order = 3; // halving h divides the error by ~4
    EXPECT_GT(errors[0] / errors[1], second_order);
    EXPECT_GT(errors[1] / errors[2], second_order);
    EXPECT_LT(errors[2], 0.2 * 4 * delta / length);
  }

  // The first event of a uniform source S in a gray slab [0, L] between black walls at
  // T0 has a closed form: psi^(0) = D^-1 g S solves v_x psi' + psi / tau = g S from
  // psi = 0 where each mode enters, so psi_mu(x) = g_mu S tau (1 - exp(-d_mu / (tau |v_x|)))
  // with d_mu the distance to that wall, and
  //   T^(0)(x) - T0 = S tau / sum C [1 - sum_mu e_mu g_mu exp(-d_mu / (tau |v_x,mu|))];
  // the heat arriving at the right wall in that event is sum_{v_x > 0} e v_x psi(L).
  // Split into two regions a | b at L/2 with the source in a only, the same formula with
  // L/2 gives what reaches the interface from a in the first event (the interfaces act in
  // K, the later events), and nothing reaches it from b.
  // The DG profile (events/temperature at the probe points) must converge at the order
  // p + 1 of the DG space (halving h divides the error by ~2^(p+1); measured for p = 1:
  // 9.1e-3, 2.2e-3, 5.2e-4 of S tau / C on 16, 32, 64 cells; p = 2: 4.1e-4, 5.2e-5,
  // 7.0e-6), and the arrivals, from the outflow trace where upwind DG superconverges, at
  // the order 2p + 1 (p = 1: 9.4e-6, 1.2e-6, 1.5e-7; p = 2: 3.8e-9, 1.2e-10, 3.9e-12).
  struct FirstEventErrors
  {
    double profile = 0, arrival = 0;
  };

  // The surface the first event's arrivals are measured at: the right wall of one slab, or
  // the interface a | b at the middle of two equal halves with the source in a.
  enum class ArrivalSurface
  {
    right_wall,
    interface
  };

  FirstEventErrors first_event_errors(unsigned int degree, unsigned int cells,
                                      ArrivalSurface surface = ArrivalSurface::right_wall)
  {
    const bool        split  = surface == ArrivalSurface::interface;
    const double      length = 2e-7, mfp = 1e-7, density = 1e14;
    const double      heated = split ? length / 2 : length; // the source's extent from the left wall
    const std::string folder = scratch_folder("source-first-" + std::to_string(degree) + "-" +
                                              std::to_string(cells) + (split ? "-interface" : ""));
    // Two directions per hemisphere: the thinnest boundary layer, tau |v_x| = 0.21 mfp,
    // spans a few cells of the coarsest mesh, so the errors are in their asymptotic range.
    write_gray(folder, mfp, 4, 2, true);
    GrayMaterial gray;
    gray.tau = mfp / gray.speed;
    const ModeSet         modes  = gray_material(gray, product_quadrature(4, 2, true));
    const Eigen::VectorXd weight = modes.energy_weight().cwiseProduct(source_emission(modes));
    const double          scale  = density * gray.tau / modes.heat_capacity().sum();
    const auto exact_rise = [&](double x) {
      double decay = 0;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        {
          const double vx = modes.velocity(mu, 0);
          decay += weight[mu] * std::exp(-(vx > 0 ? x : length - x) / (gray.tau * std::abs(vx)));
        }
      return scale * (1 - decay);
    };
    double exact_arrival = 0;
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      if (const double vx = modes.velocity(mu, 0); vx > 0)
        exact_arrival += density * gray.tau * weight[mu] * vx * (1 - std::exp(-heated / (gray.tau * vx)));
    auto settings = slab("gray:" + number(length) + ":" + std::to_string(cells));
    settings.insert({{"Sources/Profile", "uniform"}, {"Sources/Density", number(density)},
                     {"Solver/Events", "1"}, {"Solver/Finite element degree", std::to_string(degree)}});
    if (split)
      {
        const std::string half = number(length / 2) + ":" + std::to_string(cells / 2);
        settings["Mesh/Layers"]     = "a:" + half + ", b:" + half;
        settings["Materials/Names"] = "a, b";
        settings["Materials/Files"] = "gray.h5, gray.h5";
        settings["Sources/Region"]  = "a";
      }
    const CaseResult result = run_case(folder, settings);
    Hdf5File         file(result.results_path, Hdf5File::Mode::read);
    const std::vector<double> rise = file.read_doubles("events/temperature");
    FirstEventErrors errors;
    if (!split) // the profile of the split slab is not this formula's (no source in b)
      for (std::size_t i = 0; i < result.x.size(); ++i)
        errors.profile = std::max(errors.profile, std::abs(rise[i] - exact_rise(result.x[i])) / scale);
    const std::string group   = split ? "surface_arrivals/interface from a to b" : "surface_arrivals/Right";
    const double      arrival = file.read_doubles(group + "/frequency")[0];
    errors.arrival = std::abs(arrival / exact_arrival - 1);
    if (split) // b holds no source and the interface's transmission acts from event 1 on
      {
        EXPECT_EQ(file.read_doubles("surface_arrivals/interface from b to a/frequency")[0], 0.0);
      }
    std::printf("first event, degree %u, %u cells: max profile error %.3e of S tau / C, "
                "arrival at %s %.10e W/m^2 (exact %.10e, error %.2e)\n",
                degree, cells, errors.profile, group.c_str(), arrival, exact_arrival, errors.arrival);
    return errors;
  }

  TEST(HeatSource, FirstEventOfAUniformSourceIsExact)
  {
    for (const unsigned int degree : {1u, 2u})
      {
        std::vector<FirstEventErrors> errors;
        for (const unsigned int cells : {16u, 32u, 64u})
          errors.push_back(first_event_errors(degree, cells));
        // 2^order asymptotically; 0.7 of it leaves room for the pre-asymptotic range.
        const double profile_ratio = 0.7 * std::pow(2.0, degree + 1);
        const double arrival_ratio = 0.7 * std::pow(2.0, 2 * degree + 1);
        for (unsigned int k = 0; k + 1 < errors.size(); ++k)
          {
            EXPECT_GT(errors[k].profile / errors[k + 1].profile, profile_ratio) << "degree " << degree;
            EXPECT_GT(errors[k].arrival / errors[k + 1].arrival, arrival_ratio) << "degree " << degree;
          }
      }
  }

  // The interface arrivals of the first event converge to the closed form at the wall's
  // order 2p + 1 (their trace is the same outflow trace of upwind DG; measured p = 1:
  // 4.8e-5, 6.3e-6, 8.0e-7; p = 2: 1.1e-7, 3.6e-9, 1.1e-10 on 16, 32, 64 cells).
  TEST(HeatSource, FirstEventArrivalsAtAnInterfaceAreExact)
  {
    for (const unsigned int degree : {1u, 2u})
      {
        std::vector<FirstEventErrors> errors;
        for (const unsigned int cells : {16u, 32u, 64u})
          errors.push_back(first_event_errors(degree, cells, ArrivalSurface::interface));
        const double arrival_ratio = 0.7 * std::pow(2.0, 2 * degree + 1);
        for (unsigned int k = 0; k + 1 < errors.size(); ++k)
          EXPECT_GT(errors[k].arrival / errors[k + 1].arrival, arrival_ratio) << "degree " << degree;
      }
  }

  // Profile = none is the run without the subsection, bit for bit.
  TEST(HeatSource, ProfileNoneChangesNothing)
  {
    std::vector<double> temperature[2], flux[2];
    for (int with : {0, 1})
      {
        const std::string folder = scratch_folder("source-none-" + std::to_string(with));
        write_gray(folder, 1e-7, 8, 2, true);
        auto settings = slab("gray:1e-6:20");
        settings["Boundaries/Left"] = "thermalizing 301";
        if (with)
          settings["Sources/Profile"] = "none";
        const CaseResult result = run_case(folder, settings);
        temperature[with]       = result.temperature;
        flux[with]              = result.flux_x;
        Hdf5File file(result.results_path, Hdf5File::Mode::read);
        EXPECT_FALSE(file.has_attribute("sources", "power"));
      }
    EXPECT_EQ(temperature[0], temperature[1]);
    EXPECT_EQ(flux[0], flux[1]);
  }

  // Region confines any profile to one material; a function is integrated exactly when
  // it is a polynomial the quadrature integrates.
  TEST(HeatSource, RegionAndFunctionPower)
  {
    const std::string folder = scratch_folder("source-region");
    write_gray(folder, 1e-7, 8, 2, true);
    auto settings = slab("a:4e-7:8, b:6e-7:12");
    settings["Materials/Names"] = "a, b";
    settings["Materials/Files"] = "gray.h5, gray.h5";
    settings.insert({{"Sources/Profile", "function"}, {"Sources/Function", "1e14 * (1 + 1e6 * x)^2"},
                     {"Sources/Region", "b"}});
    const SourceRun run = run_source_case(folder, settings);
    // int_{0.4}^{1} 1e14 (1 + u)^2 du 1e-6 m with u = 1e6 x: 1e8 (2^3 - 1.4^3) / 3.
    EXPECT_NEAR(run.power / (1e8 * (8 - 1.4 * 1.4 * 1.4) / 3), 1.0, 1e-13);
    EXPECT_LT(std::abs(total(run.wall_outflow) / run.power - 1), 1e-10);
  }
} // namespace
