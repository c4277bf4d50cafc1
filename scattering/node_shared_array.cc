#include "scattering/node_shared_array.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace kapitza
{
  MPI_Comm node_communicator(MPI_Comm comm)
  {
    int rank;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm node;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    return node;
  }

  std::pair<int, int> node_rank_and_size(MPI_Comm comm)
  {
    MPI_Comm node = node_communicator(comm);
    int      rank, size;
    MPI_Comm_rank(node, &rank);
    MPI_Comm_size(node, &size);
    MPI_Comm_free(&node);
    return {rank, size};
  }

  NodeSharedArray::NodeSharedArray(std::size_t size, MPI_Comm comm)
    : node(node_communicator(comm))
    , n(size)
  {
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_size(node, &node_ranks);
    // The node's first rank allocates everything (contiguous, first touched there); the
    // others map its segment.
    const MPI_Aint bytes = node_rank == 0 ? MPI_Aint(size * sizeof(double)) : 0;
    void          *own   = nullptr;
    if (MPI_Win_allocate_shared(bytes, sizeof(double), MPI_INFO_NULL, node, &own, &window) != MPI_SUCCESS)
      throw std::runtime_error("could not allocate a shared table of " + std::to_string(size * sizeof(double)) +
                               " bytes on this node");
    MPI_Aint segment;
    int      unit;
    MPI_Win_shared_query(window, 0, &segment, &unit, &base);
    if (node_rank == 0)
      std::fill(base, base + size, 0.0);
    MPI_Win_lock_all(MPI_MODE_NOCHECK, window);
    synchronize();
  }

  void NodeSharedArray::synchronize()
  {
    // Unified memory model: sync, barrier, sync orders every rank's stores before every
    // rank's later loads.
    MPI_Win_sync(window);
    MPI_Barrier(node);
    MPI_Win_sync(window);
  }

  void NodeSharedArray::release()
  {
    if (window != MPI_WIN_NULL)
      {
        MPI_Win_unlock_all(window);
        MPI_Win_free(&window);
      }
    if (node != MPI_COMM_NULL)
      MPI_Comm_free(&node);
    base = nullptr;
    n    = 0;
  }

  NodeSharedArray::~NodeSharedArray() { release(); }

  NodeSharedArray::NodeSharedArray(NodeSharedArray &&other) noexcept { *this = std::move(other); }

  NodeSharedArray &NodeSharedArray::operator=(NodeSharedArray &&other) noexcept
  {
    if (this != &other)
      {
        release();
        std::swap(window, other.window);
        std::swap(node, other.node);
        std::swap(base, other.base);
        std::swap(n, other.n);
        std::swap(node_rank, other.node_rank);
        std::swap(node_ranks, other.node_ranks);
      }
    return *this;
  }
} // namespace kapitza
