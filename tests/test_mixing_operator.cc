// The mixing operators M of DESIGN.md section 1: the dense collision matrix and the
// rank-one RTA mixing describe the same collisions, conserve energy, and leave a uniform
// temperature shift in equilibrium. Written for any number of MPI ranks (each rank
// applies the rows of its own modes).

#include "scattering/mixing_operator.h"
#include "scattering/model_materials.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

namespace
{
  using namespace kapitza;

  // Four isotropic bands (|v| [m/s], tau [s], C [J/(m^3 K)]) on 16 directions. Built in
  // memory (no scratch file) so that every rank can build it at once.
  ModeSet band_test_material()
  {
    const std::vector<Band> bands = {
      {6000, 2e-11, 4e5}, {3500, 5e-11, 7e5}, {2500, 8e-11, 2e5}, {1500, 1e-10, 9e5}};
    return band_material("bands", bands, 300, Statistics::bose, 6e13,
                         product_quadrature(4, 4, false));
  }

  /// (modes x columns) random state, identical on every rank.
  RowMatrix random_state(unsigned int n_modes, unsigned int n_columns, unsigned int seed)
  {
    std::mt19937                           random(seed);
    std::uniform_real_distribution<double> uniform(-1, 1);
    RowMatrix                              psi(n_modes, n_columns);
    for (unsigned int i = 0; i < n_modes; ++i)
      for (unsigned int j = 0; j < n_columns; ++j)
        psi(i, j) = uniform(random);
    return psi;
  }

  RowMatrix local_rows(const RowMatrix &global, const ModeDistribution &distribution)
  {
    return global.middleRows(distribution.local_begin(), distribution.n_local());
  }

  /// Applies `mixing` to a global state and gathers the result on every rank.
  RowMatrix apply_global(const MixingOperator &mixing, const RowMatrix &psi,
                         const ModeDistribution &distribution)
  {
    RowMatrix out_local;
    mixing.apply(local_rows(psi, distribution), out_local);
    EXPECT_EQ(out_local.rows(), distribution.n_local());
    EXPECT_EQ(out_local.cols(), psi.cols());
    RowMatrix        out(psi.rows(), psi.cols());
    std::vector<int> counts, displacements;
    for (unsigned int r = 0; r < distribution.count.size(); ++r)
      {
        counts.push_back(distribution.count[r] * psi.cols());
        displacements.push_back(distribution.first[r] * psi.cols());
      }
    MPI_Allgatherv(out_local.data(), out_local.size(), MPI_DOUBLE, out.data(), counts.data(),
                   displacements.data(), MPI_DOUBLE, distribution.communicator);
    return out;
  }

  double max_abs(const RowMatrix &x) { return x.cwiseAbs().maxCoeff(); }

  struct Operators
  {
    ModeSet                           rta, dense;
    ModeDistribution                  distribution;
    std::unique_ptr<MixingOperator>   rank_one, dense_mixing;

    Operators()
      : rta(band_test_material())
      , dense(kapitza::testing::with_dense_collision_matrix(rta))
      , distribution(rta.size(), MPI_COMM_WORLD)
      , rank_one(create_mixing_operator(rta, distribution))
      , dense_mixing(create_mixing_operator(dense, distribution))
    {}
  };
} // namespace

TEST(MixingOperator, FactoryPicksDenseOrRankOne)
{
  const Operators op;
  EXPECT_NE(dynamic_cast<const RankOneRtaMixing *>(op.rank_one.get()), nullptr);
  EXPECT_NE(dynamic_cast<const DenseMixing *>(op.dense_mixing.get()), nullptr);
  EXPECT_EQ(op.rank_one->name(), "rank-one RTA");
  EXPECT_EQ(op.dense_mixing->name(), "dense collision matrix");
}

