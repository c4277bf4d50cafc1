// Harmonic phonons from force constants (scattering/ab_initio/harmonic_phonons.h): sum rules,
// eigenvector orthonormality, time-reversal symmetry of the mesh, group velocities against
// finite differences of the frequencies, and the LO-TO splitting of polar AlN. The
// frequency-by-frequency comparison with phonopy is tests/programs/phonopy_frequencies.sh.

#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/io/phono3py_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <map>
#include <string>

namespace
{
  using namespace kapitza::phonons;

  constexpr double thz = 2 * M_PI * 1e12; // rad/s per THz

  const ForceConstants &material(const std::string &name)
  {
    static std::map<std::string, ForceConstants> cache;
    auto it = cache.find(name);
    if (it == cache.end())
      it = cache.emplace(name, read_phono3py(std::string(KAPITZA_SOURCE_DIR) +
                                               "/inputs/materials/" + name,
                                             false))
             .first;
    return it->second;
  }

  // The force constants are translationally invariant (phono3py symmetrized them), and
  // the dipole-dipole term keeps that: acoustic frequencies at Gamma vanish to round-off
  // of sqrt(|lambda|) (lambda ~ 1e-16 of the largest eigenvalue gives ~1e-6 THz).
  TEST(HarmonicPhonons, AcousticSumRuleAtGamma)
  {
    for (const char *name : {"Si-PBEsol", "AlN-LDA", "SiC-4H-vashishta"})
      {
        const PhononPoint gamma = phonons_at(DynamicalMatrix(material(name)), {0, 0, 0});
        for (int s = 0; s < 3; ++s)
          EXPECT_LT(std::abs(gamma.omega[s]), 1e-5 * thz) << name << " branch " << s;
        EXPECT_GT(gamma.omega[3], 1 * thz) << name;
      }
  }

  TEST(HarmonicPhonons, EigenvectorsDiagonalizeTheDynamicalMatrix)
  {
    const DynamicalMatrix   d(material("AlN-LDA"));
    const Eigen::Vector3d   q(0.1, -0.2, 0.3);
    const PhononPoint       point = phonons_at(d, q);
    const Eigen::MatrixXcd &e     = point.eigenvectors;
    EXPECT_LT((e.adjoint() * e - Eigen::MatrixXcd::Identity(12, 12)).norm(), 1e-12);
    const Eigen::MatrixXcd residual =
      d.at(q) * e - e * point.omega.array().square().matrix().asDiagonal();
    EXPECT_LT(residual.norm(), 1e-12 * std::pow(point.omega.maxCoeff(), 2));
  }

  // Time reversal: D(-q) = D(q)^*, so omega(-q) = omega(q) and v(-q) = -v(q). Within a
  // degenerate set the basis diagonalizes the velocity operator, whose sign flips: the
  // order of the set reverses, so each mode is matched within its set. Points with a
  // component 1/2 hold -q as -q + G: exact by the gauge periodicity of the short-range
  // sum, and by the symmetrization of the mesh for the (truncated) dipole-dipole sum.
  TEST(HarmonicPhonons, MeshIsSymmetricUnderTimeReversal)
  {
    for (const auto &[name, size] :
         {std::make_pair("Si-PBEsol", std::array<int, 3>{{4, 4, 4}}),
          std::make_pair("AlN-LDA", std::array<int, 3>{{4, 4, 3}})})
      {
        const PhononMesh mesh = harmonic_phonons(material(name), size);
        ASSERT_EQ(mesh.n_q(), unsigned(size[0] * size[1] * size[2]));
        double v_max = 0, omega_error = 0, v_error = 0;
        for (unsigned int q = 0; q < mesh.n_q(); ++q)
          {
            const unsigned int m = mesh.minus(q);
            EXPECT_EQ(mesh.minus(m), q);
            v_max = std::max(v_max, mesh.velocity[q].cwiseAbs().maxCoeff());
            omega_error = std::max(omega_error, (mesh.omega.row(q) - mesh.omega.row(m))
                                                  .cwiseAbs().maxCoeff());
            for (unsigned int s = 0; s < mesh.n_branch(); ++s)
              {
                if (mesh.omega(q, s) < degeneracy_frequency)
                  continue;
                double best = INFINITY;
                for (unsigned int t = 0; t < mesh.n_branch(); ++t)
                  if (std::abs(mesh.omega(m, t) - mesh.omega(q, s)) < degeneracy_frequency)
                    best = std::min(best, (mesh.velocity[q].row(s) + mesh.velocity[m].row(t))
                                            .cwiseAbs().maxCoeff());
                v_error = std::max(v_error, best);
              }
          }
        EXPECT_LT(omega_error, 1e-12 * mesh.omega.maxCoeff()) << name;
        EXPECT_LT(v_error, 1e-9 * v_max) << name;
        EXPECT_GT(v_max, 1000) << name; // m/s: velocities are really there
        EXPECT_DOUBLE_EQ(mesh.q_fractional(mesh.index({{2, 0, 0}}), 0), 0.5);
        EXPECT_DOUBLE_EQ(mesh.q_fractional(mesh.index({{3, 0, 0}}), 0), -0.25);
      }
  }

