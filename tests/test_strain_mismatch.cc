// The strain mismatch model (misfit dislocations) on two gray Debye media: every arriving
// mode leaves with all its energy flux, the flux matrix is reciprocal (detailed balance),
// strain scattering transfers only momenta q_par -> q_par + G_m of the dislocation array,
// a vanishing strain field leaves the background (DMM when diffuse; with parallel momentum
// kept, Snell's total internal reflection), and a weak one scatters with the golden-rule
// probability (proportional to the Burgers vector squared). Three arrays at 120 degrees
// (basal wurtzite/4H) keep all of it, with the Fourier vectors of the hexagonal network.
#include "interface/strain_mismatch.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  kapitza::ModeSet debye_gray_on(const std::string &name, double speed, double heat_capacity, unsigned int polar,
                                 unsigned int azimuthal)
  {
    kapitza::GrayMaterial gray;
    gray.name = name, gray.speed = speed, gray.heat_capacity = heat_capacity;
    kapitza::ModeSet modes = kapitza::gray_material(gray, kapitza::product_quadrature(polar, azimuthal, true));
    modes.wavevector       = modes.velocity * (gray.omega / (speed * speed));
    return modes;
  }

  kapitza::ModeSet debye_gray(const std::string &name, double speed, double heat_capacity)
  {
    return debye_gray_on(name, speed, heat_capacity, 16, 4);
  }

  // Distance of Q (n = x) from the nearest line through the G_m of one array: the first
  // array's lines run along z (G_m along y), array k's are turned by k 180/arrays degrees
  // about x (90 for two arrays; 60, i.e. 120 up to the sense of a line, for three).
  double distance_to_arrays(const Eigen::Vector3d &q, unsigned int arrays)
  {
    double nearest = INFINITY;
    for (unsigned int k = 0; k < arrays; ++k)
      {
        const double          angle = k * M_PI / arrays;
        const Eigen::Vector3d line(0, -std::sin(angle), std::cos(angle));
        nearest = std::min(nearest, std::abs(q.dot(line)));
      }
    return nearest;
  }

  struct SmmCase
  {
    kapitza::ModeSet a = debye_gray("a", 1000, 1e6), b = debye_gray("b", 3000, 2e6);
    Eigen::Vector3d  n{1, 0, 0};
    kapitza::StrainMismatchReport report;
    // Properties of the flux matrix S(i, k) (arriving i into the time reverse of arriving k).
    double worst_sum = 0, asymmetry = 0, transmitted = 0, off_momentum = 0, arriving = 0;
    std::vector<double> transmitted_fraction; // per mode of a (arriving ones)

    Eigen::MatrixXd S; // over the arriving modes of a, then b
    // Final states of the golden-rule sums: none (the transport modes), the same sets, or
    // gray sets on a finer angular quadrature.
    enum class Finals { transport, same, finer };

    explicit SmmCase(double burgers, bool keep_parallel_momentum = false, double resolution = 0,
                     unsigned int arrays = 1, Finals finals = Finals::transport)
    {
      kapitza::MisfitDislocations dislocations;
      dislocations.spacing = 2e-9, dislocations.burgers = burgers, dislocations.arrays = arrays;
      dislocations.keep_parallel_momentum = keep_parallel_momentum;
      dislocations.momentum_resolution    = resolution;
      transmitted_fraction.assign(a.size(), 0);
      dislocations.line    = Eigen::Vector3d(0, 0, 1); // G_m along y
      const std::vector<int> channel_a(a.size(), 0), channel_b(b.size(), 0);
      const kapitza::ModeSet fine_a = debye_gray_on("a", 1000, 1e6, 32, 8), fine_b = debye_gray_on("b", 3000, 2e6, 32, 8);
      const bool             finer = finals == Finals::finer;
      const kapitza::GoldenRuleFinalStates final_states{finer ? &fine_a : &a, finer ? &fine_b : &b,
                                                        std::vector<int>((finer ? fine_a : a).size(), 0),
                                                        std::vector<int>((finer ? fine_b : b).size(), 0)};
      const kapitza::ModeCoupling coupling =
        kapitza::strain_mismatch(a, b, channel_a, channel_b, 1e12, n, dislocations, report,
                                 finals == Finals::transport ? nullptr : &final_states);
      const Eigen::VectorXd w_a = kapitza::arriving_flux_weight(a, n), w_b = kapitza::arriving_flux_weight(b, -n);
      const auto reverse_a = kapitza::reversed_modes(a, channel_a), reverse_b = kapitza::reversed_modes(b, channel_b);
      const unsigned int n_a = a.size();
      S = Eigen::MatrixXd::Zero(n_a + b.size(), n_a + b.size());
      const auto add = [&](int from, double w, const auto &lists) {
        double sum = 0;
        for (const auto *list : lists)
          for (const auto &[entering, fraction] : *list)
            {
              const bool from_a = from < int(n_a), into_a = (list == lists[0]) == from_a;
              const int  k = into_a ? reverse_a[entering] : n_a + reverse_b[entering];
              S(from, k) += w * fraction;
              sum += fraction;
              const Eigen::Vector3d q_i = from_a ? a.wavevector.row(from) : b.wavevector.row(from - n_a);
              const Eigen::Vector3d q_k = into_a ? a.wavevector.row(k) : b.wavevector.row(k - n_a);
              // The Gaussian of Q_par - G_m is cut at 6 sigma across each array's G_m line.
              if (distance_to_arrays(q_i + q_k, arrays) > 6 * report.momentum_resolution * (1 + 1e-9))
                off_momentum += w * fraction;
              if (into_a != from_a)
                transmitted += w * fraction;
              if (into_a != from_a && from_a)
                transmitted_fraction[from] += fraction;
            }
        worst_sum = std::max(worst_sum, std::abs(sum - 1));
      };
      using Lists = std::array<const std::vector<std::pair<int, double>> *, 2>;
      for (unsigned int i = 0; i < a.size(); ++i)
        if (w_a[i] > 0)
          add(i, w_a[i], Lists{{&coupling.a_to_a[i], &coupling.a_to_b[i]}});
      for (unsigned int j = 0; j < b.size(); ++j)
        if (w_b[j] > 0)
          add(n_a + j, w_b[j], Lists{{&coupling.b_to_b[j], &coupling.b_to_a[j]}});
      asymmetry = (S - S.transpose()).cwiseAbs().maxCoeff() / S.cwiseAbs().maxCoeff();
      arriving  = w_a.sum() + w_b.sum();
      std::printf("SMM gray, b = %.1e m: golden-rule events %.4e, strain %.4e, background %.4e (diffusely "
                  "%.4e), max |sum - 1| %.2e, asymmetry %.2e, transmitted %.6f, off-momentum %.4e\n",
                  burgers, report.golden_rule_probability, report.strain_flux, report.background_flux,
                  report.diffuse_flux, worst_sum, asymmetry, transmitted / arriving, off_momentum / arriving);
    }
  };

  TEST(StrainMismatch, ConservesEnergyObeysReciprocityAndTransfersArrayMomentum)
  {
    for (const bool keep_parallel_momentum : {false, true})
      {
        const SmmCase smm(3e-10, keep_parallel_momentum);
        EXPECT_LT(smm.worst_sum, 1e-13);
        EXPECT_LT(smm.asymmetry, 1e-13);
        EXPECT_NEAR(smm.report.strain_flux + smm.report.background_flux, 1, 1e-13);
        EXPECT_GT(smm.report.strain_flux, 0.5); // a strong field: most flux scatters off it
        // Strain scattering conserves q_par up to G_m, the kept background q_par itself: any
        // other transfer left diffusely.
        const double free = keep_parallel_momentum ? smm.report.diffuse_flux : smm.report.background_flux;
        EXPECT_LE(smm.off_momentum / smm.arriving, free + 1e-13);
        EXPECT_GT(smm.transmitted, 0);
      }
  }

  // Three arrays at 120 degrees (the hexagonal misfit network of a basal interface): the
  // same invariants, and strain transfers only along the three arrays' G_m.
  TEST(StrainMismatch, ThreeArraysConserveEnergyObeyReciprocityAndTransferNetworkMomentum)
  {
    const SmmCase one(3e-10, false, 0, 1);
    for (const bool keep_parallel_momentum : {false, true})
      {
        const SmmCase smm(3e-10, keep_parallel_momentum, 0, 3);
        EXPECT_LT(smm.worst_sum, 1e-13);
        EXPECT_LT(smm.asymmetry, 1e-13);
        EXPECT_NEAR(smm.report.strain_flux + smm.report.background_flux, 1, 1e-13);
        const double free = keep_parallel_momentum ? smm.report.diffuse_flux : smm.report.background_flux;
        EXPECT_LE(smm.off_momentum / smm.arriving, free + 1e-13);
        if (!keep_parallel_momentum) // three arrays scatter more than one
          {
            EXPECT_GT(smm.report.golden_rule_probability, one.report.golden_rule_probability);
          }
      }
  }

  TEST(StrainMismatch, ArrayFourierVectorsOfTheHexagonalNetwork)
  {
    kapitza::MisfitDislocations d;
    d.line = Eigen::Vector3d(0.3, 1, 0.2); // projected into the plane of n
    const Eigen::Vector3d n = Eigen::Vector3d(1, 0, 0);
    const Eigen::Vector3d line(0, 1, 0.2);
    for (unsigned int arrays : {1u, 2u, 3u})
      {
        d.arrays                             = arrays;
        const std::vector<Eigen::Vector3d> g = kapitza::array_directions(n, d);
        ASSERT_EQ(g.size(), arrays);
        EXPECT_LT(std::abs(g[0].dot(line)), 1e-15); // G of the first array is perpendicular to its lines
        // |cos| of the angle between two arrays: 90 degrees, or 120 (= 60: lines have no sense).
        const double expected = arrays == 2 ? 0 : 0.5;
        for (unsigned int k = 0; k < arrays; ++k)
          {
            EXPECT_NEAR(g[k].norm(), 1, 1e-15);
            EXPECT_LT(std::abs(g[k].dot(n)), 1e-15);
            for (unsigned int l = 0; l < k; ++l)
              EXPECT_NEAR(std::abs(g[k].dot(g[l])), expected, 1e-15) << arrays << " " << k << " " << l;
          }
      }
  }

  TEST(StrainMismatch, VanishingFieldLeavesTheDiffuseMismatchAndWeakFieldFollowsGoldenRule)
  {
    // No field: the DMM transmission of one channel, sum_b W / (sum_a W + sum_b W).
    const SmmCase none(1e-22);
    const double  w_a = kapitza::arriving_flux_weight(none.a, none.n).sum();
    const double  w_b = kapitza::arriving_flux_weight(none.b, -none.n).sum();
    EXPECT_NEAR(none.transmitted, 2 * w_a * w_b / (w_a + w_b), 1e-12 * none.arriving);
    // Weak fields: P is proportional to b^2, and the scattered flux is 1 - exp(-P) per mode,
    // so doubling b multiplies the scattered fraction by 4 up to O(P).
    const SmmCase weak(1e-12), twice(2e-12);
    EXPECT_NEAR(twice.report.golden_rule_probability / weak.report.golden_rule_probability, 4, 1e-12);
    ASSERT_LT(twice.report.golden_rule_probability, 1e-3);
    EXPECT_NEAR(twice.report.strain_flux / weak.report.strain_flux, 4,
                8 * twice.report.golden_rule_probability);
    EXPECT_LT(weak.report.strain_flux, weak.report.golden_rule_probability);
  }

  TEST(StrainMismatch, UnscatteredPhononsKeepParallelMomentum)
  {
    // No field, parallel-momentum background, resolution sigma = 1 % of |q_a|: a phonon of
    // the slow side a (|q_a| = 3 |q_b| at the same frequency) with |q_par| > |q_b| + 6 sigma
    // has no partner on side b (Snell: total internal reflection) and transmits nothing.
    SmmCase probe(1e-22);
    const double q_a = probe.a.wavevector.row(0).norm(), q_b = probe.b.wavevector.row(0).norm();
    const SmmCase kept(1e-22, true, 0.01 * q_a);
    EXPECT_LT(kept.worst_sum, 1e-13);
    EXPECT_LT(kept.asymmetry, 1e-13);
    EXPECT_LT(kept.report.diffuse_flux, 1e-12); // every mode has its specular partner
    const Eigen::VectorXd w_a = kapitza::arriving_flux_weight(kept.a, kept.n);
    unsigned int reflected = 0, transmitting = 0;
    for (unsigned int i = 0; i < kept.a.size(); ++i)
      if (w_a[i] > 0)
        {
          const Eigen::Vector3d q = kept.a.wavevector.row(i);
          if ((q - q.dot(kept.n) * kept.n).norm() > q_b + 6 * 0.01 * q_a)
            {
              EXPECT_LT(kept.transmitted_fraction[i], 1e-14); // round-off left diffusely
              ++reflected;
            }
          else
            transmitting += kept.transmitted_fraction[i] > 0;
        }
    EXPECT_GT(reflected, 0u);
    EXPECT_GT(transmitting, 0u); // the near-normal modes cross
    // Keeping q_par only removes channels: less flux crosses than in DMM.
    EXPECT_LT(kept.transmitted, probe.transmitted);
  }

  // Golden-rule sums over final states that are the transport sets themselves: the same
  // coupling (the kernel, balanced without the cap of 1, meets the same targets; the balancing
  // stops at relative steps of 1e-14, so the fractions agree to ~1e-12).
  TEST(StrainMismatch, FinalStatesEqualToTheTransportSetsChangeNothing)
  {
    for (const bool keep_parallel_momentum : {false, true})
      {
        const SmmCase plain(3e-10, keep_parallel_momentum, 0, 3);
        const SmmCase same(3e-10, keep_parallel_momentum, 0, 3, SmmCase::Finals::same);
        EXPECT_NEAR(same.report.golden_rule_probability, plain.report.golden_rule_probability,
                    1e-13 * plain.report.golden_rule_probability);
        EXPECT_LT((same.S - plain.S).cwiseAbs().maxCoeff(), 1e-11 * plain.S.cwiseAbs().maxCoeff());
        EXPECT_EQ(same.report.final_state_resolution, plain.report.momentum_resolution);
      }
  }

  // Finer final states change the golden-rule sums, never energy conservation or reciprocity.
  TEST(StrainMismatch, FinerFinalStatesConserveEnergyAndObeyReciprocity)
  {
    for (const bool keep_parallel_momentum : {false, true})
      {
        const SmmCase plain(3e-10, keep_parallel_momentum, 0, 3);
        const SmmCase finer(3e-10, keep_parallel_momentum, 0, 3, SmmCase::Finals::finer);
        EXPECT_LT(finer.worst_sum, 1e-13);
        EXPECT_LT(finer.asymmetry, 1e-13);
        EXPECT_NEAR(finer.report.strain_flux + finer.report.background_flux, 1, 1e-13);
        EXPECT_LT(finer.report.final_state_resolution, plain.report.momentum_resolution);
        EXPECT_NE(finer.report.golden_rule_probability, plain.report.golden_rule_probability);
      }
  }

  TEST(StrainMismatch, RefusesModeSetsWithoutWavevectors)
  {
    kapitza::ModeSet a = debye_gray("a", 1000, 1e6), b = debye_gray("b", 3000, 2e6);
    b.wavevector.resize(0, 3);
    kapitza::MisfitDislocations dislocations;
    dislocations.spacing = 2e-9, dislocations.burgers = 3e-10;
    kapitza::StrainMismatchReport report;
    EXPECT_THROW(kapitza::strain_mismatch(a, b, std::vector<int>(a.size(), 0), std::vector<int>(b.size(), 0),
                                          1e12, Eigen::Vector3d(1, 0, 0), dislocations, report),
                 std::runtime_error);
  }
} // namespace
