#include "scattering/memory_check.h"

#include "scattering/formatted.h"
#include "scattering/node_shared_array.h"

#include <fstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    constexpr double gigabyte = 1e9;
    constexpr const char *no_meminfo = "/proc/meminfo reports no MemAvailable: cannot check the "
                                       "memory estimate (Linux 3.14 or later is needed)";

    [[noreturn]] void refuse(double need, double available, int ranks, const std::string &what,
                             const std::string &remedy, const char *source = "MemAvailable")
    {
      const std::string on = ranks > 1 ? formatted(" on a node with %d ranks", ranks) : "";
      throw std::runtime_error(what + " needs an estimated " + gigabytes(need) + on + ", this node has " +
                               gigabytes(available) + " available (" + source + "): " + remedy);
    }
  } // namespace

  std::string gigabytes(double bytes)
  {
    const double value = bytes / gigabyte;
    return formatted(value < 1000 ? "%.3g GB" : "%.0f GB", value);
  }

  double memory_available_on_node()
  {
    std::ifstream meminfo("/proc/meminfo");
    std::string   key;
    double        kilobytes = 0;
    while (meminfo >> key >> kilobytes)
      {
        if (key == "MemAvailable:")
          return kilobytes * 1024;
        meminfo.ignore(256, '\n');
      }
    throw std::runtime_error(no_meminfo);
  }

  double resident_bytes(const char *key)
  {
    std::ifstream status("/proc/self/status");
    std::string   name;
    double        kilobytes = 0;
    while (status >> name)
      {
        if (name == key && status >> kilobytes)
          return kilobytes * 1024;
        status.ignore(4096, '\n');
      }
    return 0;
  }

  void check_memory(double need, const std::string &what, const std::string &remedy)
  {
    const double available = memory_available_on_node();
    if (need > available)
      refuse(need, available, 1, what, remedy);
  }

  void check_node_memory(double need, const std::string &what, const std::string &remedy,
                         MPI_Comm comm, double limit)
  {
    int rank;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm node = node_communicator(comm);
    int node_rank, node_ranks;
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_size(node, &node_ranks);
    // One reading per node (the ranks would see slightly different values), errors included.
    double available = limit;
    int    readable  = 1;
    if (node_rank == 0 && !(limit > 0))
      try
        {
          available = memory_available_on_node();
        }
      catch (const std::exception &)
        {
          readable = 0;
        }
    MPI_Bcast(&available, 1, MPI_DOUBLE, 0, node);
    double node_need = 0;
    MPI_Allreduce(&need, &node_need, 1, MPI_DOUBLE, MPI_SUM, node);
    MPI_Comm_free(&node);
    MPI_Allreduce(MPI_IN_PLACE, &readable, 1, MPI_INT, MPI_MIN, comm);
    if (!readable)
      throw std::runtime_error(no_meminfo);
    // The worst node decides; its numbers go into the one message every rank throws.
    struct
    {
      double ratio;
      int    rank;
    } worst{node_need / available, rank};
    MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
    if (!(worst.ratio > 1))
      return;
    double numbers[3] = {node_need, available, double(node_ranks)};
    MPI_Bcast(numbers, 3, MPI_DOUBLE, worst.rank, comm);
    refuse(numbers[0], numbers[1], int(numbers[2]), what, remedy,
           limit > 0 ? "the Memory limit" : "MemAvailable");
  }
} // namespace kapitza