// Both operators describe the same collisions Omega psi = psi / tau - M psi. The dense
// matrix's relaxation rate is its diagonal (ModeSet::relaxation_rate), so its M has a
// zero diagonal and the rank-one M's diagonal, C_mu / (tau_mu^2 sum C/tau), moves into 1/tau.
TEST(MixingOperator, DenseAndRankOneGiveTheSameCollisions)
{
  const Operators op;
  const unsigned  n   = op.rta.size();
  const RowMatrix psi = random_state(n, 7, 2024);

  const RowMatrix m_rank_one = apply_global(*op.rank_one, psi, op.distribution);
  const RowMatrix m_dense    = apply_global(*op.dense_mixing, psi, op.distribution);

  const Eigen::VectorXd rate_rta   = op.rta.relaxation_rate();
  const Eigen::VectorXd rate_dense = op.dense.relaxation_rate();
  const RowMatrix collisions_rta   = rate_rta.asDiagonal() * psi - m_rank_one;
  const RowMatrix collisions_dense = rate_dense.asDiagonal() * psi - m_dense;
  EXPECT_LE(max_abs(collisions_rta - collisions_dense), 1e-12 * max_abs(collisions_rta));

  // M psi itself: equal once the diagonal of the rank-one mixing is accounted for.
  const Eigen::VectorXd diagonal_rta = rate_rta - rate_dense; // M_rta,mumu
  EXPECT_GT(diagonal_rta.minCoeff(), 0);
  const RowMatrix m_rank_one_off_diagonal = m_rank_one - diagonal_rta.asDiagonal() * psi;
  EXPECT_LE(max_abs(m_rank_one_off_diagonal - m_dense), 1e-12 * max_abs(m_rank_one));

  // And the dense operator is exactly diag(rate) - Omega.
  const RowMatrix expected = rate_dense.asDiagonal() * psi - op.dense.collision * psi;
  EXPECT_LE(max_abs(m_dense - expected), 1e-12 * max_abs(m_dense));
}

TEST(MixingOperator, RankOneMatchesTheDesignFormula)
{
  const Operators        op;
  const ModeSet         &m   = op.rta;
  const RowMatrix        psi = random_state(m.size(), 3, 99);
  const Eigen::VectorXd  h   = constants::hbar * m.omega;
  const Eigen::VectorXd  c   = m.heat_capacity();
  double                 norm = 0;
  for (unsigned int nu = 0; nu < m.size(); ++nu)
    norm += c[nu] / m.tau[nu];
  RowMatrix expected(m.size(), psi.cols());
  for (int j = 0; j < psi.cols(); ++j)
    {
      double sum = 0;
      for (unsigned int k = 0; k < m.size(); ++k)
        sum += c[k] / (m.tau[k] * h[k]) * psi(k, j);
      for (unsigned int mu = 0; mu < m.size(); ++mu)
        expected(mu, j) = h[mu] / m.tau[mu] * sum / norm;
    }
  const RowMatrix out = apply_global(*op.rank_one, psi, op.distribution);
  EXPECT_LE(max_abs(out - expected), 1e-12 * max_abs(expected));
}

// sum_mu e_mu (M psi)_mu = sum_mu e_mu psi_mu / tau_mu: what relaxation removes, the
// mixing puts back (1/tau = ModeSet::relaxation_rate()).
TEST(MixingOperator, MixingConservesEnergy)
{
  const Operators op;
  const RowMatrix psi = random_state(op.rta.size(), 5, 7);
  for (const auto &[mixing, modes] :
       {std::make_pair(op.rank_one.get(), &op.rta), std::make_pair(op.dense_mixing.get(), &op.dense)})
    {
      const Eigen::VectorXd e    = modes->energy_weight();
      const Eigen::VectorXd rate = modes->relaxation_rate();
      const RowMatrix       out  = apply_global(*mixing, psi, op.distribution);
      for (int j = 0; j < psi.cols(); ++j)
        {
          const double mixed   = e.dot(out.col(j));
          const double relaxed = e.cwiseProduct(rate).dot(psi.col(j));
          const double scale   = e.cwiseProduct(rate).cwiseAbs().dot(psi.col(j).cwiseAbs());
          EXPECT_LE(std::abs(mixed - relaxed), 1e-12 * scale)
            << mixing->name() << ", column " << j << ": " << mixed << " vs " << relaxed;
        }
    }
}

// psi = uniform_shift() dT is an equilibrium: M psi = psi / tau.
TEST(MixingOperator, UniformShiftIsStationary)
{
  const Operators op;
  for (const auto &[mixing, modes] :
       {std::make_pair(op.rank_one.get(), &op.rta), std::make_pair(op.dense_mixing.get(), &op.dense)})
    {
      RowMatrix psi(modes->size(), 3);
      const double shifts[3] = {1.0, -0.25, 3e-3};
      for (int j = 0; j < 3; ++j)
        psi.col(j) = modes->uniform_shift() * shifts[j];
      const RowMatrix out      = apply_global(*mixing, psi, op.distribution);
      const RowMatrix expected = modes->relaxation_rate().asDiagonal() * psi;
      EXPECT_LE(max_abs(out - expected), 1e-12 * max_abs(expected)) << mixing->name();
    }
}
