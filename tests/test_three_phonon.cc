// Three-phonon interaction and collision matrices on a model crystal with closed-form
// matrix elements (three_phonon_model.h): minimum-image tables, |V|^2 against the
// analytic expression, and the symmetry, positive semidefiniteness and exact energy
// conservation of the assembled collision matrix for every delta method and statistics.

#include "ab_initio_case.h"
#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/energy_conservation.h"
#include "scattering/ab_initio/three_phonon.h"
#include "three_phonon_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numeric>
#include <tuple>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;
  using kapitza::testing::CubicModel;

  // The largest reference |V|^2 and the largest difference from it (sizes must agree).
  std::pair<double, double> largest_and_worst_difference(const std::vector<double> &reference,
                                                         const std::vector<double> &values)
  {
    EXPECT_EQ(values.size(), reference.size());
    double largest = 0, worst = 0;
    for (std::size_t i = 0; i < std::min(values.size(), reference.size()); ++i)
      {
        largest = std::max(largest, reference[i]);
        worst   = std::max(worst, std::abs(values[i] - reference[i]));
      }
    return {largest, worst};
  }

  // A 2x2x2 supercell of a simple cubic cell: a neighbour at half the supercell has two
  // equally short images, a face diagonal four, the body diagonal eight.
  TEST(ThreePhonon, MinimumImageMultiplicities)
  {
    CubicModel model;
    Supercell  supercell;
    supercell.structure              = model.cell(2);
    supercell.primitive_to_supercell = {0};
    supercell.supercell_to_primitive.assign(8, 0);
    const SupercellImages images = shortest_vectors(model.cell(1), supercell);
    const unsigned int    expected[8] = {1, 2, 2, 4, 2, 4, 4, 8};
    for (int j = 0; j < 8; ++j)
      {
        ASSERT_EQ(images(0, j).size(), expected[j]) << "atom " << j;
        // Each image is the atom's position plus a supercell translation (2 cells), and
        // all are equally long.
        const Eigen::Vector3d position = 2 * model.cell(2).fractional.row(j).transpose();
        for (const Eigen::Vector3d &r : images(0, j))
          {
            const Eigen::Vector3d t = (r - position) / 2;
            EXPECT_NEAR((t - t.array().round().matrix()).norm(), 0, 1e-12);
            EXPECT_NEAR(r.norm(), images(0, j).front().norm(), 1e-12);
          }
      }
  }

  TEST(ThreePhonon, StrengthMatchesClosedForm)
  {
    CubicModel         model;
    const PhononMesh   mesh = model.mesh(4);
    const auto         fc   = model.force_constants();
    const double       cutoff = 1e6;
    std::vector<double> strength;
    for (bool r0_average : {false, true})
      {
        ThreePhononInteraction interaction(fc, mesh, r0_average, cutoff, MPI_COMM_WORLD);
        for (unsigned int q0 : {1u, 22u, 37u})
          {
            interaction.strength(q0, strength);
            double largest = 0, worst = 0;
            for (unsigned int k = 0; k < mesh.n_q(); ++k)
              {
                const unsigned int q[3] = {q0, k, interaction.third(q0, k)};
                for (int s0 = 0; s0 < 3; ++s0)
                  for (int s1 = 0; s1 < 3; ++s1)
                    for (int s2 = 0; s2 < 3; ++s2)
                      {
                        const int s[3] = {s0, s1, s2};
                        double    expected = 0;
                        const int axis = CubicModel::axis(mesh, q[0], s0);
                        bool      same = true, active = true;
                        double    product = 1, omegas = 1;
                        for (int i = 0; i < 3; ++i)
                          {
                            same &= CubicModel::axis(mesh, q[i], s[i]) == axis;
                            active &= mesh.omega(q[i], s[i]) >= cutoff;
                            product *= 4 * std::pow(std::sin(M_PI * mesh.q_fractional(q[i], axis)), 2);
                            omegas *= mesh.omega(q[i], s[i]);
                          }
                        if (same && active)
                          expected = std::pow(model.k3, 2) * std::pow(constants::hbar, 3) *
                                     product /
                                     (8.0 * mesh.n_q() * std::pow(model.mass, 3) * omegas);
                        const double got = strength[((k * 3 + s0) * 3 + s1) * 3 + s2];
                        largest          = std::max(largest, expected);
                        worst            = std::max(worst, std::abs(got - expected));
                      }
              }
            EXPECT_GT(largest, 0);
            EXPECT_LT(worst, 1e-12 * largest) << "q0 " << q0 << " r0 average " << r0_average;
          }
      }
  }

  // fc3 symmetric under the exchange of its last two atoms lets strength() compute half the
  // columns k and copy the exchanged ones (q2, s0, s2, s1): they equal a direct computation,
  // which an exchange asymmetry of 1e-9 of the largest fc3 forces (and moves |V|^2 by less
  // than 1e-7 relative).
  TEST(ThreePhonon, ExchangedColumnsEqualTheirDirectComputation)
  {
    CubicModel       model;
    const PhononMesh mesh = model.mesh(4);
    const auto       fc   = model.force_constants();
    auto             asymmetric = fc;
    double           largest_fc3 = 0;
    std::size_t      at          = 0;
    for (std::size_t i = 0; i < fc.fc3.size(); ++i)
      if (std::abs(fc.fc3[i]) > largest_fc3)
        largest_fc3 = std::abs(fc.fc3[at = i]);
    asymmetric.fc3[at] *= 1 + 1e-9;
    std::vector<double> halved, direct;
    for (bool r0_average : {false, true})
      for (unsigned int q0 : {1u, 22u, 37u})
        {
          const ThreePhononInteraction symmetric_fc3(fc, mesh, r0_average, 1e6, MPI_COMM_WORLD);
          const ThreePhononInteraction asymmetric_fc3(asymmetric, mesh, r0_average, 1e6, MPI_COMM_WORLD);
          ASSERT_TRUE(symmetric_fc3.computes_half_the_columns());
          ASSERT_FALSE(asymmetric_fc3.computes_half_the_columns());
          symmetric_fc3.strength(q0, halved);
          asymmetric_fc3.strength(q0, direct);
          const auto [largest, worst] = largest_and_worst_difference(direct, halved);
          EXPECT_GT(largest, 0);
          EXPECT_LT(worst, 1e-7 * largest) << "q0 " << q0 << " r0 average " << r0_average;
        }
  }

  // The assembled matrix, as the mode database stores it: W Omega symmetric, both energy
  // identities at round-off, for both assemblies, each delta method, Bose and classical
  // statistics, with and without isotopes; positive semidefinite with the mean of views;
  // every scattering mode relaxes.
  TEST(ThreePhonon, CollisionMatrixIsSymmetricConservingAndSemidefinite)
  {
    CubicModel       model;
    const PhononMesh mesh = model.mesh(4);
    const auto       fc   = model.force_constants();
    struct Case
    {
      Smearing   smearing;
      Statistics statistics;
      bool       isotopes;
    };
    for (const CollisionAssembly assembly : {CollisionAssembly::mean_of_views, CollisionAssembly::own_view})
    for (const Case &c : {Case{parse_smearing("tetrahedron"), Statistics::bose, false},
                          Case{parse_smearing("gaussian", "adaptive"), Statistics::classical, false},
                          Case{parse_smearing("gaussian", "2e12"), Statistics::bose, true}})
      {
        CollisionOptions options;
        options.assembly    = assembly;
        options.temperature = 300;
        options.statistics  = c.statistics;
        options.smearing    = c.smearing;
        options.isotopes    = c.isotopes;
        CollisionMatrix result = collision_matrix(fc, mesh, options, MPI_COMM_SELF);

        // The modes above the cutoff, the matrix's rows, as a ModeSet on the uniform mesh.
        std::vector<unsigned int> active;
        for (unsigned int mu = 0; mu < 3 * mesh.n_q(); ++mu)
          if (mesh.omega(mu / 3, mu % 3) >= options.frequency_cutoff)
            active.push_back(mu);
        ASSERT_EQ(result.mesh_mode, active);
        ModeSet modes;
        modes.temperature = options.temperature;
        modes.statistics  = options.statistics;
        modes.omega.resize(active.size());
        for (std::size_t i = 0; i < active.size(); ++i)
          modes.omega[i] = mesh.omega(active[i] / 3, active[i] % 3);
        modes.density   = Eigen::VectorXd::Constant(active.size(), 1.0 / (mesh.n_q() * std::pow(model.a, 3)));
        modes.velocity  = VelocityMatrix::Zero(active.size(), 3);
        modes.collision = std::move(result.omega);

        const ConservationReport report = measure_conservation(modes);
        EXPECT_LT(report.stationarity, 1e-12) << c.smearing.describe();
        EXPECT_LT(report.creation, 1e-12) << c.smearing.describe();
        EXPECT_LT(report.asymmetry, 1e-12) << c.smearing.describe();
        const Eigen::MatrixXd a = modes.occupation_weight().asDiagonal() * modes.collision;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (a + a.transpose()));
        std::cout << to_string(assembly) << ", " << c.smearing.describe() << ": smallest eigenvalue of W Omega "
                  << eigen.eigenvalues().minCoeff() / eigen.eigenvalues().maxCoeff() << " of the largest\n";
        // Only the mean of views is a sum of Q u u^T; the own view is not semidefinite by
        // construction, and on this coarse model mesh it is not (docs/results.md).
        if (assembly == CollisionAssembly::mean_of_views)
          {
            EXPECT_GT(eigen.eigenvalues().minCoeff(), -1e-12 * eigen.eigenvalues().maxCoeff());
          }
        // Smeared deltas reach every mode; tetrahedra on this 4^3 mesh leave some alone.
        if (c.smearing.method == Smearing::Method::gaussian)
          {
            EXPECT_GT(modes.collision.diagonal().minCoeff(), 0) << c.smearing.describe();
          }
        EXPECT_GE(result.unprojected_rate.minCoeff(), 0);
        std::cout << c.smearing.describe() << ": energy projection changes the diagonal by "
                  << result.projection << " (relative, W-weighted sum)\n";
      }
  }

  // A degenerate set of modes has no preferred basis: relaxation rates must not change
  // when the eigenvectors of every degenerate set (phono3py's 1e-4 THz) are mixed by a
  // random unitary matrix. |V|^2 (and the isotope overlaps) summed over a set are basis
  // independent, and the tetrahedron weights are made so by averaging them over the
  // degenerate partners.
  TEST(ThreePhonon, RatesIndependentOfDegenerateBases)
  {
    for (const bool isotopes : {false, true})
      {
        CollisionOptions options;
        options.isotopes = isotopes;
        auto c = kapitza::testing::ab_initio_case("Si-PBEsol", {{4, 4, 4}}, options);
        const auto representative = irreducible_representatives(c.fc.primitive, c.mesh, "Si");
        const Eigen::MatrixXd rates =
          relaxation_rates(c.fc, c.mesh, options, representative, MPI_COMM_SELF);

        PhononMesh rotated = c.mesh;
        std::srand(7);
        unsigned int mixed = 0;
        for (unsigned int q = 0; q < rotated.n_q(); ++q)
          for (const auto &[first, last] : degenerate_sets(rotated.omega.row(q).transpose()))
            if (last - first > 1)
              {
                const unsigned int     n = last - first;
                const Eigen::MatrixXcd u =
                  Eigen::HouseholderQR<Eigen::MatrixXcd>(Eigen::MatrixXcd::Random(n, n)).householderQ();
                rotated.eigenvectors[q].middleCols(first, n) = rotated.eigenvectors[q].middleCols(first, n) * u;
                ++mixed;
              }
        ASSERT_GT(mixed, 0u);
        const Eigen::MatrixXd again = relaxation_rates(c.fc, rotated, options, representative, MPI_COMM_SELF);
        const double change = (again - rates).cwiseAbs().maxCoeff() / rates.maxCoeff();
        std::printf("Si 4x4x4%s: %u degenerate sets mixed, rates change by %.2e of the largest\n",
                    isotopes ? " with isotopes" : "", mixed, change);
        EXPECT_LT(change, 1e-12) << (isotopes ? "with isotopes" : "");
      }
  }

  // |V|^2, the delta weights and the isotope rates do not depend on T, so rates for several
  // temperatures from one call (strengths computed once per q-point) are those of
  // single-temperature calls: the same arithmetic, for either statistics, with isotopes.
  TEST(ThreePhonon, RatesForSeveralTemperaturesFromOneCall)
  {
    const std::vector<double> temperatures = {200, 300, 700};
    for (const Statistics statistics : {Statistics::bose, Statistics::classical})
      {
        CollisionOptions options;
        options.statistics = statistics;
        options.isotopes   = true;
        auto c = kapitza::testing::ab_initio_case("Si-PBEsol", {{4, 4, 4}}, options);
        const auto representative = irreducible_representatives(c.fc.primitive, c.mesh, "Si");
        RateTimes  times;
        const auto together = relaxation_rates(c.fc, c.mesh, options, temperatures,
                                               representative, MPI_COMM_SELF, &times);
        ASSERT_EQ(together.size(), temperatures.size());
        EXPECT_GT(times.strengths, 0);
        for (std::size_t t = 0; t < temperatures.size(); ++t)
          {
            options.temperature = temperatures[t];
            const Eigen::MatrixXd alone =
              relaxation_rates(c.fc, c.mesh, options, representative, MPI_COMM_SELF);
            ASSERT_GT(alone.maxCoeff(), 0);
            const Eigen::ArrayXXd difference = (together[t] - alone).array().abs();
            EXPECT_TRUE((difference <= 1e-14 * alone.array().abs()).all())
              << to_string(statistics) << " at " << temperatures[t] << " K: largest difference "
              << difference.maxCoeff();
            if (t > 0) // the occupations did change
              {
                EXPECT_GT((together[t] - together[t - 1]).cwiseAbs().maxCoeff(),
                          1e-3 * alone.maxCoeff());
              }
          }
      }
  }
  // An interaction built for sub-mesh partners tabulates the third-atom sums of one coset
  // of the sub-mesh at a time (memory of the sub-mesh): its |V|^2 must equal those from the
  // whole mesh's table, for rows of every coset, taken out of order so that a coset is
  // tabulated again after another.
  TEST(ThreePhonon, CosetTablesGiveTheWholeTablesStrengths)
  {
    CubicModel       model;
    const PhononMesh mesh = model.mesh(4);
    const auto       fc   = model.force_constants();
    std::vector<unsigned int> partners; // the 2x2x2 sub-mesh
    for (int i2 = 0; i2 < 4; i2 += 2)
      for (int i1 = 0; i1 < 4; i1 += 2)
        for (int i0 = 0; i0 < 4; i0 += 2)
          partners.push_back(mesh.index({{i0, i1, i2}}));
    for (bool r0_average : {false, true})
      {
        ThreePhononInteraction whole(fc, mesh, r0_average, 1e6, MPI_COMM_SELF);
        ThreePhononInteraction cosets(fc, mesh, r0_average, 1e6, MPI_COMM_SELF, true);
        std::vector<double> reference, strength, all_columns;
        const std::size_t   block = std::size_t(mesh.n_branch()) * mesh.n_branch() * mesh.n_branch();
        for (unsigned int q0 : {1u, 22u, 5u, 37u, 1u, 63u})
          {
            whole.strength(q0, partners, reference);
            cosets.strength(q0, partners, strength);
            auto [largest, worst] = largest_and_worst_difference(reference, strength);
            EXPECT_GT(largest, 0);
            EXPECT_LE(worst, 1e-13 * largest) << "q0 " << q0 << " r0 average " << r0_average;
            // And the columns k of the sub-mesh of the whole mesh's strength(q0) (the
            // exchange-halved path), rescaled from the mesh's 1/N to the sub-mesh's.
            whole.strength(q0, all_columns);
            std::vector<double> restricted;
            for (unsigned int k : partners)
              for (std::size_t i = 0; i < block; ++i)
                restricted.push_back(all_columns[k * block + i] * mesh.n_q() / partners.size());
            std::tie(largest, worst) = largest_and_worst_difference(restricted, strength);
            EXPECT_LE(worst, 1e-12 * largest) << "q0 " << q0 << " r0 average " << r0_average;
          }
        EXPECT_THROW(cosets.strength(1, reference), std::logic_error);
      }
  }

  // Rates with the partner sums on a sub-mesh (kapitza-modes --partner-mesh): at a q-point
  // of the sub-mesh the partners k and q2 = -q0 - k are all sub-mesh points, the delta
  // weights come from the sub-mesh's own grid and |V|^2 is normalized by its size, so the
  // rate must be the one computed on the sub-mesh alone, to round-off, for tetrahedra and
  // adaptive Gaussians, with and without isotopes. Each q-point is its own representative:
  // the tetrahedra are not symmetric, so symmetry-equivalent points differ at the
  // discretization level, not at round-off.
  TEST(ThreePhonon, PartnerSubMeshRatesEqualTheSubMeshsOwnAtItsPoints)
  {
    const std::array<int, 3> dense{{6, 6, 6}}, sub{{3, 3, 3}};
    for (const bool isotopes : {false, true})
      for (const char *method : {"tetrahedron", "gaussian"})
        {
          CollisionOptions options;
          options.isotopes = isotopes;
          options.smearing = parse_smearing(method, std::string(method) == "gaussian" ? "adaptive" : "");
          auto coarse = kapitza::testing::ab_initio_case("Si-PBEsol", sub, options);
          std::vector<unsigned int> own(coarse.mesh.n_q());
          std::iota(own.begin(), own.end(), 0u);
          const Eigen::MatrixXd reference = relaxation_rates(coarse.fc, coarse.mesh, options, own, MPI_COMM_SELF);

          options.partner_mesh = sub;
          auto fine = kapitza::testing::ab_initio_case("Si-PBEsol", dense, options);
          std::vector<unsigned int> rows(fine.mesh.n_q());
          std::iota(rows.begin(), rows.end(), 0u);
          const Eigen::MatrixXd rates = relaxation_rates(fine.fc, fine.mesh, options, rows, MPI_COMM_SELF);
          double worst = 0;
          for (unsigned int q = 0; q < coarse.mesh.n_q(); ++q)
            {
              const std::array<int, 3> a = coarse.mesh.address(q);
              const unsigned int at = fine.mesh.index({{2 * a[0], 2 * a[1], 2 * a[2]}});
              ASSERT_LT((fine.mesh.omega.row(at) - coarse.mesh.omega.row(q)).cwiseAbs().maxCoeff(),
                        1e-9 * coarse.mesh.omega.maxCoeff());
              for (unsigned int s = 0; s < coarse.mesh.n_branch(); ++s)
                if (reference(q, s) > 0) // mode by mode: the rates span many decades
                  worst = std::max(worst, std::abs(rates(at, s) / reference(q, s) - 1));
            }
          std::printf("Si 6^3 with partners on 3^3 (%s%s): rates at the 3^3 points differ by %.2e (relative)\n",
                      method, isotopes ? ", isotopes" : "", worst);
          EXPECT_GT(reference.maxCoeff(), 0);
          EXPECT_LT(worst, 1e-12) << method << (isotopes ? " with isotopes" : "");
          // Points off the sub-mesh have rates of their own, not copies of a neighbour's.
          EXPECT_GT(rates.row(fine.mesh.index({{1, 0, 0}})).maxCoeff(), 0);
        }
    // A partner mesh that does not divide the q-mesh is refused, and so is one without the
    // crystal's symmetry (rates are copied over each star of equivalent q-points).
    EXPECT_THROW(partner_mesh(dense, {{4, 3, 3}}), std::runtime_error);
    {
      CollisionOptions options;
      options.partner_mesh = {{3, 3, 6}};
      auto        c              = kapitza::testing::ab_initio_case("Si-PBEsol", dense, options);
      const auto  representative = irreducible_representatives(c.fc.primitive, c.mesh, "Si");
      EXPECT_THROW(relaxation_rates(c.fc, c.mesh, options, representative, MPI_COMM_SELF), std::runtime_error);
    }
    EXPECT_EQ(partner_mesh(dense, {{0, 0, 0}}), dense);
  }
} // namespace
