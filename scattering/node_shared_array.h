#pragma once
// A read-mostly table held once per node: the ranks of a node that build the same large
// table (kapitza-modes' three-phonon tables, identical on every rank) map one MPI
// shared-memory window instead of holding a copy each, so the node needs the table once,
// not once per rank. Each rank may fill a share of it; fill() makes every share visible
// to every rank of the node.

#include <mpi.h>

#include <cstddef>

namespace kapitza
{
  class NodeSharedArray
  {
  public:
    NodeSharedArray() = default;
    /// Collective over `comm`: `size` doubles, zero, shared by the ranks of each node.
    NodeSharedArray(std::size_t size, MPI_Comm comm);
    ~NodeSharedArray();
    NodeSharedArray(const NodeSharedArray &)            = delete;
    NodeSharedArray &operator=(const NodeSharedArray &) = delete;
    NodeSharedArray(NodeSharedArray &&other) noexcept;
    NodeSharedArray &operator=(NodeSharedArray &&other) noexcept;

    /// Calls fill_share(rank, ranks) on every rank of the node (rank among `ranks` of the
    /// node: fill the entries of that share, disjoint from the other ranks'), then waits
    /// until all shares are written and visible. Collective over the node.
    template <typename FillShare>
    void fill(const FillShare &fill_share)
    {
      fill_share(node_rank, node_ranks);
      synchronize();
    }

    double       *data() { return base; }
    const double *data() const { return base; }
    std::size_t   size() const { return n; }
    double        operator[](std::size_t i) const { return base[i]; }

  private:
    void synchronize();
    void release();

    MPI_Win     window    = MPI_WIN_NULL;
    MPI_Comm    node      = MPI_COMM_NULL;
    double     *base      = nullptr;
    std::size_t n         = 0;
    int         node_rank = 0, node_ranks = 1;
  };

  /// The ranks of `comm` on this rank's node (MPI_COMM_TYPE_SHARED); the caller frees it.
  MPI_Comm node_communicator(MPI_Comm comm);

  /// This rank's place on its node: (rank within the node, ranks on the node).
  std::pair<int, int> node_rank_and_size(MPI_Comm comm);
} // namespace kapitza
