// SMM with class-resolved re-emission (Interfaces/Re-emission = classes,
// interface/strain_classes.h) between Stillinger-Weber Si and its 72.63 amu twin, the
// interface computed on dense 8^3 sets and carried by 4^3 transport modes. On the transport
// modes every arriving mode leaves with all its flux and the flux between groups is
// symmetric (energy conservation, detailed balance) with and without dislocations, for both
// backgrounds; a uniform temperature crosses unchanged; the transport modes carry the dense
// sets' Landauer conductance; without dislocations the diffuse background is spectral DMM
// (unspread), whose Landauer conductance it reproduces to round-off. Bad settings are
// refused in one line.
#include "interface/spectral_capacity.h"
#include "interface/strain_classes.h"
#include "scattering/hdf5_file.h"
#include "spectral_sets.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  constexpr double round_off = 1e-12; // sums over a few thousand modes and classes

  /// The misfit arrays of the tests: two crossed arrays 5 nm apart (Si-like Burgers vector).
  MisfitDislocations dislocations(unsigned int arrays, bool keep_parallel_momentum)
  {
    MisfitDislocations d;
    d.arrays = arrays, d.spacing = 5e-9, d.burgers = 3.84e-10;
    d.keep_parallel_momentum = keep_parallel_momentum;
    return d;
  }

  TEST(StrainClasses, TransportFluxConservesEnergyAndIsReciprocal)
  {
    const ModeSet ta = sw_set("Si-SW", 4), tb = sw_set("Si-SW-heavy72.63", 4);
    const ModeSet da = sw_set("Si-SW", 8), db = sw_set("Si-SW-heavy72.63", 8);
    const double  lo = std::min(da.omega.minCoeff(), db.omega.minCoeff());
    const double  hi = std::max(da.omega.maxCoeff(), db.omega.maxCoeff());
    const FrequencyChannels     bins{lo, (hi - lo) / channels, channels};
    const std::vector<int>      bin_a = bins.channels_of(ta), bin_b = bins.channels_of(tb);
    const GoldenRuleFinalStates finals{&da, &db, bins.channels_of(da), bins.channels_of(db)};
    const Eigen::Vector3d       n(1, 0, 0);
    for (const unsigned int arrays : {0u, 2u})
      for (const bool parallel : {true, false})
        {
          StrainMismatchReport report;
          const ModeCoupling coupling = strain_mismatch_classes(ta, tb, bin_a, bin_b, bins.width, n,
                                                          dislocations(arrays, parallel), finals, 0, report);
          const auto [worst_sum, asymmetry, carried] = group_balance(coupling, ta, tb, n);
          std::printf("arrays %u, %s background: strain flux %.4f, %u groups, max |row - 1| %.2e, asymmetry "
                      "%.2e, transported G %.10g, dense %.10g W/m^2K\n",
                      arrays, parallel ? "parallel-momentum" : "diffuse", report.strain_flux, report.carried.groups,
                      worst_sum, asymmetry, carried, report.carried.dense_conductance);
          EXPECT_LT(worst_sum, round_off);
          EXPECT_LT(asymmetry, round_off);
          EXPECT_NEAR(carried / report.carried.carried_conductance, 1, round_off);
          if (arrays > 0)
            EXPECT_GT(report.strain_flux, 0.01); // the strain field scatters: the test is not vacuous
          else
            EXPECT_EQ(report.strain_flux, 0);
        }
  }

  std::map<std::string, std::string> smm_bilayer(const std::string &left, const std::string &right)
  {
    auto settings = sw_bilayer(4, left, right);
    settings["Interfaces/Model"]          = "smm";
    settings["Interfaces/Re-emission"]    = "classes";
    settings["Interfaces/Spectral files"] = "si-8.h5, heavy-8.h5";
    return settings;
  }

  TEST(StrainClasses, UniformTemperatureCrossesUnchangedAndTheDenseConductanceIsCarried)
  {
    const std::string folder = scratch_folder("strain-classes-uniform");
    write_sets(folder, {4, 8});
    for (const std::string background : {"parallel momentum", "diffuse"})
      {
        auto settings = smm_bilayer("301", "301");
        settings["Interfaces/Background"]          = background;
        settings["Interfaces/Dislocation arrays"]  = "2";
        settings["Interfaces/Dislocation spacing"] = "5e-9";
        settings["Interfaces/Burgers vector"]      = "3.84e-10";
        const CaseResult result = run_case(folder, settings);
        ASSERT_TRUE(result.report.converged);
        const auto [worst_t, worst_q] = uniform_deviation(result, 301);
        Hdf5File     file(result.results_path, Hdf5File::Mode::read);
        const double run   = file.read_double_attribute("interfaces/0", "landauer_conductance");
        const double dense = file.read_double_attribute("interfaces/0", "spectral_landauer_conductance");
        std::printf("%s: max |T - 301| %.2e K, max |q| %.2e W/m^2; Landauer G run %.10g, dense %.10g W/m^2K\n",
                    background.c_str(), worst_t, worst_q, run, dense);
        EXPECT_LT(worst_t, 1e-11);
        EXPECT_LT(worst_q, 1e-11 * 2e9); // flux scale C |v| dT / 4 ~ 2e9 W/m^2 per kelvin
        EXPECT_NEAR(run / dense, 1, round_off);
      }
  }

  TEST(StrainClasses, WithoutDislocationsTheDiffuseBackgroundIsSpectralDmm)
  {
    const std::string folder = scratch_folder("strain-classes-dmm");
    write_sets(folder, {4, 8});
    auto dmm = sw_bilayer(4, "301");
    dmm["Interfaces/Spectral files"]      = "si-8.h5, heavy-8.h5";
    dmm["Interfaces/Spectral broadening"] = "0"; // SMM's dense modes sit in the bin of their frequency
    auto smm = smm_bilayer("301", "300");
    smm["Interfaces/Background"]         = "diffuse";
    smm["Interfaces/Dislocation arrays"] = "0";
    double conductance[2];
    for (const int model : {0, 1})
      {
        const CaseResult result = run_case(folder, model == 0 ? dmm : smm);
        ASSERT_TRUE(result.report.converged);
        conductance[model] = Hdf5File(result.results_path, Hdf5File::Mode::read)
                               .read_double_attribute("interfaces/0", "landauer_conductance");
      }
    std::printf("Landauer G: spectral DMM %.12g, SMM classes without dislocations %.12g W/m^2K\n", conductance[0],
                conductance[1]);
    EXPECT_NEAR(conductance[1] / conductance[0], 1, round_off);
  }

  TEST(StrainClasses, RefusesClassesWithoutDenseSetsAndAWidthWithoutClasses)
  {
    const std::string folder = scratch_folder("strain-classes-refusals");
    write_sets(folder, {4});
    auto no_sets = sw_bilayer(4, "301");
    no_sets["Interfaces/Model"]               = "smm";
    no_sets["Interfaces/Re-emission"]         = "classes";
    no_sets["Interfaces/Dislocation spacing"] = "5e-9";
    auto width = no_sets;
    width["Interfaces/Re-emission"] = "modes";
    width["Interfaces/Class width"] = "1e9";
    const std::string sets  = error_of([&] { run_case(folder, no_sets); });
    const std::string shell = error_of([&] { run_case(folder, width); });
    for (const std::string &message : {sets, shell})
      {
        std::printf("%s\n", message.c_str());
        EXPECT_EQ(message.find('\n'), std::string::npos);
      }
    EXPECT_NE(sets.find("Re-emission = classes needs Interfaces/Spectral files"), std::string::npos);
    EXPECT_NE(shell.find("Class width is given, but only Re-emission = classes uses it"), std::string::npos);
  }
} // namespace
