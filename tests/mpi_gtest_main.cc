// GoogleTest entry point that initializes MPI and PETSc (through deal.II) first.
#include <deal.II/base/mpi.h>

#include "scattering/blas_threads.h"
#include "scattering/mpi_start.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace
{
  /// Open MPI's session directory of this process alone: ctest runs two test processes at
  /// once, and two singletons that share /tmp/ompi.HOST.UID/jf.0 can race on creating and
  /// removing it ("A call to mkdir was unable to create the desired directory").
  struct OwnSessionDirectory
  {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("kapitza-tests-mpi-" + std::to_string(::getpid()));
    OwnSessionDirectory()
    {
      std::filesystem::create_directories(path);
      setenv("OMPI_MCA_orte_tmpdir_base", path.c_str(), 0);
    }
    ~OwnSessionDirectory() { std::filesystem::remove_all(path); }
  };
} // namespace

int main(int argc, char **argv)
{
  const OwnSessionDirectory session; // outlives MPI_Finalize
  kapitza::prefer_light_singleton_start();
  int result = 0;
  {
    dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
    kapitza::use_single_threaded_blas();
    ::testing::InitGoogleTest(&argc, argv);
    result = RUN_ALL_TESTS();
  }
  return result;
}
