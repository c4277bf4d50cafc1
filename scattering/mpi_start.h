#pragma once
// How kapitza's programs start MPI: the one place that chooses Open MPI's start-up.

namespace kapitza
{
  /// A program started without a launcher (no mpirun or srun) is an MPI singleton. Open MPI 4
  /// then forks a helper daemon and initializes UCX for a communicator of one rank: about
  /// 0.35 s of every run, more than a whole 1D solve. Unless the user set them, this asks
  /// for an isolated singleton on the ob1 messaging layer (no daemon, no network probe).
  /// Launched runs keep every default. Call before MPI_Init; other MPIs ignore the names.
  void prefer_light_singleton_start();
} // namespace kapitza
