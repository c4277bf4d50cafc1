// The own-view assembly of the full collision matrix (collision_matrix.h; phono3py's)
// against the relaxation rates and the energy identities. The mean of views has its tests
// in test_three_phonon.cc.

#include "ab_initio_case.h"
#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/energy_conservation.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <numeric>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;
  using kapitza::testing::ab_initio_case;

  // Mean over each set of degenerate modes at every q of mesh-ordered values, as the rates
  // are averaged (a set has no preferred basis).
  Eigen::MatrixXd degenerate_means(const Eigen::VectorXd &matrix_values, const std::vector<unsigned int> &mesh_mode,
                                   const PhononMesh &mesh)
  {
    const unsigned int nb = mesh.n_branch();
    Eigen::VectorXd    values = Eigen::VectorXd::Zero(mesh.n_q() * nb); // 0: does not scatter
    for (std::size_t row = 0; row < mesh_mode.size(); ++row)
      values[mesh_mode[row]] = matrix_values[row];
    Eigen::MatrixXd mean(mesh.n_q(), nb);
    for (unsigned int q = 0; q < mesh.n_q(); ++q)
      for (const auto &[first, last] : degenerate_sets(mesh.omega.row(q).transpose()))
        mean.row(q).segment(first, last - first).setConstant(values.segment(q * nb + first, last - first).mean());
    return mean;
  }

  // Each row of the own view is its mode's own linewidth before the projection: the
  // rates of relaxation_rates to round-off (tetrahedra and adaptive Gaussians, with and
  // without isotopes; the isotope self term a -> a counts in the linewidth and cancels in
  // the row). After
  // the projection W Omega is symmetric and conserves energy in both identities.
  TEST(CollisionAssembly, OwnViewRowsAreTheLinewidthsAndConserveEnergy)
  {
    for (const bool isotopes : {false, true})
      for (const char *method : {"tetrahedron", "gaussian"})
        {
          CollisionOptions options;
          options.isotopes = isotopes;
          options.smearing = std::string(method) == "gaussian" ? parse_smearing("gaussian", "adaptive")
                                                               : parse_smearing("tetrahedron");
          options.assembly = CollisionAssembly::own_view;
          auto       c              = ab_initio_case("Si-PBEsol", {{4, 4, 4}}, options);
          // The matrix computes every row; the rates copy the irreducible q-points', which
          // for Gaussians of adaptive width is not the same: the width rule (phono3py's, from
          // the mesh's reciprocal axes) is not invariant under the point group, and rates at
          // equivalent q-points differ (11 % here). With Gaussians every q is computed.
          std::vector<unsigned int> representative(c.mesh.n_q());
          std::iota(representative.begin(), representative.end(), 0u);
          if (std::string(method) == "tetrahedron")
            representative = irreducible_representatives(c.fc.primitive, c.mesh, "Si");
          const Eigen::MatrixXd rates = relaxation_rates(c.fc, c.mesh, options, representative, MPI_COMM_SELF);
          CollisionMatrix matrix = collision_matrix(c.fc, c.mesh, options, MPI_COMM_SELF);
          const double    miss   = (degenerate_means(matrix.unprojected_rate, matrix.mesh_mode, c.mesh) - rates)
                                  .cwiseAbs()
                                  .maxCoeff() /
                                rates.maxCoeff();
          const double projection = matrix.projection;
          attach_collision_matrix(std::move(matrix), c.mesh.n_branch(), c.set);
          const ConservationReport report = measure_conservation(c.set.modes);
          std::printf("Si 4x4x4 own view, %s%s: linewidths off the rates by %.1e, projection %.2e, "
                      "stationarity %.1e, creation %.1e, asymmetry %.1e\n",
                      method, isotopes ? ", isotopes" : "", miss, projection, report.stationarity,
                      report.creation, report.asymmetry);
          EXPECT_LT(miss, 1e-12) << method << (isotopes ? " with isotopes" : "");
          EXPECT_LT(report.stationarity, 1e-12) << method;
          EXPECT_LT(report.creation, 1e-12) << method;
          EXPECT_LT(report.asymmetry, 1e-12) << method;
          EXPECT_GT(projection, 0) << method; // a mesh never conserves exactly
        }
  }
} // namespace