  // v = (1/2 pi) d omega/dq against a central difference of omega along a generic
  // Cartesian direction at a generic q (no degeneracy): the analytic derivative of the
  // short-range sum and of the dipole-dipole Ewald sum. h = 1e-4 of the zone: the O(h^2)
  // error of the difference is below 1e-6 of v.
  TEST(HarmonicPhonons, GroupVelocitiesAreFrequencyGradients)
  {
    for (const char *name : {"Si-PBEsol", "AlN-LDA"})
      {
        const DynamicalMatrix d(material(name));
        const Structure      &cell = d.structure();
        const Eigen::Vector3d q(0.13, -0.21, 0.17);
        const Eigen::Vector3d n = Eigen::Vector3d(0.3, -0.5, 0.8).normalized(); // Cartesian
        const double          h = 1e-4 * cell.reciprocal().row(0).norm();       // [1/m]
        // Cartesian displacement h n in the reciprocal basis: q_i = a_i . dq.
        const Eigen::Vector3d dq = cell.lattice * n * h;
        const PhononPoint     at = phonons_at(d, q);
        const Eigen::VectorXd up = phonons_at(d, q + dq).omega, down = phonons_at(d, q - dq).omega;
        for (int s = 0; s < at.omega.size(); ++s)
          {
            const double difference = (up[s] - down[s]) / (2 * h) / (2 * M_PI);
            EXPECT_NEAR(at.velocity.row(s).dot(n), difference, 1e-6 * at.velocity.norm())
              << name << " branch " << s;
          }
      }
  }

  // The non-analytic term: at q -> 0 the LO modes of wurtzite AlN rise above the TO modes,
  // and differently along c (A1 symmetry) and in the plane (E1); the limit q = 0 with a
  // direction equals a small q along that direction.
  TEST(HarmonicPhonons, LoToSplittingOfAlN)
  {
    const DynamicalMatrix d(material("AlN-LDA"));
    ASSERT_TRUE(d.polar());
    const double top_gamma = phonons_at(d, {0, 0, 0}).omega[11];
    const double lo_c = phonons_at(d, {0, 0, 0}, Eigen::Vector3d(0, 0, 1)).omega[11];
    const double lo_a = phonons_at(d, {0, 0, 0}, Eigen::Vector3d(1, 0, 0)).omega[11];
    EXPECT_GT(lo_c - top_gamma, 2 * thz); // LO-TO splittings of AlN are ~ 3 THz
    EXPECT_GT(lo_a - top_gamma, 2 * thz);
    EXPECT_GT(std::abs(lo_c - lo_a), 0.05 * thz); // anisotropic
    const double small_c = phonons_at(d, {0, 0, 1e-4}).omega[11];
    const double small_a = phonons_at(d, {2e-4, -1e-4, 0}).omega[11]; // along x
    EXPECT_NEAR(small_c, lo_c, 1e-3 * thz);
    EXPECT_NEAR(small_a, lo_a, 1e-3 * thz);
    std::cout << "AlN at Gamma: top TO " << top_gamma / thz << " THz, LO along c "
              << lo_c / thz << " THz, LO along a " << lo_a / thz << " THz\n";
  }

  TEST(HarmonicPhonons, BranchLabels)
  {
    EXPECT_EQ(branch_labels(6), (std::vector<std::string>{"TA1", "TA2", "LA", "O1", "O2", "O3"}));
  }
} // namespace
