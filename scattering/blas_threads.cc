#include "scattering/blas_threads.h"

#include <cstdlib>

extern "C" void openblas_set_num_threads(int threads); // OpenBLAS is linked (CMakeLists.txt)

namespace kapitza
{
  void use_single_threaded_blas()
  {
    openblas_set_num_threads(1);
  }

  void limit_blas_threads(MPI_Comm comm)
  {
    int ranks = 1;
    MPI_Comm_size(comm, &ranks);
    if (ranks > 1 && std::getenv("OPENBLAS_NUM_THREADS") == nullptr)
      openblas_set_num_threads(1);
  }
} // namespace kapitza
