#include "scattering/ab_initio/harmonic_phonons.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      int wrap(int i, int n)
      {
        return ((i % n) + n) % n;
      }
    } // namespace

    unsigned int grid_index(const std::array<int, 3> &size, const std::array<int, 3> &a)
    {
      return wrap(a[0], size[0]) + size[0] * (wrap(a[1], size[1]) + size[1] * wrap(a[2], size[2]));
    }

    BranchSets degenerate_sets(const Eigen::VectorXd &omega)
    {
      BranchSets sets;
      for (unsigned int s = 0; s < omega.size(); ++s)
        if (s > 0 && omega[s] - omega[s - 1] < degeneracy_frequency)
          sets.back().second = s + 1;
        else
          sets.push_back({s, s + 1});
      return sets;
    }

    unsigned int PhononMesh::index(const std::array<int, 3> &a) const
    {
      return grid_index(size, a);
    }

    std::array<int, 3> PhononMesh::address(unsigned int q) const
    {
      return {{int(q % size[0]), int((q / size[0]) % size[1]), int(q / (size[0] * size[1]))}};
    }

    unsigned int PhononMesh::minus(unsigned int q) const
    {
      const auto a = address(q);
      return index({{-a[0], -a[1], -a[2]}});
    }

    PhononPoint phonons_at(const DynamicalMatrix &dynamical_matrix, const Eigen::Vector3d &q,
                           const std::optional<Eigen::Vector3d> &nac_direction)
    {
      return diagonalize(dynamical_matrix.at(q, nac_direction), dynamical_matrix.derivative(q));
    }

    namespace
    {
      double signed_root(double lambda)
      {
        return std::copysign(std::sqrt(std::abs(lambda)), lambda);
      }

      // Modes [begin, end) closer than the degeneracy threshold: the basis of their
      // subspace that diagonalizes the velocity operator along `probe` (degenerate
      // perturbation theory, as phonopy), each mode's frequency its Rayleigh quotient
      // e^+ D e in that basis (equal to the eigenvalue for exact degeneracy; a split
      // below the threshold is shared consistently, so that e(-q) = e(q)^* keeps
      // omega(-q) = omega(q) mode by mode), ordered ascending.
      void resolve_degenerate_set(const Eigen::MatrixXcd &d, const Eigen::MatrixXcd &d_probe,
                                  int begin, int end, PhononPoint &point)
      {
        auto set = point.eigenvectors.middleCols(begin, end - begin);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> within(set.adjoint() * d_probe *
                                                                     set);
        const Eigen::MatrixXcd rotated  = set * within.eigenvectors();
        const Eigen::VectorXd  rayleigh = (rotated.adjoint() * d * rotated).diagonal().real();
        // Ascending; quotients equal to round-off keep the velocity-operator order.
        const double     tie = 1e-12 * rayleigh.cwiseAbs().maxCoeff();
        std::vector<int> order(end - begin);
        std::iota(order.begin(), order.end(), 0);
        for (unsigned int i = 1; i < order.size(); ++i)
          for (unsigned int j = i; j > 0 && rayleigh[order[j]] < rayleigh[order[j - 1]] - tie; --j)
            std::swap(order[j], order[j - 1]);
        for (int i = 0; i < end - begin; ++i)
          {
            set.col(i)             = rotated.col(order[i]);
            point.omega[begin + i] = signed_root(rayleigh[order[i]]);
          }
      }
    } // namespace

    PhononPoint diagonalize(const Eigen::MatrixXcd                     &dynamical_matrix,
                            const std::array<Eigen::MatrixXcd, 3> &d_d)
    {
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> solver(dynamical_matrix);
      if (solver.info() != Eigen::Success)
        throw std::runtime_error("the dynamical matrix could not be diagonalized");
      PhononPoint point;
      point.omega        = solver.eigenvalues().unaryExpr(&signed_root);
      point.eigenvectors = solver.eigenvectors();
      const Eigen::Vector3d  probe   = Eigen::Vector3d(1, 2, 3).normalized();
      const Eigen::MatrixXcd d_probe = probe[0] * d_d[0] + probe[1] * d_d[1] + probe[2] * d_d[2];
      for (const auto &[begin, end] : degenerate_sets(point.omega))
        if (end - begin > 1)
          resolve_degenerate_set(dynamical_matrix, d_probe, begin, end, point);
      // v = d omega/dk = (e^+ dD/dq e) / (2 omega) / (2 pi), with k = 2 pi q.
      point.velocity.resize(point.omega.size(), 3);
      for (unsigned int c = 0; c < 3; ++c)
        point.velocity.col(c) =
          (point.eigenvectors.adjoint() * d_d[c] * point.eigenvectors).diagonal().real();
      for (int s = 0; s < point.omega.size(); ++s)
        point.velocity.row(s) *=
          point.omega[s] > degeneracy_frequency ? 1 / (4 * M_PI * point.omega[s]) : 0.0;
      return point;
    }

    namespace
    {
      // At a point with a component 1/2, the mesh holds -q as -q + G. The short-range
      // D(q) is periodic up to the gauge V = diag(exp(-2 pi i G.r_k)), but the truncated
      // Gonze-Lee sum only to ~1e-6, which would break omega(-q) = omega(q) and
      // v(-q) = -v(q) (and the heat-current balance of the mode set). Such points use
      // the average of D(q) and its time-reversed partner V D(m)^* V^+, m = -q + G.
      PhononPoint time_reversal_symmetric(const DynamicalMatrix &dynamical_matrix,
                                          const PhononMesh &mesh, unsigned int q_index)
      {
        const Eigen::Vector3d q = mesh.q_fractional.row(q_index).transpose();
        const Eigen::Vector3d m = mesh.q_fractional.row(mesh.minus(q_index)).transpose();
        const Eigen::Vector3d g = q + m;
        if (g.isZero(0) || !dynamical_matrix.polar())
          return phonons_at(dynamical_matrix, q);
        const Structure &cell = dynamical_matrix.structure();
        Eigen::VectorXcd gauge(3 * cell.n_atoms());
        for (unsigned int k = 0; k < cell.n_atoms(); ++k)
          gauge.segment<3>(3 * k).setConstant(
            std::polar(1.0, -2 * M_PI * g.dot(cell.fractional.row(k))));
        const auto partner = [&](const Eigen::MatrixXcd &d) -> Eigen::MatrixXcd {
          return gauge.asDiagonal() * d.conjugate() * gauge.conjugate().asDiagonal();
        };
        const Eigen::MatrixXcd d = (dynamical_matrix.at(q) + partner(dynamical_matrix.at(m))) / 2.0;
        auto       d_d   = dynamical_matrix.derivative(q);
        const auto d_d_m = dynamical_matrix.derivative(m);
        for (unsigned int c = 0; c < 3; ++c)
          d_d[c] = (d_d[c] - partner(d_d_m[c])) / 2.0;
        return diagonalize(d, d_d);
      }
    } // namespace

    PhononMesh mesh_points(std::array<int, 3> n)
    {
      if (n[0] < 1 || n[1] < 1 || n[2] < 1)
        throw std::runtime_error("a q-mesh needs at least one point along each axis");
      PhononMesh mesh;
      mesh.size = n;
      mesh.q_fractional.resize(n[0] * n[1] * n[2], 3);
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        {
          const auto a = mesh.address(q);
          for (unsigned int d = 0; d < 3; ++d) // wrapped to (-1/2, 1/2]
            mesh.q_fractional(q, d) = double(2 * a[d] > n[d] ? a[d] - n[d] : a[d]) / n[d];
        }
      return mesh;
    }

    PhononMesh harmonic_phonons(const DynamicalMatrix &dynamical_matrix, std::array<int, 3> n)
    {
      PhononMesh mesh = mesh_points(n);
      mesh.omega.resize(mesh.n_q(), dynamical_matrix.size());
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        {
          PhononPoint point = time_reversal_symmetric(dynamical_matrix, mesh, q);
          mesh.omega.row(q) = point.omega.transpose();
          mesh.eigenvectors.push_back(std::move(point.eigenvectors));
          mesh.velocity.push_back(std::move(point.velocity));
        }
      return mesh;
    }

    PhononMesh harmonic_phonons(const ForceConstants &fc, std::array<int, 3> mesh)
    {
      return harmonic_phonons(DynamicalMatrix(fc), mesh);
    }

    std::vector<std::string> branch_labels(unsigned int n_branch)
    {
      std::vector<std::string> labels;
      for (unsigned int s = 0; s < n_branch; ++s)
        labels.push_back(s < 3 ? std::vector<std::string>{"TA1", "TA2", "LA"}[s] :
                                 "O" + std::to_string(s - 2));
      return labels;
    }
  } // namespace phonons
} // namespace kapitza
