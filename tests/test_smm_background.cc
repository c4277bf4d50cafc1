// SMM without dislocations (Interfaces/Dislocation arrays = 0, a coherent interface such as
// a mass-only mismatch): no strain kernel is built and all flux goes through the
// background, so the channel transmissions equal those of the background alone to
// round-off (diffuse: the dmm model; parallel momentum: SMM with a vanishing strain field,
// b = 1e-30 m, whose strain part is (1e-30 / 3e-10)^2 ~ 1e-40 of the flux), obey detailed
// balance t_ab M_a = t_ba M_b, and keep a uniform temperature uniform. Entries that
// describe dislocations are refused with arrays = 0, since nothing would use them.
#include "interface/interface_scattering.h"
#include "interface_cases.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  // Round-off of the channel transmissions (sums of a few hundred fractions).
  constexpr double round_off = 1e-13;

  std::map<std::string, std::string> no_dislocations(const std::string &background)
  {
    auto settings = bilayer("a:1e-7:4, b:1e-7:4", "smm");
    settings["Interfaces/Dislocation arrays"] = "0";
    settings["Interfaces/Background"]         = background;
    return settings;
  }

  struct PairTransmission
  {
    Eigen::MatrixXd t_ab, t_ba, capacity_a, capacity_b;
    std::string     summary;
  };

  PairTransmission set_up(const std::string &folder, const std::map<std::string, std::string> &settings)
  {
    std::ofstream(folder + "/case.prm") << input_text(settings);
    const auto parameters = kapitza::read_parameters(folder + "/case.prm");
    kapitza::TransportProblem<1> problem(parameters, MPI_COMM_WORLD);
    problem.setup();
    const auto &pairs = problem.interface_scattering()->pairs();
    EXPECT_EQ(pairs.size(), 1u);
    const kapitza::InterfacePair &pair = pairs.front();
    return {pair.t_ab, pair.t_ba, pair.capacity_a, pair.capacity_b, parameters.interfaces.model->summary(pair)};
  }

  TEST(SmmBackground, NoDislocationsGiveTheBackgroundAloneWithDetailedBalance)
  {
    const std::string folder = scratch_folder("smm-background");
    write_gray_pair(folder, 1e-7);
    auto dmm = bilayer("a:1e-7:4, b:1e-7:4", "dmm");
    auto vanishing_field = no_dislocations("parallel momentum");
    vanishing_field["Interfaces/Dislocation arrays"]  = "1";
    vanishing_field["Interfaces/Dislocation spacing"] = "2e-9";
    vanishing_field["Interfaces/Burgers vector"]      = "1e-30";
    for (const auto &[background, alone] : {std::make_pair("diffuse", dmm),
                                            std::make_pair("parallel momentum", vanishing_field)})
      {
        const PairTransmission none = set_up(folder, no_dislocations(background));
        const PairTransmission reference = set_up(folder, alone);
        const double t_ab = (none.t_ab - reference.t_ab).cwiseAbs().maxCoeff();
        const double t_ba = (none.t_ba - reference.t_ba).cwiseAbs().maxCoeff();
        const double balance = (none.t_ab.cwiseProduct(none.capacity_a) - none.t_ba.cwiseProduct(none.capacity_b))
                                 .cwiseAbs().maxCoeff() / none.capacity_a.maxCoeff();
        std::printf("smm, no dislocations, %s background: max |t_ab - alone| %.2e, |t_ba - alone| %.2e, "
                    "|t_ab M_a - t_ba M_b| / M %.2e, t_ab %.6f (alone %.6f)\n%s\n",
                    background, t_ab, t_ba, balance, none.t_ab.maxCoeff(), reference.t_ab.maxCoeff(),
                    none.summary.c_str());
        EXPECT_GT(none.t_ab.maxCoeff(), 0.01); // flux crosses: not a vacuous comparison
        EXPECT_LT(t_ab, round_off) << background;
        EXPECT_LT(t_ba, round_off) << background;
        EXPECT_LT(balance, round_off) << background;
        EXPECT_NE(none.summary.find("no dislocations"), std::string::npos) << none.summary;
      }
    // The two backgrounds differ (q_par kept: Snell's total internal reflection): the
    // comparison above can tell them apart.
    EXPECT_GT((set_up(folder, no_dislocations("diffuse")).t_ab -
               set_up(folder, no_dislocations("parallel momentum")).t_ab).cwiseAbs().maxCoeff(), 0.01);
  }

  TEST(SmmBackground, UniformTemperatureStaysUniformWithoutDislocations)
  {
    const std::string folder = scratch_folder("smm-background-uniform");
    write_gray_pair(folder, 1e-7);
    for (const std::string background : {"diffuse", "parallel momentum"})
      {
        auto settings = no_dislocations(background);
        settings["Boundaries/Right"] = "thermalizing 301";
        settings["Solver/Tolerance"] = "1e-14";
        const CaseResult result = run_case(folder, settings);
        ASSERT_TRUE(result.report.converged);
        const auto along = [](const std::vector<double> &values) {
          return Eigen::Map<const Eigen::ArrayXd>(values.data(), values.size());
        };
        const double worst_t = (along(result.temperature) - 301).abs().maxCoeff();
        const double worst_q = along(result.flux_x).abs().maxCoeff();
        std::printf("smm, no dislocations, %s: max |T - 301 K| = %.2e K, max |q| = %.2e W/m^2\n",
                    background.c_str(), worst_t, worst_q);
        // Flux scale C |v| dT / 4 ~ 1e9 W/m^2 (as Interfaces.UniformTemperatureCrossesUnchanged).
        EXPECT_LT(worst_t, 1e-12) << background;
        EXPECT_LT(worst_q, 1e-12 * 1e9) << background;
      }
  }

  TEST(SmmBackground, DislocationEntriesAreRefusedWithoutDislocations)
  {
    const std::string folder = scratch_folder("smm-background-refused");
    write_gray_pair(folder, 1e-7);
    const std::map<std::string, std::string> entries = {
      {"Dislocation spacing", "2e-9"},       {"Burgers vector", "3e-10"},
      {"Poisson ratio", "0.3"},              {"Grueneisen parameters", "1, 1"},
      {"Lattice constants", "5.43e-10, 5.66e-10"}, {"Dislocation line", "0, 0, 1"}};
    const auto refusal = [&](std::map<std::string, std::string> settings) {
      std::ofstream(folder + "/case.prm") << input_text(settings);
      return error_of([&]() { kapitza::read_parameters(folder + "/case.prm"); });
    };
    for (const auto &[entry, value] : entries)
      {
        auto settings = no_dislocations("parallel momentum");
        settings["Interfaces/" + entry] = value;
        const std::string message = refusal(settings);
        std::printf("%s: %s\n", entry.c_str(), message.c_str());
        EXPECT_NE(message.find("Interfaces/" + entry), std::string::npos) << message;
        EXPECT_NE(message.find("Dislocation arrays = 0"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      }
    // The momentum resolution sets the parallel-momentum background; only the diffuse one
    // ignores it. The defaults and arrays = 1 with the same entries are accepted.
    auto resolution = no_dislocations("parallel momentum");
    resolution["Interfaces/Momentum resolution"] = "1e9";
    EXPECT_EQ(refusal(resolution), "");
    resolution["Interfaces/Background"] = "diffuse";
    EXPECT_NE(refusal(resolution).find("Interfaces/Momentum resolution"), std::string::npos);
    EXPECT_EQ(refusal(no_dislocations("diffuse")), "");
    auto one_array = no_dislocations("parallel momentum");
    one_array["Interfaces/Dislocation arrays"] = "1";
    for (const auto &[entry, value] : entries)
      one_array["Interfaces/" + entry] = value;
    EXPECT_EQ(refusal(one_array), "");
  }
} // namespace
