// Mode Grueneisen parameters from fc3 (scattering/ab_initio/gruneisen.h) against an
// independent finite difference: the strained second-order force constants
// fc2 + eps sum_l Phi3(i, j, l) d(l) (d: the minimum-image position of l seen from home
// atom i, found here by its own search, plus the internal relaxation) are Fourier
// transformed by DynamicalMatrix, D0 + eps D_strain is rediagonalized at +-eps, and
// gamma = -(1 / (6 omega^2)) d(omega^2)/d eps (isotropic linear strain, V ~ (1 + eps)^3),
// averaged over degenerate sets. Also: the internal relaxation leaves no force, and is zero
// where inversion symmetry forbids it (diamond Si).

#include "scattering/ab_initio/gruneisen.h"
#include "scattering/ab_initio/io/phono3py_reader.h"

#include "test_utilities.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

namespace
{
  using namespace kapitza::phonons;

  const ForceConstants &with_fc3(const std::string &name)
  {
    static std::map<std::string, ForceConstants> cache;
    auto it = cache.find(name);
    if (it == cache.end())
      it = cache.emplace(name, read_phono3py(kapitza::testing::material_folder(name), true))
             .first;
    return it->second;
  }

  // The shortest image of supercell atom l seen from supercell atom home, averaged over
  // equally short ones [m]: a search over the neighbouring supercells.
  Eigen::Vector3d nearest_image(const Structure &cell, unsigned int home, unsigned int l)
  {
    Eigen::Vector3d f = (cell.fractional.row(l) - cell.fractional.row(home)).transpose();
    f -= f.array().round().matrix();
    std::vector<Eigen::Vector3d> candidates;
    double                       shortest = INFINITY;
    for (int a = -2; a <= 2; ++a)
      for (int b = -2; b <= 2; ++b)
        for (int c = -2; c <= 2; ++c)
          {
            candidates.push_back(cell.lattice.transpose() * (f + Eigen::Vector3d(a, b, c)));
            shortest = std::min(shortest, candidates.back().norm());
          }
    Eigen::Vector3d sum = Eigen::Vector3d::Zero();
    int             n   = 0;
    for (const Eigen::Vector3d &r : candidates)
      if (r.norm() < shortest + 1e-15)
        sum += r, ++n;
    return sum / n;
  }

  // fc2 of a unit isotropic strain on the fc3 supercell (the supercell of the returned set).
  ForceConstants strain_force_constants(const ForceConstants &fc)
  {
    ForceConstants     strain;
    strain.primitive     = fc.primitive;
    strain.fc2_supercell = fc.fc3_supercell;
    const Structure   &cell     = fc.fc3_supercell.structure;
    const unsigned int n        = cell.n_atoms();
    const Positions    internal = internal_strain(fc);
    strain.fc2.assign(std::size_t(fc.primitive.n_atoms()) * n * 9, 0.0);
    for (unsigned int i = 0; i < fc.primitive.n_atoms(); ++i)
      for (unsigned int l = 0; l < n; ++l)
        {
          const unsigned int    home = fc.fc3_supercell.primitive_to_supercell[i];
          const Eigen::Vector3d d    = nearest_image(cell, home, l) +
                                    internal.row(fc.fc3_supercell.supercell_to_primitive[l]).transpose();
          for (unsigned int j = 0; j < n; ++j)
            for (unsigned int abg = 0; abg < 27; ++abg)
              strain.fc2[(std::size_t(i) * n + j) * 9 + abg / 3] +=
                fc.fc3[((std::size_t(i) * n + j) * n + l) * 27 + abg] * d[abg % 3];
        }
    return strain;
  }

  // -(1/(6 omega^2)) d(omega^2)/d eps by central differences, mean over degenerate sets.
  Eigen::VectorXd finite_difference(const DynamicalMatrix &d0, const DynamicalMatrix &strain,
                                    const Eigen::Vector3d &q, const Eigen::VectorXd &omega, double eps)
  {
    const auto eigenvalues = [&](double e) {
      return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(d0.at(q) + e * strain.at(q), Eigen::EigenvaluesOnly)
        .eigenvalues();
    };
    const Eigen::VectorXd slope = (eigenvalues(eps) - eigenvalues(-eps)) / (2 * eps);
    Eigen::VectorXd       gamma = Eigen::VectorXd::Zero(omega.size());
    for (const auto &[begin, end] : degenerate_sets(omega))
      if (omega[begin] >= degeneracy_frequency)
        for (unsigned int s = begin; s < end; ++s)
          gamma[s] = -slope.segment(begin, end - begin).mean() / (6 * omega[s] * omega[s]);
    return gamma;
  }

