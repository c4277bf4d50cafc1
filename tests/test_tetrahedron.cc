// Delta-function weights on a q-mesh (linear tetrahedron method and Gaussians) against
// analytic integrals, and the natural-isotope mass variance.

#include "scattering/ab_initio/delta_function.h"
#include "scattering/ab_initio/isotope_scattering.h"
#include "scattering/ab_initio/tetrahedron.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace
{
  using namespace kapitza::phonons;

  // The classic density of states of one tetrahedron (Lehmann-Taut / Bloechl) for
  // e1 < value < e2, per unit reference volume 1/6.
  double first_interval_dos(const std::array<double, 4> &e, double value)
  {
    return 3 * std::pow(value - e[0], 2) / ((e[1] - e[0]) * (e[2] - e[0]) * (e[3] - e[0])) / 6;
  }

  TEST(Tetrahedron, SingleTetrahedronMatchesClosedFormAndIsLinearExact)
  {
    const std::array<double, 4> e{{0.1, 0.4, 0.5, 1.3}};
    // First interval: the closed form.
    const auto w = tetrahedron_delta_weights(e, 0.3);
    EXPECT_NEAR(w[0] + w[1] + w[2] + w[3], first_interval_dos(e, 0.3), 1e-14);
    // Every interval: sum w_i (value - e_i) = 0 (f = E is linear, so exact), and the
    // weights integrate over the value to the reference volume 1/6 (midpoint rule on a
    // fine grid: the density is piecewise quadratic and continuous, error ~ h^2).
    // Vertex by vertex, the weights integrate to the integrals of the barycentric
    // coordinate l_c over the tetrahedron, int l_c = 1/24 and int E l_c =
    // (e_c + sum e) / 120, which checks how every interval shares the weight.
    std::array<double, 4> shuffled{{1.3, 0.1, 0.5, 0.4}};
    const double          sum_e    = 1.3 + 0.1 + 0.5 + 0.4;
    double                integral = 0;
    std::array<double, 4> vertex_integral{}, vertex_moment{};
    const int             steps    = 200000;
    const double          h        = (1.3 - 0.1) / steps;
    for (int i = 0; i < steps; ++i)
      {
        const double value = 0.1 + (i + 0.5) * h;
        const auto   v     = tetrahedron_delta_weights(shuffled, value);
        double       sum = 0, first = 0;
        for (int c = 0; c < 4; ++c)
          {
            sum += v[c];
            first += v[c] * (value - shuffled[c]);
            vertex_integral[c] += v[c] * h;
            vertex_moment[c] += v[c] * value * h;
          }
        EXPECT_NEAR(first, 0, 1e-13 * (1 + sum));
        integral += sum * h;
      }
    EXPECT_NEAR(integral, 1.0 / 6, 1e-9);
    for (int c = 0; c < 4; ++c)
      {
        EXPECT_NEAR(vertex_integral[c], 1.0 / 24, 1e-9) << "vertex " << c;
        EXPECT_NEAR(vertex_moment[c], (shuffled[c] + sum_e) / 120, 1e-9) << "vertex " << c;
      }
    EXPECT_EQ(tetrahedron_delta_weights(e, 1.4)[0], 0);
    EXPECT_EQ(tetrahedron_delta_weights(e, 0.0)[3], 0);
  }

  TEST(Tetrahedron, MeshCoversEveryPointAndConservesLinearEnergy)
  {
    const std::array<int, 3> size{{5, 4, 3}};
    Eigen::Matrix3d          reciprocal;
    reciprocal << 1, 0.2, 0, -0.3, 1, 0.1, 0, 0.4, 1.5;
    const TetrahedronMesh mesh(size, reciprocal);
    ASSERT_EQ(mesh.n_tetrahedra(), 6u * 60);
    std::vector<int> count(60, 0);
    for (unsigned int t = 0; t < mesh.n_tetrahedra(); ++t)
      for (unsigned int v : mesh.tetrahedron(t))
        ++count[v];
    for (int c : count)
      EXPECT_EQ(c, 24);

    // Random energies: sum_k g_k (value - E_k) = 0 for any value, by construction.
    std::mt19937                           random(3);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<double>                    energy(60);
    for (double &x : energy)
      x = uniform(random);
    const double        targets[3] = {0.25, 0.5, 0.8};
    std::vector<double> g(60 * 3, 0.0);
    mesh.add_delta_weights(energy.data(), targets, 3, g.data());
    for (int j = 0; j < 3; ++j)
      {
        double moment = 0, total = 0;
        for (int k = 0; k < 60; ++k)
          {
            EXPECT_GE(g[k * 3 + j], 0);
            moment += g[k * 3 + j] * (targets[j] - energy[k]);
            total += g[k * 3 + j];
          }
        EXPECT_GT(total, 0);
        EXPECT_NEAR(moment, 0, 1e-12 * total);
      }
  }

  // E = cos(2 pi q_x) has the density of states N / (pi sqrt(1 - w^2)) per unit w. At one
  // energy the linear tetrahedron method uses the slope of the cell the level crosses,
  // off by at most h |E''/E'| / 2 = 4e-3 (240 points, w = 0.3); the Gaussian of width 0.03
  // (above the energy spacing 0.025, so the discrete sum is smooth) shifts the density by
  // sigma^2 p''/2p ~ 6e-4.
  TEST(Tetrahedron, CosineBandDensityOfStates)
  {
    const std::array<int, 3> size{{240, 2, 1}};
    const unsigned int       n = 240 * 2;
    std::vector<double>      energy(n);
    Positions                gradient(n, 3);
    for (unsigned int k = 0; k < n; ++k)
      {
        const double qx = double(k % 240) / 240;
        energy[k]       = std::cos(2 * M_PI * qx);
        gradient.row(k) << -2 * M_PI * std::sin(2 * M_PI * qx) / (2 * M_PI), 0, 0;
      }
    const double exact  = n / (M_PI * std::sqrt(1 - 0.09));
    const double target = 0.3;
    for (const auto &[smearing, tolerance] :
         {std::make_pair(parse_smearing("tetrahedron"), 4e-3),
          std::make_pair(parse_smearing("gaussian", "0.03"), 1e-3)})
      {
        const DeltaFunction delta(smearing, size, Eigen::Matrix3d::Identity());
        std::vector<double> g(n, 0.0);
        delta.add_weights(energy.data(), &gradient, &target, 1, g.data());
        double total = 0;
        for (double x : g)
          total += x;
        EXPECT_NEAR(total / exact, 1, tolerance) << smearing.describe();
      }
  }

  TEST(Tetrahedron, SmearingParser)
  {
    EXPECT_EQ(parse_smearing("gaussian", "adaptive").width, 0);
    EXPECT_EQ(parse_smearing("gaussian", "2e12").width, 2e12);
    EXPECT_THROW(parse_smearing("gaussian", "-1"), std::runtime_error);
    EXPECT_THROW(parse_smearing("gaussian", "12x"), std::runtime_error);
    EXPECT_THROW(parse_smearing("lorentzian"), std::runtime_error);
  }

  // Mass variance of the natural mixes: Si 2.01e-4 (Tamura 1983: 2.0e-4), Ge 5.87e-4
  // (5.9e-4), single-isotope Al exactly 0.
  TEST(Isotopes, NaturalMassVariance)
  {
    EXPECT_NEAR(mass_variance("Si"), 2.01e-4, 0.01e-4);
    EXPECT_NEAR(mass_variance("Si(D)"), mass_variance("Si"), 0);
    EXPECT_NEAR(mass_variance("Ge"), 5.87e-4, 0.02e-4);
    EXPECT_EQ(mass_variance("Al"), 0);
    EXPECT_THROW(mass_variance("Xx"), std::runtime_error);
  }
} // namespace
