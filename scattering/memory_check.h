#pragma once
// Refusing work that cannot fit: an estimate of the memory a run will need, checked against
// what the node has available before anything large is allocated, so that a run too large
// for the machine stops at once with one line instead of swapping or being killed hours in.

#include <mpi.h>

#include <string>

namespace kapitza
{
  /// "12.3 GB" (three digits; whole gigabytes from 1000 GB on).
  std::string gigabytes(double bytes);

  /// MemAvailable of /proc/meminfo [bytes]: what new allocations can get on this node
  /// without swapping. Throws when the kernel does not report it.
  double memory_available_on_node();

  /// This process's resident memory [bytes] from /proc/self/status: `VmRSS` now or `VmHWM`
  /// (the peak so far). 0 when the kernel does not report it.
  double resident_bytes(const char *key = "VmRSS:");

  /// Throws one line "WHAT needs an estimated X GB, this node has Y GB available
  /// (MemAvailable): REMEDY" when `need` [bytes] exceeds MemAvailable.
  void check_memory(double need, const std::string &what, const std::string &remedy);

  /// The same for the ranks of `comm`: the `need` of every rank is summed over the ranks of
  /// its node (MPI_COMM_TYPE_SHARED) and compared with that node's MemAvailable, or with
  /// `limit` [bytes per node] when it is positive (a user's Memory limit). Collective:
  /// every rank throws the same line (naming the node with the largest need / available).
  void check_node_memory(double need, const std::string &what, const std::string &remedy,
                         MPI_Comm comm, double limit = 0);
} // namespace kapitza
