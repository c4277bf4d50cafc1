#pragma once
// OpenBLAS threads: the one place that sets them.

#include <mpi.h>

namespace kapitza
{
  /// The transport solve (kapitza, its tests): ranks already use the cores and the dense
  /// products are small per-cell blocks, so BLAS threads would only compete (and spin).
  void use_single_threaded_blas();

  /// kapitza-modes: on one rank its large products profit from threads; under MPI the ranks
  /// fill the cores, so each rank's BLAS runs on one thread unless the user set
  /// OPENBLAS_NUM_THREADS.
  void limit_blas_threads(MPI_Comm comm);
} // namespace kapitza
