#pragma once
// OpenBLAS threads under MPI: the ranks already fill the cores, so each rank's BLAS runs
// on one thread unless the user set OPENBLAS_NUM_THREADS (threads on top of ranks
// oversubscribe the machine and slow every dense product).

#include <mpi.h>

namespace kapitza
{
  void limit_blas_threads(MPI_Comm comm);
} // namespace kapitza
