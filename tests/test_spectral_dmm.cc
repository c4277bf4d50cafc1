// DMM with channel capacities from dense harmonic sets (Interfaces/Spectral files,
// interface/spectral_capacity.h) between Stillinger-Weber Si and the same force constants
// with 72.63 amu atoms. Unspread (broadening 0), a transport set used as its own spectral
// file gives exactly the plain DMM; spread, the channels sum to the total capacity; with a
// denser spectral mesh a uniform temperature still crosses unchanged (detailed balance on
// the transport modes) and the transport channels (bins joined where needed) carry all of
// the spectral Landauer conductance; sets of another crystal or off their mesh are refused in one line.
#include "spectral_sets.h"
#include "interface/spectral_capacity.h"
#include "scattering/hdf5_file.h"
#include "scattering/mode_database.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  constexpr double round_off = 1e-12; // sums over a few thousand modes and channels

  double landauer_conductance(const CaseResult &result)
  {
    return Hdf5File(result.results_path, Hdf5File::Mode::read)
      .read_double_attribute("interfaces/0", "landauer_conductance");
  }

  TEST(SpectralDmm, UnspreadOwnSetIsPlainDmm)
  {
    const std::string folder = scratch_folder("spectral-dmm-own");
    write_sets(folder, {4});
    const CaseResult plain = run_case(folder, sw_bilayer(4, "301"));
    auto settings = sw_bilayer(4, "301");
    settings["Interfaces/Spectral files"]   = "si-4.h5, heavy-4.h5";
    settings["Interfaces/Spectral broadening"] = "0";
    const CaseResult spectral = run_case(folder, settings);
    ASSERT_TRUE(plain.report.converged && spectral.report.converged);
    double worst = 0;
    for (std::size_t i = 0; i < plain.temperature.size(); ++i)
      worst = std::max(worst, std::abs(plain.temperature[i] - spectral.temperature[i]));
    std::printf("own sets unspread: G %.10g vs %.10g W/m^2K, max |dT| %.2e K\n", landauer_conductance(plain),
                landauer_conductance(spectral), worst);
    EXPECT_NEAR(landauer_conductance(spectral) / landauer_conductance(plain), 1, round_off);
    EXPECT_LT(worst, 1e-11); // 1 K across: round-off of the solve at tolerance 1e-14
  }

  TEST(SpectralDmm, SpreadChannelsSumToTheTotalCapacity)
  {
    const std::string folder = scratch_folder("spectral-dmm-sum");
    write_sets(folder, {6});
    const ModeSet         transport = sw_set("Si-SW", 3);
    const Eigen::Vector3d into(1, 0, 0);
    const FrequencyChannels bins{transport.omega.minCoeff(),
                                 (transport.omega.maxCoeff() - transport.omega.minCoeff()) / channels, channels};
    const SpectralModes unspread = read_spectral_modes(folder + "/si-6.h5", 0);
    const SpectralModes spread   = read_spectral_modes(folder + "/si-6.h5", 1);
    EXPECT_GT(spread.width.maxCoeff(), bins.width / 10); // the spreading is not vacuous
    const Eigen::VectorXd a = spectral_capacity(unspread, transport, into, bins);
    const Eigen::VectorXd b = spectral_capacity(spread, transport, into, bins);
    std::printf("total capacity %.10e (unspread) %.10e (spread) W/m^2K; max channel change %.2e\n", a.sum(),
                b.sum(), (a - b).cwiseAbs().maxCoeff() / a.maxCoeff());
    EXPECT_NEAR(b.sum() / a.sum(), 1, round_off);
    EXPECT_GT((a - b).cwiseAbs().maxCoeff(), 1e-3 * a.maxCoeff());
  }

  TEST(SpectralDmm, DenseSpectraKeepUniformTemperatureAndCarryTheSpectralConductance)
  {
    const std::string folder = scratch_folder("spectral-dmm-dense");
    write_sets(folder, {4, 8});
    auto settings = sw_bilayer(4, "301", "301");
    settings["Interfaces/Spectral files"] = "si-8.h5, heavy-8.h5";
    const CaseResult uniform = run_case(folder, settings);
    ASSERT_TRUE(uniform.report.converged);
    const auto [worst_t, worst_q] = uniform_deviation(uniform, 301);
    std::printf("uniform 301 K, spectral 8^3 on transport 4^3: max |T - 301| %.2e K, max |q| %.2e W/m^2\n",
                worst_t, worst_q);
    EXPECT_LT(worst_t, 1e-11);
    EXPECT_LT(worst_q, 1e-11 * 2e9); // flux scale C |v| dT / 4 ~ 2e9 W/m^2 per kelvin

    // Bulk-free conductance: the spectral sum_c S_c over the bins, all of it carried by the
    // joined channels of the transport modes.
    const SpectralModes a = read_spectral_modes(folder + "/si-8.h5", 1);
    const SpectralModes b = read_spectral_modes(folder + "/heavy-8.h5", 1);
    const ModeSet ta = sw_set("Si-SW", 4), tb = sw_set("Si-SW-heavy72.63", 4);
    const double  lo = std::min(ta.omega.minCoeff(), tb.omega.minCoeff());
    const double  hi = std::max(ta.omega.maxCoeff(), tb.omega.maxCoeff());
    const FrequencyChannels bins{lo, (hi - lo) / channels, channels};
    const Eigen::Vector3d   n(1, 0, 0);
    const Eigen::VectorXd   sa = spectral_capacity(a, ta, -n, bins), sb = spectral_capacity(b, tb, n, bins);
    double                  spectral = 0;
    for (int c = 0; c < channels; ++c)
      if (sa[c] > 0 && sb[c] > 0)
        spectral += sa[c] * sb[c] / (sa[c] + sb[c]);
    Hdf5File      file(uniform.results_path, Hdf5File::Mode::read);
    const int     joined = file.read_doubles("interfaces/0/frequency").size();
    const double  run    = landauer_conductance(uniform);
    std::printf("Landauer G: run %.10g, spectral %.10g (file %.10g) W/m^2K; %d channels from %d bins\n", run,
                spectral, file.read_double_attribute("interfaces/0", "spectral_landauer_conductance"), joined,
                channels);
    EXPECT_NEAR(file.read_double_attribute("interfaces/0", "spectral_landauer_conductance") / spectral, 1, round_off);
    EXPECT_NEAR(run / spectral, 1, round_off);
    EXPECT_LT(joined, channels); // 4^3 transport modes cannot carry every 8^3 bin alone
  }

  TEST(SpectralDmm, RefusesSetsOfAnotherCrystalOrOffTheirMesh)
  {
    const std::string folder = scratch_folder("spectral-dmm-refusals");
    ModeSet off_mesh = sw_set("Si-SW", 4);
    off_mesh.provenance["q_mesh"] = "5 5 5";
    write_mode_database(folder + "/off-mesh.h5", off_mesh);
    ModeSet no_mesh = sw_set("Si-SW", 4);
    no_mesh.provenance.erase("q_mesh");
    write_mode_database(folder + "/no-mesh.h5", no_mesh);
    ModeSet other_axis = sw_set("Si-SW", 4);
    other_axis.provenance["transport_axis"] = "z";
    write_mode_database(folder + "/other-axis.h5", other_axis);
    const std::string off = error_of([&] { read_spectral_modes(folder + "/off-mesh.h5", 1); });
    const std::string none = error_of([&] { read_spectral_modes(folder + "/no-mesh.h5", 1); });
    const std::string axis = error_of([&] {
      check_same_crystal(read_spectral_modes(folder + "/other-axis.h5", 1), sw_set("Si-SW", 4));
    });
    const std::string material = error_of([&] {
      check_same_crystal(read_spectral_modes(folder + "/other-axis.h5", 1), sw_set("Si-SW-heavy72.63", 4));
    });
    for (const std::string &message : {off, none, axis, material})
      {
        std::printf("%s\n", message.c_str());
        EXPECT_FALSE(message.empty());
        EXPECT_EQ(message.find('\n'), std::string::npos);
      }
    EXPECT_NE(off.find("do not lie on the 5 5 5 mesh"), std::string::npos);
    EXPECT_NE(none.find("no q_mesh"), std::string::npos);
    EXPECT_NE(axis.find("transport_axis"), std::string::npos);
    EXPECT_NE(material.find("material"), std::string::npos);
  }
} // namespace
