
// AMM on dense sets (Interfaces/Model = amm with Spectral files, interface/anisotropic_classes.h)
// and the refinement of dense sets along the interface normal (interface/normal_refinement.h).
// Refinement: on an analytic band the refined frequencies and normal velocities lie within
// the cubic Hermite error bounds of the exact ones, in-plane velocities and densities are
// kept exactly; two crossing bands (at and between mesh points, either normal) are followed
// branch by branch within the same bounds; a mesh with a hole along the normal is refused in
// one line.
// Coupling (Stillinger-Weber Si | its 72.63 amu twin, dense 8^3 sets, 4^3 transport
// modes): every arriving transport mode leaves with all its flux, the flux between groups
// is symmetric and carries the dense sets' Landauer conductance; two identical crystals are
// transparent on the dense sets; a uniform temperature crosses unchanged; settings without
// dense sets are refused.
#include "interface/anisotropic_classes.h"
#include "interface/normal_refinement.h"
#include "scattering/hdf5_file.h"
#include "spectral_sets.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  constexpr double round_off    = 1e-12; // sums over a few thousand modes and classes
  constexpr double density_si   = 2329;  // [kg/m^3]
  constexpr double heavy_mass   = 72.63; // [amu]
  constexpr double silicon_mass = 28.0855;

  /// One band on a simple cubic lattice (a), mesh n^3 about Gamma:
  /// omega = base + A sin^2(q_z a / 2) + C sin^2(q_x a / 2), v = grad omega.
  struct AnalyticBand
  {
    double a = 3e-10, base = 1e13, A = 4e13, C = 2e13;
    double omega(const Eigen::Vector3d &q) const
    {
      return base + A * std::pow(std::sin(q.z() * a / 2), 2) + C * std::pow(std::sin(q.x() * a / 2), 2);
    }
    Eigen::Vector3d velocity(const Eigen::Vector3d &q) const
    {
      return {C * a / 2 * std::sin(q.x() * a), 0, A * a / 2 * std::sin(q.z() * a)};
    }
    ModeSet modes(int n) const
    {
      ModeSet set;
      set.material = "analytic", set.temperature = 300;
      set.cell     = a * Eigen::Matrix3d::Identity();
      const int size = n * n * n;
      set.omega.resize(size), set.density = Eigen::VectorXd::Constant(size, 1 / (size * std::pow(a, 3)));
      set.velocity.resize(size, 3), set.wavevector.resize(size, 3);
      for (int i = 0, mu = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
          for (int k = 0; k < n; ++k, ++mu)
            {
              const Eigen::Vector3d q = 2 * M_PI / a * Eigen::Vector3d(i, j, k) / n;
              set.wavevector.row(mu) = q.transpose();
              set.omega[mu]          = omega(q);
              set.velocity.row(mu)   = velocity(q).transpose();
            }
      return set;
    }
  };

  TEST(NormalRefinement, MatchesAnAnalyticBandWithinTheHermiteBounds)
  {
    const AnalyticBand band;
    constexpr int      n = 8, factor = 5;
    const ModeSet      coarse  = band.modes(n);
    const ModeSet      refined = refined_along_normal(coarse, Eigen::Vector3d::UnitZ(), factor);
    // Cubic Hermite on a step h: |f - p| <= h^4 max|f''''| / 384, |f' - p'| <= sqrt(3) / 216
    // h^3 max|f''''|; here max|f''''| = A a^4 / 2 along the normal.
    const double h = 2 * M_PI / band.a / n, fourth = band.A * std::pow(band.a, 4) / 2;
    const double omega_bound = std::pow(h, 4) * fourth / 384 + round_off * band.A;
    const double v_bound     = std::sqrt(3.0) / 216 * std::pow(h, 3) * fourth + round_off * band.A * band.a;
    double       worst_omega = 0, worst_vn = 0, worst_in_plane = 0;
    for (unsigned int mu = 0; mu < refined.size(); ++mu)
      {
        const Eigen::Vector3d q = refined.wavevector.row(mu).transpose(), v = refined.velocity.row(mu).transpose();
        worst_omega    = std::max(worst_omega, std::abs(refined.omega[mu] - band.omega(q)));
        worst_vn       = std::max(worst_vn, std::abs(v.z() - band.velocity(q).z()));
        worst_in_plane = std::max(worst_in_plane, std::abs(v.x() - band.velocity(q).x()) + std::abs(v.y()));
      }
    std::printf("refined x%d: max |omega error| %.3e (bound %.3e) rad/s, max |v_n error| %.3e (bound %.3e), "
                "in-plane %.1e m/s\n", factor, worst_omega, omega_bound, worst_vn, v_bound, worst_in_plane);
    ASSERT_EQ(refined.size(), coarse.size() * factor);
    EXPECT_LT(worst_omega, omega_bound);
    EXPECT_LT(worst_vn, v_bound);
    EXPECT_LT(worst_in_plane, round_off * band.C * band.a); // v_x depends on q_x only: kept exactly
    EXPECT_NEAR(refined.density.sum() / coarse.density.sum(), 1, round_off);
    EXPECT_GT(worst_omega, 0); // the sub-cells are not the mesh points: the test is not vacuous

    const ModeSet same = refined_along_normal(coarse, Eigen::Vector3d::UnitZ(), 1);
    EXPECT_EQ(same.omega, coarse.omega);
  }

  /// Two bands that cross along the normal: the rising band of AnalyticBand and a falling
  /// one, omega_2 = base + 0.9 A - 0.8 A sin^2(q_z a / 2); they meet at q_z a = pi / 2, a mesh
  /// point for n = 8 and between points for n = 6.
  ModeSet crossing_bands(const AnalyticBand &band, int n)
  {
    const ModeSet rising = band.modes(n);
    ModeSet       both   = rising;
    const int     size   = rising.size();
    both.omega.resize(2 * size), both.density.resize(2 * size);
    both.velocity.resize(2 * size, 3), both.wavevector.resize(2 * size, 3);
    for (int mu = 0; mu < size; ++mu)
      for (const int copy : {0, 1})
        {
          const Eigen::Vector3d q = rising.wavevector.row(mu).transpose();
          const double          s = std::pow(std::sin(q.z() * band.a / 2), 2);
          both.wavevector.row(2 * mu + copy) = q.transpose();
          both.density[2 * mu + copy]        = rising.density[mu];
          both.omega[2 * mu + copy] = copy == 0 ? rising.omega[mu] : band.omega(q) + band.A * (0.9 - 1.8 * s);
          both.velocity.row(2 * mu + copy) = (copy == 0 ? band.velocity(q) :
                                                          Eigen::Vector3d(band.velocity(q).x(), 0,
                                                                          -0.8 * band.A * band.a / 2 *
                                                                            std::sin(q.z() * band.a))).transpose();
        }
    return both;
  }

  TEST(NormalRefinement, FollowsCrossingBandsWithinTheHermiteBounds)
  {
    // Sorted bands swap labels at a crossing; the refinement joins branches across each step,
    // so every refined mode lies within the Hermite bounds of one of the two bands, for a
    // crossing at a mesh point and between points, and for both signs of the normal.
    const AnalyticBand band;
    constexpr int      factor = 5;
    for (const int n : {6, 8})
      for (const double sign : {1.0, -1.0})
        {
          const ModeSet coarse  = crossing_bands(band, n);
          const ModeSet refined = refined_along_normal(coarse, sign * Eigen::Vector3d::UnitZ(), factor);
          const double  h = 2 * M_PI / band.a / n, fourth = band.A * std::pow(band.a, 4) / 2;
          const double  omega_bound = std::pow(h, 4) * fourth / 384 + round_off * band.A;
          const double  v_bound     = std::sqrt(3.0) / 216 * std::pow(h, 3) * fourth + round_off * band.A * band.a;
          // Each refined mode against the band it follows: the one whose errors, in units of
          // their bounds, are the smaller (near the crossing both frequencies are close).
          double worst = 0;
          for (unsigned int mu = 0; mu < refined.size(); ++mu)
            {
              const Eigen::Vector3d q = refined.wavevector.row(mu).transpose();
              const double          s = std::pow(std::sin(q.z() * band.a / 2), 2);
              const double omega[2] = {band.omega(q), band.omega(q) + band.A * (0.9 - 1.8 * s)};
              const double vn[2]    = {band.velocity(q).z(), -0.8 * band.velocity(q).z()};
              double       nearest  = std::numeric_limits<double>::max();
              for (const int b : {0, 1})
                nearest = std::min(nearest, std::max(std::abs(refined.omega[mu] - omega[b]) / omega_bound,
                                                     std::abs(refined.velocity(mu, 2) - vn[b]) / v_bound));
              worst = std::max(worst, nearest);
            }
          std::printf("crossing bands, mesh %d, normal %+.0f z: largest error in units of the Hermite bounds "
                      "(omega %.3e, v_n %.3e) %.3f\n", n, sign, omega_bound, v_bound, worst);
          EXPECT_EQ(refined.size(), coarse.size() * factor);
          EXPECT_LT(worst, 1);
        }
  }

  TEST(NormalRefinement, RefusesAMeshWithAHoleAlongTheNormal)
  {
    const AnalyticBand band;
    ModeSet            holed = band.modes(6);
    const int          last  = holed.size() - 1; // q = (5, 5, 5) / 6: not Gamma
    holed.omega.conservativeResize(last), holed.density.conservativeResize(last);
    holed.velocity.conservativeResize(last, 3), holed.wavevector.conservativeResize(last, 3);
    const std::string message = error_of([&] { refined_along_normal(holed, Eigen::Vector3d::UnitZ(), 4); });
    std::printf("%s\n", message.c_str());
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_NE(message.find("not equally spaced along the interface normal"), std::string::npos);
  }

  TEST(AnisotropicClasses, TransportFluxConservesEnergyIsReciprocalAndCarriesTheDenseConductance)
  {
    const ModeSet ta = sw_set("Si-SW", 4), tb = sw_set("Si-SW-heavy72.63", 4);
    const ModeSet da = sw_set("Si-SW", 8), db = sw_set("Si-SW-heavy72.63", 8);
    const double  lo = std::min(da.omega.minCoeff(), db.omega.minCoeff());
    const double  hi = std::max(da.omega.maxCoeff(), db.omega.maxCoeff());
    const FrequencyChannels bins{lo, (hi - lo) / channels, channels};
    const Eigen::Vector3d   n(1, 0, 0);
    for (const unsigned int refinement : {1u, 4u})
      {
        AnisotropicClassesReport report;
        const ModeCoupling coupling = anisotropic_mismatch_classes(
          ta, tb, bins.channels_of(ta), bins.channels_of(tb), da, db, bins, n, density_si,
          density_si * heavy_mass / silicon_mass, false, refinement, 0, report);
        const auto [worst_sum, asymmetry, carried] = group_balance(coupling, ta, tb, n);
        std::printf("refinement %u: %u / %u refined modes, dense transmitted %.4f, %u groups, max |row - 1| "
                    "%.2e, asymmetry %.2e, carried G %.10g of dense %.10g W/m^2K\n",
                    refinement, report.refined_a, report.refined_b, report.dense.transmitted,
                    report.carried.groups, worst_sum, asymmetry, carried, report.carried.dense_conductance);
        EXPECT_LT(worst_sum, round_off);
        EXPECT_LT(asymmetry, round_off);
        EXPECT_NEAR(carried / report.carried.carried_conductance, 1, round_off);
        EXPECT_NEAR(report.carried.carried_conductance / report.carried.dense_conductance, 1, round_off);
        EXPECT_LT(report.dense.asymmetry, round_off);
        EXPECT_LT(report.dense.conservation, round_off);
        EXPECT_GT(report.dense.transmitted, 0.1); // the interface transmits: the test is not vacuous
      }
  }

  TEST(AnisotropicClasses, IdenticalCrystalsAreTransparentOnTheDenseSets)
  {
    const ModeSet           t = sw_set("Si-SW", 4), d = sw_set("Si-SW", 8);
    const FrequencyChannels bins{d.omega.minCoeff(), (d.omega.maxCoeff() - d.omega.minCoeff()) / channels, channels};
    const Eigen::Vector3d   n(1, 0, 0);
    AnisotropicClassesReport report;
    anisotropic_mismatch_classes(t, t, bins.channels_of(t), bins.channels_of(t), d, d, bins, n, density_si, density_si,
                                 false, 4, 0, report);
    // All the dense sets' arriving flux crosses: the Landauer conductance is one side's capacity.
    const ModeSet   refined = refined_along_normal(d, n, 4);
    const double    capacity = arriving_flux_weight(refined, n).sum();
    std::printf("Si-SW | Si-SW: dense transmitted %.15f, dense Landauer G %.10g, capacity %.10g W/m^2K\n",
                report.dense.transmitted, report.carried.dense_conductance, capacity);
    EXPECT_NEAR(report.dense.transmitted, 1, round_off);
    EXPECT_NEAR(report.carried.dense_conductance / capacity, 1, round_off);
  }

  std::map<std::string, std::string> amm_bilayer(const std::string &left, const std::string &right)
  {
    auto settings = sw_bilayer(4, left, right);
    settings["Interfaces/Model"]          = "amm";
    settings["Interfaces/Mass densities"] = number(density_si) + ", " + number(density_si * heavy_mass / silicon_mass);
    settings["Interfaces/Spectral files"] = "si-8.h5, heavy-8.h5";
    return settings;
  }

  TEST(AnisotropicClasses, UniformTemperatureCrossesUnchangedAndTheDenseConductanceIsCarried)
  {
    const std::string folder = scratch_folder("amm-classes-uniform");
    write_sets(folder, {4, 8});
    const CaseResult result = run_case(folder, amm_bilayer("301", "301"));
    ASSERT_TRUE(result.report.converged);
    const auto [worst_t, worst_q] = uniform_deviation(result, 301);
    Hdf5File     file(result.results_path, Hdf5File::Mode::read);
    const double run   = file.read_double_attribute("interfaces/0", "landauer_conductance");
    const double dense = file.read_double_attribute("interfaces/0", "spectral_landauer_conductance");
    std::printf("max |T - 301| %.2e K, max |q| %.2e W/m^2; Landauer G run %.10g, dense %.10g W/m^2K\n", worst_t,
                worst_q, run, dense);
    EXPECT_LT(worst_t, 1e-11);
    EXPECT_LT(worst_q, 1e-11 * 2e9); // flux scale C |v| dT / 4 ~ 2e9 W/m^2 per kelvin
    EXPECT_NEAR(run / dense, 1, round_off);
  }

  TEST(AnisotropicClasses, RefusesRefinementAndClassWidthWithoutDenseSets)
  {
    const std::string folder = scratch_folder("amm-classes-refusals");
    write_sets(folder, {4});
    auto refinement = amm_bilayer("301", "300");
    refinement.erase("Interfaces/Spectral files");
    auto width = refinement;
    refinement["Interfaces/Normal refinement"] = "2";
    width["Interfaces/Class width"]            = "1e9";
    const std::string no_sets_refinement = error_of([&] { run_case(folder, refinement); });
    const std::string no_sets_width      = error_of([&] { run_case(folder, width); });
    for (const std::string &message : {no_sets_refinement, no_sets_width})
      {
        std::printf("%s\n", message.c_str());
        EXPECT_EQ(message.find('\n'), std::string::npos);
      }
    EXPECT_NE(no_sets_refinement.find("Normal refinement is given, but amm uses it only with Spectral files"),
              std::string::npos);
    EXPECT_NE(no_sets_width.find("Class width is given, but amm uses it only with Spectral files"),
              std::string::npos);
  }
} // namespace
