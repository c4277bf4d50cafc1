// The strain mismatch model (misfit dislocations) on two gray Debye media: every arriving
// mode leaves with all its energy flux, the flux matrix is reciprocal (detailed balance),
// and only momentum transfers q_par -> q_par + G_m of the dislocation array occur.
#include "interface/strain_mismatch.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  kapitza::ModeSet debye_gray(const std::string &name, double speed, double heat_capacity)
  {
    kapitza::GrayMaterial gray;
    gray.name = name, gray.speed = speed, gray.heat_capacity = heat_capacity;
    kapitza::ModeSet modes = kapitza::gray_material(gray, kapitza::product_quadrature(16, 4, true));
    modes.wavevector       = modes.velocity * (gray.omega / (speed * speed));
    return modes;
  }

  TEST(StrainMismatch, ConservesEnergyObeysReciprocityAndTransfersArrayMomentum)
  {
    const kapitza::ModeSet a = debye_gray("a", 1000, 1e6), b = debye_gray("b", 3000, 2e6);
    const std::vector<int> channel_a(a.size(), 0), channel_b(b.size(), 0);
    const Eigen::Vector3d  n(1, 0, 0);
    kapitza::MisfitDislocations dislocations;
    dislocations.spacing = 2e-9, dislocations.burgers = 3e-10, dislocations.arrays = 1;
    dislocations.line    = Eigen::Vector3d(0, 0, 1); // G_m along y
    kapitza::StrainMismatchReport report;
    const kapitza::ModeCoupling coupling =
      kapitza::strain_mismatch(a, b, channel_a, channel_b, 1e12, n, dislocations, report);
    std::printf("SMM gray: golden-rule probability %.3e, unscattered %.3e, sigma %.3e 1/m, %u iterations\n",
                report.golden_rule_probability, report.unscattered_flux, report.momentum_resolution,
                report.balancing_iterations);

    const Eigen::VectorXd w_a = kapitza::arriving_flux_weight(a, n), w_b = kapitza::arriving_flux_weight(b, -n);
    const auto reverse_a = kapitza::reversed_modes(a, channel_a), reverse_b = kapitza::reversed_modes(b, channel_b);
    // S(i, k): flux from arriving i into the time reverse of arriving k; index b after a.
    const unsigned int n_a = a.size();
    Eigen::MatrixXd    S = Eigen::MatrixXd::Zero(n_a + b.size(), n_a + b.size());
    double             transmitted = 0, worst_sum = 0, worst_qz = 0;
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
            worst_qz = std::max(worst_qz, std::abs((q_i + q_k).z()) / report.momentum_resolution);
            if (into_a != from_a)
              transmitted += w * fraction;
          }
      worst_sum = std::max(worst_sum, std::abs(sum - 1));
    };
    for (unsigned int i = 0; i < a.size(); ++i)
      if (w_a[i] > 0)
        add(i, w_a[i], std::array<const std::vector<std::pair<int, double>> *, 2>{&coupling.a_to_a[i], &coupling.a_to_b[i]});
    for (unsigned int j = 0; j < b.size(); ++j)
      if (w_b[j] > 0)
        add(n_a + j, w_b[j], std::array<const std::vector<std::pair<int, double>> *, 2>{&coupling.b_to_b[j], &coupling.b_to_a[j]});
    const double asymmetry = (S - S.transpose()).cwiseAbs().maxCoeff() / S.cwiseAbs().maxCoeff();
    std::printf("SMM gray: max |sum of fractions - 1| = %.2e, max |S - S^T| / max S = %.2e, "
                "max |Q_z| / sigma = %.2f, transmitted / arriving flux (both sides) = %.4f\n",
                worst_sum, asymmetry, worst_qz, transmitted / (w_a.sum() + w_b.sum()));
    EXPECT_LT(worst_sum, 1e-13);
    EXPECT_LT(asymmetry, 1e-13);
    EXPECT_LE(worst_qz, 6.0 + 1e-9); // the Gaussian of Q_par - G_m is cut at 6 sigma
    EXPECT_GT(transmitted, 0);
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
