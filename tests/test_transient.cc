// The transient (Solver/Method = transient, solver/transient.h): implicit Euler steps of
// d psi/dt + (D - K) psi = 0 from the Sources term as the initial population. Its time
// integral is exact, dt sum_{n=1..N} psi^n + (D - K)^-1 psi^N = (D - K)^-1 psi^0, with
// either Krylov unknown; a closed slab keeps its energy; a uniform population in a closed
// slab stays put; and the run's own energy balance holds step by step.
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;
  using Settings = std::map<std::string, std::string>;

  // Every GMRES solve (each step and each steady state) stops at this relative residual.
  constexpr double solver_tolerance = 1e-13;
  // The gray material: C = 1e6 J/(m^3 K), |v| = 1000 m/s, mfp 100 nm, tau = 1e-10 s.
  constexpr double gray_mfp = 1e-7, gray_tau = 1e-10, gray_capacity = 1e6;
  // Steps of tau / 5 over 10 tau: the slab (10 mfp) is then still far from empty.
  constexpr double       time_step = gray_tau / 5;
  constexpr unsigned int steps     = 50;

  // A 1D gray slab of 10 mean free paths with an off-centre gaussian as the initial population.
  Settings transient_slab(const std::string &left, const std::string &right)
  {
    return {{"Dimension", "1"},
            {"Materials/Names", "gray"},
            {"Materials/Files", "gray.h5"},
            {"Mesh/Layers", "gray:1e-6:50"},
            {"Boundaries/Left", left},
            {"Boundaries/Right", right},
            {"Solver/Method", "transient"},
            {"Solver/Tolerance", number(solver_tolerance)},
            {"Solver/Verbose", "false"},
            {"Transient/Time step", number(time_step)},
            {"Transient/Steps", std::to_string(steps)},
            {"Transient/Output every", "5"},
            {"Sources/Profile", "gaussian"},
            {"Sources/Density", "1e15"},
            {"Sources/Centre", "3e-7, 0, 0"},
            {"Sources/Width", "5e-8"},
            {"Output/Line points", "100"},
            {"Output/Write vtu", "false"},
            {"Output/File", "results.h5"}};
  }

  RunParameters write_and_read(const std::string &folder, const Settings &settings)
  {
    write_gray(folder, gray_mfp, 16, 2, true);
    std::ofstream(folder + "/case.prm") << input_text(settings);
    return read_parameters(folder + "/case.prm");
  }

  double largest(const ModeField &field)
  {
    double m = 0;
    for (const RowMatrix &region : field.region)
      m = std::max(m, region.cwiseAbs().maxCoeff());
    return m;
  }

  // The steady state (D - K)^-1 q of a per-mode source q (GMRES, no preconditioner).
  ModeField steady_of(EventOperator<1> &events, const SolverSettings &transient, const ModeField &source)
  {
    SolverSettings steady = transient;
    steady.method         = "accelerated";
    steady.preconditioner = "none";
    ModeField psi;
    events.set_mode_source(&source);
    const SolveReport report = solve_steady_state<1>(events, steady, nullptr, psi, {});
    events.set_mode_source(nullptr);
    EXPECT_TRUE(report.converged);
    return psi;
  }

  // The exact identity of implicit Euler: dt sum_{n=1..N} psi^n + (D - K)^-1 psi^N =
  // (D - K)^-1 psi^0, with black walls at T0 (no other source). Each of the N step solves
  // leaves a residual of at most the tolerance relative to its right-hand side psi^(n-1)/dt;
  // (D - K)^-1 carries these into the sum as it carries psi^0 into the steady state, so the
  // identity holds to about N times the tolerance relative to the steady state (measured:
  // printed). Both Krylov unknowns, which feed the per-mode source through G differently.
  class TransientUnknown : public ::testing::TestWithParam<std::string>
  {};

  TEST_P(TransientUnknown, TimeIntegralIsTheSteadyStateOfTheDifference)
  {
    const std::string folder = scratch_folder("transient-identity-" + GetParam().substr(0, 5));
    Settings          settings = transient_slab("thermalizing 300", "thermalizing 300");
    settings["Solver/Krylov unknown"] = GetParam();
    const RunParameters parameters    = write_and_read(folder, settings);
    TransportProblem<1> problem(parameters, MPI_COMM_WORLD);
    problem.setup();
    EventOperator<1> &events   = problem.event_operator();
    const ModeField   initial  = problem.initial_population();
    ModeField         psi      = initial;
    ModeField         integral = events.zero_field();
    const SolveReport report   = step_transient<1>(events, parameters.solver, time_step, steps, psi,
                                                 [&](unsigned int, const ModeField &state) {
                                                   for (unsigned int r = 0; r < state.region.size(); ++r)
                                                     integral.region[r] += time_step * state.region[r];
                                                 });
    ASSERT_TRUE(report.converged);
    EXPECT_EQ(events.extra_extinction(), 0.0); // the operator is steady again
    const ModeField from_initial = steady_of(events, parameters.solver, initial);
    const ModeField from_final   = steady_of(events, parameters.solver, psi);
    // psi^N still holds a good part of the energy: the identity is tested, not a limit.
    const double remaining = events.energy(psi) / events.energy(initial);
    EXPECT_GT(remaining, 0.1);
    double error = 0;
    for (unsigned int r = 0; r < psi.region.size(); ++r)
      error = std::max(error, (integral.region[r] + from_final.region[r] - from_initial.region[r]).cwiseAbs().maxCoeff());
    error /= largest(from_initial);
    EXPECT_LT(error, steps * solver_tolerance);
    std::printf("%s: %u steps, %u GMRES iterations, energy left %.3f; identity error %.2e of the steady state "
                "(bound N tol = %.1e)\n",
                GetParam().c_str(), steps, report.iterations, remaining, error, steps * solver_tolerance);
  }

  INSTANTIATE_TEST_SUITE_P(Unknowns, TransientUnknown, ::testing::Values("state", "scattering data"),
                           [](const auto &info) { return info.param == "state" ? "state" : "scattering_data"; });

  struct TransientResults
  {
    std::vector<double> time, energy, energy_left;
    std::vector<double> temperature; // outputs x line points, T - T0
    double              initial_energy = 0;
  };

  TransientResults run_transient_case(const std::string &folder, const Settings &settings)
  {
    write_gray(folder, gray_mfp, 16, 2, true);
    const CaseResult result = run_case(folder, settings);
    EXPECT_TRUE(result.report.converged);
    Hdf5File         file(result.results_path, Hdf5File::Mode::read);
    TransientResults run;
    run.time           = file.read_doubles("transient/time");
    run.energy         = file.read_doubles("transient/energy");
    run.energy_left    = file.read_doubles("transient/energy_left");
    run.temperature    = file.read_doubles("transient/temperature");
    run.initial_energy = file.read_double_attribute("transient", "initial_energy");
    return run;
  }

  // Black walls at T0: implicit Euler keeps E^n = E^(n-1) - dt outflow(psi^n), so the energy
  // still in the slab plus what left through the walls is the initial energy, each step to
  // the solver tolerance (its residual's energy), over N steps N times that.
  TEST(Transient, EnergyInTheSlabPlusWhatLeftIsTheInitialEnergy)
  {
    const TransientResults run =
      run_transient_case(scratch_folder("transient-balance"), transient_slab("thermalizing 300", "thermalizing 300"));
    ASSERT_EQ(run.time.size(), steps / 5 + 1);
    EXPECT_DOUBLE_EQ(run.time.back(), steps * time_step);
    double worst = 0;
    for (std::size_t k = 0; k < run.time.size(); ++k)
      worst = std::max(worst, std::abs(run.energy[k] + run.energy_left[k] - run.initial_energy) / run.initial_energy);
    EXPECT_LT(worst, steps * solver_tolerance);
    EXPECT_LT(run.energy.back(), run.energy.front()); // heat did leave
    std::printf("black walls: energy left in the slab %.4f, balance error %.2e\n",
                run.energy.back() / run.initial_energy, worst);
  }

  // Reflecting walls (specular left, diffuse right): nothing leaves, and the energy stays
  // the initial one while the gaussian spreads.
  TEST(Transient, ClosedSlabKeepsItsEnergy)
  {
    const TransientResults run =
      run_transient_case(scratch_folder("transient-closed"), transient_slab("specular 1", "diffuse"));
    double drift = 0;
    for (double e : run.energy)
      drift = std::max(drift, std::abs(e - run.initial_energy) / run.initial_energy);
    EXPECT_LT(drift, steps * solver_tolerance);
    for (double left : run.energy_left)
      EXPECT_LT(std::abs(left), steps * solver_tolerance * run.initial_energy);
    // The profile did change: the peak fell.
    const std::size_t n     = run.temperature.size() / run.time.size();
    const auto        first = run.temperature.begin(), last = run.temperature.end() - n;
    EXPECT_LT(*std::max_element(last, run.temperature.end()), 0.9 * *std::max_element(first, first + n));
    std::printf("closed slab: energy drift %.2e over %u steps\n", drift, steps);
  }

  // A uniform source in a gray slab is the uniform shift S (1 s) / C everywhere: between
  // reflecting walls it is stationary, and every output keeps it, each step to the solver
  // tolerance, over N steps N times that. GMRES iterates on psi itself here: the scattering
  // data weighs the wall inflows by |v.n| / <|v|> in its norm, so that its residual bounds
  // psi only up to <|v|> / min |v.n| (about 190 on this quadrature; measured 2.2e-11 K).
  TEST(Transient, UniformPopulationInAClosedSlabStaysPut)
  {
    Settings settings = transient_slab("specular 1", "diffuse");
    settings["Solver/Krylov unknown"] = "state";
    settings.erase("Sources/Centre");
    settings.erase("Sources/Width");
    settings["Sources/Profile"]  = "uniform";
    settings["Sources/Density"]  = "1e6"; // 1 K for 1 s in C = 1e6 J/(m^3 K)
    const TransientResults run = run_transient_case(scratch_folder("transient-uniform"), settings);
    const double           rise = 1e6 * TransientSettings::source_hold_time / gray_capacity;
    double                 worst = 0;
    for (double t : run.temperature)
      worst = std::max(worst, std::abs(t - rise) / rise);
    EXPECT_LT(worst, steps * solver_tolerance);
    std::printf("uniform population: largest |T - T0 - 1 K| %.2e K over %zu outputs\n", worst * rise,
                run.time.size());
  }

  TEST(Transient, BadSettingsAreRefusedWhenRead)
  {
    const std::string folder = scratch_folder("transient-refusals");
    const auto        refusal = [&](Settings settings) {
      return error_of([&] { write_and_read(folder, settings); });
    };
    Settings no_step = transient_slab("thermalizing 300", "thermalizing 300");
    no_step["Transient/Time step"] = "0";
    EXPECT_NE(refusal(no_step).find("Transient/Time step must be a positive"), std::string::npos);
    Settings no_steps = transient_slab("thermalizing 300", "thermalizing 300");
    no_steps["Transient/Steps"] = "0";
    EXPECT_NE(refusal(no_steps).find("Transient/Steps must be at least 1"), std::string::npos);
    Settings no_source = transient_slab("thermalizing 300", "thermalizing 300");
    for (const char *key : {"Sources/Profile", "Sources/Density", "Sources/Centre", "Sources/Width"})
      no_source.erase(key);
    EXPECT_NE(refusal(no_source).find("needs Sources"), std::string::npos);
    Settings steady = transient_slab("thermalizing 300", "thermalizing 300");
    steady["Solver/Method"] = "accelerated";
    EXPECT_NE(refusal(steady).find("used only by Solver/Method = transient"), std::string::npos);
    // A closed system is fine for a transient (its source is the initial population).
    EXPECT_EQ(refusal(transient_slab("specular 1", "diffuse")), "");
  }
} // namespace
