// A mode database with the full ab initio collision matrix of Si-PBEsol (4x4x4 mesh,
// adaptive Gaussians so that every mode scatters), written and read back as kapitza-modes
// writes it: energy conservation, symmetry and semidefiniteness of the stored matrix, a
// uniform temperature that stays uniform in a spatial run, and the Fourier limit of a thick
// slab approaching the linearized (LBTE) conductivity of the same matrix.

#include "ab_initio_case.h"
#include "scattering/energy_conservation.h"
#include "scattering/mode_database.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  const ModeSet &silicon_full_matrix()
  {
    static const ModeSet modes = [] {
      phonons::CollisionOptions options;
      options.smearing = phonons::parse_smearing("gaussian", "adaptive");
      AbInitioCase c   = ab_initio_case("Si-PBEsol", {{4, 4, 4}}, options);
      phonons::attach_collision_matrix(phonons::collision_matrix(c.fc, c.mesh, options, MPI_COMM_SELF),
                                       c.mesh.n_branch(), c.set);
      return c.set.modes;
    }();
    return modes;
  }

  std::string write_silicon(const std::string &folder)
  {
    write_mode_database(folder + "/si.h5", silicon_full_matrix());
    return folder;
  }

  TEST(AbInitioDatabase, StoredCollisionMatrixConservesAndIsSemidefinite)
  {
    const std::string  folder = write_silicon(scratch_folder("ab-initio-db"));
    ConservationReport report;
    const ModeSet      modes = read_mode_database(folder + "/si.h5", report);
    EXPECT_EQ(modes.size(), 4u * 4 * 4 * 6 - 3);
    EXPECT_EQ(report.correction, 0); // stored as computed: no load-time correction needed
    std::printf("Si 4x4x4 full matrix: stationarity %.2e, creation %.2e, asymmetry %.2e\n",
                report.stationarity, report.creation, report.asymmetry);
    EXPECT_LT(report.stationarity, 1e-12);
    EXPECT_LT(report.creation, 1e-12);
    EXPECT_LT(report.asymmetry, 1e-12);
    const Eigen::MatrixXd a = modes.occupation_weight().asDiagonal() * modes.collision;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (a + a.transpose()));
    const double largest = eigen.eigenvalues().maxCoeff();
    std::printf("smallest / largest eigenvalue of W Omega: %.2e\n",
                eigen.eigenvalues().minCoeff() / largest);
    EXPECT_GT(eigen.eigenvalues().minCoeff(), -1e-12 * largest);
    // One null vector (energy), the next eigenvalue well away from round-off.
    EXPECT_GT(eigen.eigenvalues()[1], 1e-8 * largest);
    EXPECT_TRUE((modes.tau.array() > 0).all());
  }

  std::map<std::string, std::string> slab(double length, double left, double right)
  {
    return {{"Dimension", "1"},
            {"Materials/Names", "Si"},
            {"Materials/Files", "si.h5"},
            {"Mesh/Layers", "Si:" + number(length) + ":100"},
            {"Solver/Reference temperature", "300"},
            {"Boundaries/Left", "thermalizing " + number(left)},
            {"Boundaries/Right", "thermalizing " + number(right)},
            {"Output/Line points", "100"}};
  }

  TEST(AbInitioDatabase, UniformTemperatureStaysUniform)
  {
    const std::string folder = write_silicon(scratch_folder("ab-initio-uniform"));
    const CaseResult  result = run_case(folder, slab(1e-6, 301, 301));
    ASSERT_TRUE(result.report.converged);
    double worst = 0;
    for (const double t : result.temperature)
      worst = std::max(worst, std::abs(t - 301));
    std::printf("uniform 301 K through the Si full matrix: max |T - 301| = %.2e K, q = %.2e W/m^2\n",
                worst, result.mean_flux);
    EXPECT_LT(worst, 1e-9);
    EXPECT_LT(std::abs(result.mean_flux), 1e-9 * kapitza::collision_conductivity(silicon_full_matrix())(0, 0) / 1e-6);
  }

  TEST(AbInitioDatabase, ThickSlabApproachesLinearizedConductivity)
  {
    const ModeSet &modes   = silicon_full_matrix();
    const double   longest = longest_mean_free_path(modes);
    const double   length  = 2000 * longest;
    const std::string folder = write_silicon(scratch_folder("ab-initio-fourier"));
    const CaseResult  result = run_case(folder, slab(length, 301, 300));
    ASSERT_TRUE(result.report.converged);
    const double gradient = fitted_slope(result.x, result.temperature, 0.3 * length, 0.7 * length);
    const double kappa    = -result.mean_flux / gradient;
    const double full     = collision_conductivity(modes)(0, 0);
    const double rta      = rta_conductivity(modes)(0, 0);
    std::printf("Si 4x4x4: longest mean free path %.3e m, slab %.3e m; interior kappa %.4f, "
                "LBTE %.4f, RTA %.4f W/(m K)\n", longest, length, kappa, full, rta);
    ASSERT_GT(std::abs(full / rta - 1), 10 * 2e-3); // the test tells the two apart
    EXPECT_NEAR(kappa / full, 1.0, 2e-3);
  }

  // The conjugate-gradient LBTE against a direct solve: the pseudo-inverse of the symmetric
  // A = diag(e / s) Omega from its eigendecomposition, without the one null vector (energy).
  // kappa is a quadratic form of the solution, so the gradient solve's 1e-12 residual gives
  // it to round-off.
  TEST(AbInitioDatabase, GradientLbteSolveEqualsThePseudoInverse)
  {
    const ModeSet        &modes = silicon_full_matrix();
    const Eigen::VectorXd e     = modes.energy_weight();
    const Eigen::MatrixXd a     = e.cwiseQuotient(modes.uniform_shift()).asDiagonal() * modes.collision;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (a + a.transpose()));
    const Eigen::VectorXd values = eigen.eigenvalues();
    ASSERT_LT(std::abs(values[0]), 1e-10 * values.maxCoeff()); // the energy null vector
    ASSERT_GT(values[1], 1e-6 * values.maxCoeff());             // and only it
    Eigen::VectorXd inverse = values.cwiseInverse();
    inverse[0]              = 0;
    const Eigen::MatrixXd flux     = e.asDiagonal() * modes.velocity;
    const Eigen::MatrixXd g        = eigen.eigenvectors() * inverse.asDiagonal() * eigen.eigenvectors().transpose() * flux;
    const Eigen::Matrix3d direct   = flux.transpose() * g;
    LbteSolveReport       solve;
    const Eigen::Matrix3d gradient = collision_conductivity(modes, &solve);
    EXPECT_LT((gradient - direct).cwiseAbs().maxCoeff(), 1e-10 * direct.cwiseAbs().maxCoeff())
      << "conjugate gradients:\n" << gradient << "\ndirect:\n" << direct;
    // The report says what the solves took: at least one iteration each, within the
    // tolerance, and no more iterations than the scaled matrix has distinct eigenvalues.
    for (int j = 0; j < 3; ++j)
      {
        EXPECT_GT(solve.iterations[j], 0) << j;
        EXPECT_LE(solve.iterations[j], int(modes.size())) << j;
        EXPECT_LE(solve.residual[j], 1e-12) << j;
      }
  }
} // namespace
