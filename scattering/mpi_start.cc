#include "scattering/mpi_start.h"

#include <cstdlib>

namespace kapitza
{
  namespace
  {
    // Set by the launchers: Open MPI's mpirun, PMIx (srun --mpi=pmix), PMI (hydra, srun pmi2).
    constexpr const char *launcher_variables[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
  } // namespace

  void prefer_light_singleton_start()
  {
    for (const char *name : launcher_variables)
      if (std::getenv(name) != nullptr)
        return;
    constexpr int keep_user_choice = 0;
    setenv("OMPI_MCA_ess_singleton_isolated", "1", keep_user_choice);
    setenv("OMPI_MCA_pml", "ob1", keep_user_choice);
  }
} // namespace kapitza
