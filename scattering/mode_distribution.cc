#include "scattering/mode_distribution.h"

namespace kapitza
{
  ModeDistribution::ModeDistribution(unsigned int n_modes, MPI_Comm communicator)
    : communicator(communicator)
  {
    int size = 1;
    MPI_Comm_rank(communicator, &rank);
    MPI_Comm_size(communicator, &size);
    int begin = 0;
    for (int r = 0; r < size; ++r)
      {
        const int n = n_modes / size + (r < int(n_modes % size) ? 1 : 0);
        first.push_back(begin);
        count.push_back(n);
        begin += n;
      }
  }

  RowMatrix gather_modes(const RowMatrix &local, const ModeDistribution &distribution)
  {
    const int        n_columns = local.cols();
    RowMatrix        all(distribution.first.back() + distribution.count.back(), n_columns);
    std::vector<int> counts, displacements;
    for (unsigned int r = 0; r < distribution.count.size(); ++r)
      {
        counts.push_back(distribution.count[r] * n_columns);
        displacements.push_back(distribution.first[r] * n_columns);
      }
    MPI_Allgatherv(local.data(), local.size(), MPI_DOUBLE, all.data(), counts.data(),
                   displacements.data(), MPI_DOUBLE, distribution.communicator);
    return all;
  }
} // namespace kapitza
