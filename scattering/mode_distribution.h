#pragma once
// How the modes of one material region are split over MPI ranks, and the (modes x
// columns) arrays that hold their values: the state of a region is (local modes x DoFs),
// trace values are (local modes x trace points). Modes go to ranks in contiguous blocks.

#include "scattering/mode_set.h"

#include <mpi.h>

#include <memory>
#include <vector>

namespace kapitza
{
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// Contiguous block of modes owned by each rank.
  struct ModeDistribution
  {
    std::vector<int> first, count; // per rank
    int              rank = 0;
    MPI_Comm         communicator;

    ModeDistribution(unsigned int n_modes, MPI_Comm communicator);
    int n_local() const { return count[rank]; }
    int local_begin() const { return first[rank]; }
  };

  /// All modes' rows of a (local modes x columns) array, on every rank.
  RowMatrix gather_modes(const RowMatrix &local, const ModeDistribution &distribution);

  /// The modes of one material region as the transport layers see them: the set, its
  /// distribution over ranks and the per-mode weights of DESIGN.md section 1.
  struct RegionModes
  {
    ModeSet                           modes;
    std::unique_ptr<ModeDistribution> distribution;
    Eigen::VectorXd                   energy, shift; // e = rho hbar omega w, s = psi of 1 K
  };
} // namespace kapitza
