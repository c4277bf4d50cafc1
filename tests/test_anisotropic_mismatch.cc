// AMM between ab initio (anisotropic) mode sets: Stillinger-Weber Si and the same force
// constants with 72.63 amu atoms (a mass-only mismatch, the validation/nemd pair) on small
// q-meshes. The flux matrix over arriving modes is symmetric (detailed balance) with rows W
// (energy conservation), every transfer keeps the frequency channel and q_par modulo the
// in-plane reciprocal lattice, two identical materials are transparent mode by mode, a
// uniform temperature crosses unchanged, and incoherent pairs are refused with one line.
#include "ab_initio_case.h"
#include "interface/anisotropic_mismatch.h"
#include "scattering/mode_database.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  constexpr double round_off    = 1e-12; // sums of at most a few hundred fractions
  constexpr int    channels     = 40;    // common frequency bins, as Interfaces/Frequency bins
  constexpr double density_si   = 2329;  // [kg/m^3]
  constexpr double heavy_mass   = 72.63; // [amu]
  constexpr double silicon_mass = 28.0855;

  const ModeSet &sw_silicon(const std::string &material, int mesh)
  {
    static std::map<std::pair<std::string, int>, ModeSet> cache;
    auto found = cache.find({material, mesh});
    if (found == cache.end())
      {
        phonons::CollisionOptions options; // harmonic modes only: the coupling needs no lifetimes
        ModeSet modes = ab_initio_case(material, {{mesh, mesh, mesh}}, options).set.modes;
        modes.tau     = Eigen::VectorXd::Constant(modes.size(), 1e-11); // a spatial run needs some
        found         = cache.emplace(std::make_pair(material, mesh), modes).first;
      }
    return found->second;
  }

  /// Common frequency bins of two sets (InterfaceModel::assign_channels).
  std::pair<std::vector<int>, std::vector<int>> frequency_channels(const ModeSet &a, const ModeSet &b)
  {
    const double lo = std::min(a.omega.minCoeff(), b.omega.minCoeff());
    const double hi = std::max(a.omega.maxCoeff(), b.omega.maxCoeff());
    const auto   bins = [&](const ModeSet &m) {
      std::vector<int> c;
      for (unsigned int mu = 0; mu < m.size(); ++mu)
        c.push_back(std::min<int>((m.omega[mu] - lo) / (hi - lo) * channels, channels - 1));
      return c;
    };
    return {bins(a), bins(b)};
  }

  /// Short lattice vectors of `cell` (rows) in the plane normal to n.
  std::vector<Eigen::Vector3d> in_plane_vectors(const Eigen::Matrix3d &cell, const Eigen::Vector3d &n)
  {
    std::vector<Eigen::Vector3d> vectors;
    for (int i = -2; i <= 2; ++i)
      for (int j = -2; j <= 2; ++j)
        for (int k = -2; k <= 2; ++k)
          {
            const Eigen::Vector3d r = (double(i) * cell.row(0) + double(j) * cell.row(1) + double(k) * cell.row(2)).transpose();
            if (r.norm() > 0 && std::abs(r.dot(n)) < 1e-9 * r.norm())
              vectors.push_back(r);
          }
    return vectors;
  }

  struct AmmCase
  {
    const ModeSet &a, &b;
    Eigen::Vector3d n{1, 0, 0};
    AnisotropicMismatchReport report;
    Eigen::MatrixXd           S;                      // arriving i into -q of arriving k; a first
    std::vector<double>       transmitted_a;          // per mode of a: transmitted fraction
    double worst_sum = 0, worst_channel = 0, off_parallel = 0, worst_twin = 0, arriving = 0;
    int    n_standing = 0; // arriving modes of a with round-off v.n
    bool   same_crystal;   // b is a, or a scaled copy of it: the impedance check below applies

    AmmCase(const ModeSet &a_, const ModeSet &b_, double rho_a, double rho_b, bool pseudomorphic = false)
      : a(a_), b(b_), same_crystal(&a_ == &b_ || a_.velocity == b_.velocity)
    {
      const auto [channel_a, channel_b] = frequency_channels(a, b);
      const ModeCoupling c =
        anisotropic_acoustic_mismatch(a, b, channel_a, channel_b, n, rho_a, rho_b, pseudomorphic, report);
      const Eigen::VectorXd w_a = arriving_flux_weight(a, n), w_b = arriving_flux_weight(b, -n);
      const auto reverse_a = time_reversed_on_mesh(a, channel_a), reverse_b = time_reversed_on_mesh(b, channel_b);
      const int  n_a = a.size();
      const std::vector<Eigen::Vector3d> in_plane = in_plane_vectors(a.cell, n);
      const double scale_b = b.cell.row(0).norm() / a.cell.row(0).norm(); // the tests' misfits are uniform
      EXPECT_GE(in_plane.size(), 4u); // the check below is not vacuous
      S = Eigen::MatrixXd::Zero(n_a + b.size(), n_a + b.size());
      transmitted_a.assign(a.size(), 0);
      // Modes whose v.n vanishes by symmetry (round-off v.n) are sent back into -q by design.
      const auto standing = [&](const ModeSet &m, int mode) {
        return std::abs(m.velocity.row(mode).dot(n)) <= 1e-9 * m.velocity.rowwise().norm().maxCoeff();
      };
      const auto add = [&](bool from_a, int mode, double w, const auto &own, const auto &other) {
        double sum = 0;
        for (const bool into_a : {from_a, !from_a})
          for (const auto &[entering, fraction] : (into_a == from_a ? own : other)[mode])
            {
              const ModeSet &from = from_a ? a : b, &into = into_a ? a : b;
              const int k = into_a ? reverse_a[entering] : n_a + reverse_b[entering];
              S(from_a ? mode : n_a + mode, k) += w * fraction;
              sum += fraction;
              if (from_a && !into_a)
                transmitted_a[mode] += fraction;
              // Elastic (same channel), and q_par kept modulo the in-plane reciprocal lattice:
              // q_par differences turn by whole periods along every in-plane lattice vector.
              const auto &ch_from = from_a ? channel_a : channel_b, &ch_into = into_a ? channel_a : channel_b;
              worst_channel = std::max(worst_channel, double(std::abs(ch_from[mode] - ch_into[entering])));
              // Each side's q in its own in-plane lattice (b's is a's scaled when pseudomorphic).
              const double scale_into = into_a ? 1 : scale_b, scale_from = from_a ? 1 : scale_b;
              const Eigen::Vector3d dq = scale_into * into.wavevector.row(entering).transpose() -
                                         scale_from * from.wavevector.row(mode).transpose();
              double miss = 0;
              for (const Eigen::Vector3d &r : in_plane)
                {
                  const double turns = (dq - dq.dot(n) * n).dot(r) / (2 * M_PI);
                  miss = std::max(miss, std::abs(turns - std::round(turns)));
                }
              if (miss > 1e-9 && !standing(from, mode))
                off_parallel += w * fraction;
              // Identical materials: the transmitted phonon has the arriving one's normal
              // impedance |v|^2 / |v.n| (itself, or a mode that the model cannot tell from it).
              if (same_crystal && from_a && !into_a && !standing(from, mode))
                {
                  const auto impedance = [&](const ModeSet &m, int mu) {
                    return m.velocity.row(mu).squaredNorm() / std::abs(m.velocity.row(mu).dot(n));
                  };
                  if (std::abs(impedance(into, entering) / impedance(from, mode) - 1) > 1e-9)
                    worst_twin += w * fraction; // flux into another impedance (summed below)
                }
            }
        worst_sum = std::max(worst_sum, std::abs(sum - 1));
      };
      for (int i = 0; i < n_a; ++i)
        if (w_a[i] > 0)
          {
            add(true, i, w_a[i], c.a_to_a, c.a_to_b);
            n_standing += standing(a, i);
            arriving += w_a[i];
          }
      for (unsigned int j = 0; j < b.size(); ++j)
        if (w_b[j] > 0)
          {
            add(false, j, w_b[j], c.b_to_b, c.b_to_a);
            arriving += w_b[j];
          }
      std::printf("AMM %s | %s: %u classes, transmitted %.6f, back into -q %.2e, max |sum - 1| %.2e, "
                  "asymmetry %.2e (setup check %.2e, %.2e), max channel change %g, flux off q_par %.2e "
                  "(%d standing modes of a)\n",
                  a.material.c_str(), b.material.c_str(), report.classes, report.transmitted,
                  report.back_scattered, worst_sum, asymmetry(), report.asymmetry, report.conservation,
                  worst_channel, off_parallel / arriving, n_standing);
    }

    double asymmetry() const { return (S - S.transpose()).cwiseAbs().maxCoeff() / S.cwiseAbs().maxCoeff(); }
  };

  TEST(AnisotropicAmm, DetailedBalanceEnergyConservationAndParallelWavevector)
  {
    const double rho_heavy = density_si * heavy_mass / silicon_mass;
    for (const int mesh : {4, 6})
      {
        const AmmCase amm(sw_silicon("Si-SW", mesh), sw_silicon("Si-SW-heavy72.63", mesh), density_si, rho_heavy);
        EXPECT_LT(amm.worst_sum, round_off);
        EXPECT_LT(amm.asymmetry(), round_off);
        EXPECT_EQ(amm.worst_channel, 0);
        // q_par is kept but for the residuals sent back into -q for lack of a class partner.
        EXPECT_LE(amm.off_parallel / amm.arriving, amm.report.back_scattered + round_off);
        // Both mechanisms present: some flux crosses, some is reflected (mass mismatch).
        EXPECT_GT(amm.report.transmitted, 0.05);
        EXPECT_LT(amm.report.transmitted, 0.5);
        // Cubic crystal, (100) plane: C2 about n maps class q_par onto -q_par with equal class
        // fluxes, but not mode by mode (near-degenerate modes' velocities depend on the basis of
        // their subspace), so class residuals differ slightly and a little flux goes back into -q.
        EXPECT_LT(amm.report.back_scattered, 1e-3);
      }
  }

  TEST(AnisotropicAmm, IdenticalMaterialsAreTransparentModeByMode)
  {
    // Same force constants, same masses, same densities: every arriving mode transmits all
    // its flux, into a mode of its own impedance (the interface is not there).
    const ModeSet &si = sw_silicon("Si-SW", 6);
    const AmmCase  amm(si, si, density_si, density_si);
    double         worst = 0;
    const Eigen::VectorXd w = arriving_flux_weight(si, amm.n);
    const double floor = 1e-9 * si.velocity.rowwise().norm().maxCoeff();
    for (unsigned int i = 0; i < si.size(); ++i)
      if (w[i] > 0 && std::abs(si.velocity(i, 0)) > floor) // not a standing mode (v.n at round-off)
        worst = std::max(worst, std::abs(amm.transmitted_a[i] - 1));
    std::printf("identical Si-SW: max |transmission - 1| %.2e, flux into another impedance %.2e\n", worst,
                amm.worst_twin / amm.arriving);
    EXPECT_LT(worst, round_off);
    EXPECT_LT(amm.worst_twin / amm.arriving, round_off); // round-off crumbs of the pairing only
    EXPECT_LT(amm.worst_sum, round_off);
    EXPECT_NEAR(amm.report.transmitted, 1, round_off); // the standing modes' flux is at round-off
    EXPECT_GT(amm.n_standing, 0);                      // and they exist: the exclusion is not vacuous
  }

  /// A copy of `modes` on a lattice scaled by s: cell x s, wavevectors / s, bands unchanged.
  ModeSet scaled_lattice(const ModeSet &modes, double s)
  {
    ModeSet scaled = modes;
    scaled.cell *= s, scaled.wavevector /= s;
    return scaled;
  }

  TEST(AnisotropicAmm, PseudomorphicPairsKeepReducedParallelWavevector)
  {
    // Interfaces/Pseudomorphic: a crystal against its own bands on a 4 % larger lattice (both
    // strained onto one) is transparent mode by mode, as two identical materials; Si | heavy
    // Si with the heavy side scaled transmits what the unscaled pair does (the classes are the
    // same in reduced coordinates), and the misfit is reported.
    constexpr double misfit = 0.04;
    const ModeSet   &si = sw_silicon("Si-SW", 6), &heavy = sw_silicon("Si-SW-heavy72.63", 6);
    const ModeSet    si_scaled = scaled_lattice(si, 1 + misfit), heavy_scaled = scaled_lattice(heavy, 1 + misfit);
    const AmmCase    twins(si, si_scaled, density_si, density_si, true);
    double           worst = 0;
    const Eigen::VectorXd w = arriving_flux_weight(si, twins.n);
    const double floor = 1e-9 * si.velocity.rowwise().norm().maxCoeff();
    for (unsigned int i = 0; i < si.size(); ++i)
      if (w[i] > 0 && std::abs(si.velocity(i, 0)) > floor)
        worst = std::max(worst, std::abs(twins.transmitted_a[i] - 1));
    std::printf("Si-SW | Si-SW on a %.0f %% larger lattice, pseudomorphic: max |transmission - 1| %.2e, "
                "misfit %.6f\n", 100 * misfit, worst, twins.report.misfit);
    EXPECT_LT(worst, round_off);
    EXPECT_LT(twins.worst_twin / twins.arriving, round_off);
    EXPECT_NEAR(twins.report.misfit, misfit, round_off);
    EXPECT_LT(twins.off_parallel / twins.arriving, twins.report.back_scattered + round_off);

    const double  rho_heavy = density_si * heavy_mass / silicon_mass;
    const AmmCase plain(si, heavy, density_si, rho_heavy), strained(si, heavy_scaled, density_si, rho_heavy, true);
    EXPECT_LT(strained.worst_sum, round_off);
    EXPECT_LT(strained.asymmetry(), round_off);
    EXPECT_EQ(strained.worst_channel, 0);
    EXPECT_LE(strained.off_parallel / strained.arriving, strained.report.back_scattered + round_off);
    EXPECT_EQ(strained.report.classes, plain.report.classes);
    EXPECT_NEAR(strained.report.transmitted, plain.report.transmitted, round_off);
    EXPECT_LT((strained.S - plain.S).cwiseAbs().maxCoeff(), round_off * plain.S.cwiseAbs().maxCoeff());
  }

  TEST(AnisotropicAmm, UniformTemperatureStaysUniform)
  {
    const std::string folder = scratch_folder("amm-anisotropic-uniform");
    write_mode_database(folder + "/si.h5", sw_silicon("Si-SW", 5));
    write_mode_database(folder + "/heavy.h5", sw_silicon("Si-SW-heavy72.63", 5));
    const std::map<std::string, std::string> settings = {
      {"Dimension", "1"},
      {"Materials/Names", "Si, heavy"},
      {"Materials/Files", "si.h5, heavy.h5"},
      {"Mesh/Layers", "Si:1e-7:8, heavy:1e-7:8"},
      {"Interfaces/Model", "amm"},
      {"Interfaces/Frequency bins", std::to_string(channels)},
      {"Interfaces/Mass densities", number(density_si) + ", " + number(density_si * heavy_mass / silicon_mass)},
      {"Solver/Reference temperature", "300"},
      {"Solver/Tolerance", "1e-14"},
      {"Boundaries/Left", "thermalizing 301"},
      {"Boundaries/Right", "thermalizing 301"},
      {"Output/Line points", "100"}};
    const CaseResult result = run_case(folder, settings);
    ASSERT_TRUE(result.report.converged);
    const auto [worst_t, worst_q] = uniform_deviation(result, 301);
    // Flux scale: C |v| dT / 4 ~ 1.6e6 J/m^3K x 5e3 m/s x 1 K / 4 ~ 2e9 W/m^2.
    std::printf("uniform 301 K through AMM Si | heavy Si (5^3): max |T - 301| %.2e K, max |q| %.2e W/m^2\n",
                worst_t, worst_q);
    EXPECT_LT(worst_t, 1e-11);
    EXPECT_LT(worst_q, 1e-11 * 2e9);
  }

  TEST(AnisotropicAmm, RefusesIncoherentPairs)
  {
    const auto refusal = [](const ModeSet &a, const ModeSet &b) {
      const auto [channel_a, channel_b] = frequency_channels(a, b);
      AnisotropicMismatchReport report;
      return error_of([&]() {
        anisotropic_acoustic_mismatch(a, b, channel_a, channel_b, Eigen::Vector3d(1, 0, 0), 1, 1, false, report);
      });
    };
    const std::string meshes = refusal(sw_silicon("Si-SW", 4), sw_silicon("Si-SW-heavy72.63", 6));
    std::printf("%s\n", meshes.c_str());
    EXPECT_NE(meshes.find("same in-plane q-mesh"), std::string::npos) << meshes;
    const ModeSet stretched = scaled_lattice(sw_silicon("Si-SW-heavy72.63", 4), 1.04); // a 4 % misfit
    const std::string lattice = refusal(sw_silicon("Si-SW", 4), stretched);
    std::printf("%s\n", lattice.c_str());
    EXPECT_NE(lattice.find("one lattice along the interface"), std::string::npos) << lattice;
    ModeSet sheared = sw_silicon("Si-SW-heavy72.63", 4); // stretched along y only: not a uniform scale
    sheared.cell.col(1) *= 1.04, sheared.wavevector.col(1) /= 1.04;
    const auto [channel_a, channel_b] = frequency_channels(sw_silicon("Si-SW", 4), sheared);
    AnisotropicMismatchReport report;
    const std::string shape = error_of([&]() {
      anisotropic_acoustic_mismatch(sw_silicon("Si-SW", 4), sheared, channel_a, channel_b, Eigen::Vector3d(1, 0, 0),
                                    1, 1, true, report);
    });
    std::printf("%s\n", shape.c_str());
    EXPECT_NE(shape.find("differ only by a uniform scale"), std::string::npos) << shape;
    ModeSet bare = sw_silicon("Si-SW", 4);
    bare.cell.setZero();
    EXPECT_NE(refusal(bare, bare).find("needs wavevectors and the crystal cell"), std::string::npos);
    for (const std::string &message : {meshes, lattice, shape})
      EXPECT_EQ(message.find('\n'), std::string::npos);
  }
} // namespace