  // Central differences at eps = 1e-5 leave O(eps^2) ~ 1e-10 of gamma; round-off of the
  // eigenvalues (1e-16 of the largest omega^2, over 2 eps) is ~1e-11 of the largest
  // omega^2, ~1e-8 relative for the slowest acoustic modes checked. Tolerance 1e-6.
  constexpr double strain_step = 1e-5, tolerance = 1e-6;

  void expect_finite_difference(const std::string &name)
  {
    const ForceConstants      &fc = with_fc3(name);
    const DynamicalMatrix      d0(fc);
    const DynamicalMatrix      strain(strain_force_constants(fc));
    const GruneisenParameters  gruneisen(fc);
    // Gamma (optical sets, acoustic left out), a zone-boundary point with degenerate
    // bands and a generic point.
    for (const Eigen::Vector3d &q : {Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(0.5, 0, 0),
                                     Eigen::Vector3d(0.1, -0.23, 0.37)})
      {
        const PhononPoint     point    = phonons_at(d0, q);
        const Eigen::VectorXd expected = finite_difference(d0, strain, q, point.omega, strain_step);
        const Eigen::VectorXd gamma    = gruneisen.at(q, point.omega, point.eigenvectors);
        EXPECT_GT(gamma.cwiseAbs().maxCoeff(), 0.1) << name; // not trivially zero
        for (int s = 0; s < gamma.size(); ++s)
          EXPECT_NEAR(gamma[s], expected[s], tolerance) << name << " q = " << q.transpose() << " branch " << s;
      }
  }

  TEST(Gruneisen, EqualsFiniteDifferenceOfStrainedDiamond)
  {
    expect_finite_difference("Si-SW");
  }

  // 4H-SiC has sublattices that relax under isotropic strain (site symmetry 3m).
  TEST(Gruneisen, EqualsFiniteDifferenceOfStrainedHexagonalCrystal)
  {
    expect_finite_difference("SiC-4H-vashishta");
  }

  TEST(Gruneisen, InternalRelaxationLeavesNoForce)
  {
    for (const char *name : {"Si-SW", "SiC-4H-vashishta", "AlN-LDA"})
      {
        const ForceConstants &fc       = with_fc3(name);
        const Positions       internal = internal_strain(fc);
        const Positions       clamped  = strain_force(fc, Positions::Zero(internal.rows(), 3));
        const Positions       relaxed  = strain_force(fc, internal);
        // Relaxation removes every optical component; what remains is the net force of the
        // clamped strain (zero for ideal force constants, not for supercell fc2 with
        // minimum images), shared in proportion to the masses.
        const Eigen::RowVector3d net   = clamped.colwise().sum();
        const Positions          share = fc.primitive.masses / fc.primitive.masses.sum() * net;
        EXPECT_LT((relaxed - share).norm(), 1e-10 * clamped.norm()) << name;
        std::cout << name << ": net force of the clamped strain / its size " << net.norm() / clamped.norm() << "\n";
        // Centre of mass fixed (the pseudo-inverse has no translation).
        EXPECT_LT((fc.primitive.masses.transpose() * internal).norm(),
                  1e-10 * fc.primitive.masses.sum() * internal.norm() + 1e-30) << name;
        if (std::string(name) == "Si-SW") // inversion centre between the two atoms: no relaxation
          {
            EXPECT_LT(internal.norm(), 1e-12 * fc.primitive.lattice.norm()) << name;
          }
        else
          {
            EXPECT_GT(internal.norm(), 1e-6 * fc.primitive.lattice.norm()) << name;
          }
      }
  }

  // omega(-q) = omega(q) with conjugate eigenvectors: gamma(-q) = gamma(q) on the mesh.
  TEST(Gruneisen, TimeReversalOnTheMesh)
  {
    const ForceConstants     &fc    = with_fc3("AlN-LDA");
    const PhononMesh          mesh  = harmonic_phonons(fc, {{3, 3, 2}});
    const Eigen::MatrixXd     gamma = GruneisenParameters(fc).on_mesh(mesh);
    for (unsigned int q = 0; q < mesh.n_q(); ++q)
      EXPECT_LT((gamma.row(q) - gamma.row(mesh.minus(q))).cwiseAbs().maxCoeff(), 1e-8) << q;
  }
} // namespace
