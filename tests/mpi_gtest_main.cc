// GoogleTest entry point that initializes MPI and PETSc (through deal.II) first.
#include <deal.II/base/mpi.h>

#include "scattering/blas_threads.h"
#include "scattering/mpi_start.h"

#include <gtest/gtest.h>

int main(int argc, char **argv)
{
  kapitza::prefer_light_singleton_start();
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  kapitza::use_single_threaded_blas();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
