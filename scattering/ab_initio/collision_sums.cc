#include "scattering/ab_initio/collision_sums.h"

#include <algorithm>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      // Sums a large array over the ranks onto rank 0, in pieces that MPI counts can hold.
      void reduce_to_root(double *data, std::size_t size, MPI_Comm comm)
      {
        int rank;
        MPI_Comm_rank(comm, &rank);
        const std::size_t piece = std::size_t(1) << 26;
        for (std::size_t start = 0; start < size; start += piece)
          {
            const int count = static_cast<int>(std::min(piece, size - start));
            if (rank == 0)
              MPI_Reduce(MPI_IN_PLACE, data + start, count, MPI_DOUBLE, MPI_SUM, 0, comm);
            else
              MPI_Reduce(data + start, nullptr, count, MPI_DOUBLE, MPI_SUM, 0, comm);
          }
      }

      // a(i, j) = a(j, i) = a(i, j) + a(j, i) for i != j, in cache-sized tiles.
      void add_transpose_halves(Eigen::MatrixXd &a)
      {
        const Eigen::Index n = a.rows(), tile = 64;
        for (Eigen::Index j0 = 0; j0 < n; j0 += tile)
          for (Eigen::Index i0 = j0; i0 < n; i0 += tile)
            for (Eigen::Index j = j0; j < std::min(j0 + tile, n); ++j)
              for (Eigen::Index i = std::max(i0, j + 1); i < std::min(i0 + tile, n); ++i)
                a(j, i) = a(i, j) = a(i, j) + a(j, i);
      }
    } // namespace

    CollisionSums::CollisionSums(const std::vector<unsigned int> &mesh_mode, const Eigen::VectorXd &omega,
                                 std::size_t n_mesh_modes, CollisionAssembly assembly)
      : mesh_mode(mesh_mode)
      , omega(omega)
      , matrix_row(n_mesh_modes, -1)
      , assembly(assembly)
      , a(Eigen::MatrixXd::Zero(omega.size(), omega.size()))
      , raw_diagonal(Eigen::VectorXd::Zero(omega.size()))
      , partner_diagonal(Eigen::VectorXd::Zero(omega.size()))
    {
      for (std::size_t row = 0; row < mesh_mode.size(); ++row)
        matrix_row[mesh_mode[row]] = int(row);
    }

    CollisionMatrix CollisionSums::assemble(const Eigen::MatrixXd &weight, MPI_Comm comm)
    {
      int rank;
      MPI_Comm_rank(comm, &rank);
      a.diagonal() += partner_diagonal;
      reduce_to_root(a.data(), a.size(), comm);
      reduce_to_root(raw_diagonal.data(), raw_diagonal.size(), comm);

      CollisionMatrix result;
      if (rank != 0)
        {
          a.resize(0, 0);
          return result;
        }
      add_transpose_halves(a);
      if (assembly == CollisionAssembly::own_view)
        {
          const Eigen::VectorXd before = a.diagonal();
          project_energy();
          result.projection = (a.diagonal() - before).cwiseAbs().sum() / before.sum();
        }
      else
        result.projection = (a.diagonal() - raw_diagonal).cwiseAbs().sum() / raw_diagonal.sum();
      const Eigen::Index n_branch = weight.cols();
      Eigen::VectorXd    inverse_weight(a.rows());
      for (Eigen::Index row = 0; row < a.rows(); ++row)
        {
          const double w      = weight(mesh_mode[row] / n_branch, mesh_mode[row] % n_branch);
          inverse_weight[row] = w > 0 ? 1 / w : 0; // w underflows far above k_B T: no rates
        }
      a = inverse_weight.asDiagonal() * a; // row scaling in place: no second N x N copy
      result.mesh_mode        = mesh_mode;
      result.omega            = std::move(a);
      result.unprojected_rate = inverse_weight.cwiseProduct(raw_diagonal);
      return result;
    }

    void CollisionSums::project_energy()
    {
      const Eigen::VectorXd e = omega.normalized();
      // (I - e e^T) a (I - e e^T) = a - e f^T - f e^T with f = a e - (e.a e) e / 2 (a symmetric),
      // one column at a time: no second N x N.
      const Eigen::VectorXd ae = a * e;
      const Eigen::VectorXd f  = ae - 0.5 * e.dot(ae) * e;
      for (Eigen::Index j = 0; j < a.cols(); ++j)
        a.col(j) -= e * f[j] + f * e[j];
    }
  } // namespace phonons
} // namespace kapitza
