// kapitza INPUT.prm            runs a case (mpirun -np N kapitza INPUT.prm on N ranks)
// kapitza --print-parameters   prints every parameter with its default and documentation

#include "scattering/blas_threads.h"
#include "scattering/mpi_start.h"
#include "solver/transport_problem.h"

#include <deal.II/base/mpi.h>

#include <malloc.h>

#include <cstdio>
#include <iostream>

namespace
{
  constexpr const char *usage =
    "usage: kapitza INPUT.prm            runs a case (mpirun -np N kapitza INPUT.prm: modes split over N ranks)\n"
    "       kapitza --print-parameters   every parameter of INPUT.prm with its default and meaning\n"
    "       kapitza --help               this text\n"
    "INPUT.prm is a deal.II parameter file (DESIGN.md section 5, docs/results.md); relative\n"
    "paths in it are relative to its folder, and the results file is written there too.\n";

  int run(const std::string &input)
  {
    const kapitza::RunParameters parameters = kapitza::read_parameters(input);
    kapitza::SolveReport         report;
    switch (parameters.dimension)
      {
        case 1:
          report = kapitza::TransportProblem<1>(parameters, MPI_COMM_WORLD).run();
          break;
        case 2:
          report = kapitza::TransportProblem<2>(parameters, MPI_COMM_WORLD).run();
          break;
        default:
          report = kapitza::TransportProblem<3>(parameters, MPI_COMM_WORLD).run();
      }
    return report.converged ? 0 : 2;
  }
} // namespace

int main(int argc, char **argv)
{
  kapitza::prefer_light_singleton_start();
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  kapitza::use_single_threaded_blas();
  // Every progress line reaches a log at once, also when the output is redirected to a
  // file (block buffering hid a 12-minute setup behind an empty log).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // Every iteration allocates and frees state-sized arrays; keep them in the heap instead
  // of returning them to the kernel, which would zero fresh pages on every allocation.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  try
    {
      const std::string argument = argc == 2 ? argv[1] : "";
      if (argument == "--print-parameters")
        {
          dealii::ParameterHandler prm;
          kapitza::RunParameters::declare(prm);
          if (root)
            prm.print_parameters(std::cout, dealii::ParameterHandler::PRM);
          return 0;
        }
      if (argument == "--help" || argument == "-h")
        {
          if (root)
            std::cout << usage;
          return 0;
        }
      if (argument.empty() || argument[0] == '-')
        throw std::runtime_error("usage: kapitza INPUT.prm | kapitza --print-parameters | kapitza --help");
      return run(argument);
    }
  catch (const std::exception &error)
    {
      if (root)
        std::cerr << "kapitza: error: " << kapitza::one_line(error) << std::endl;
      return 1;
    }
}
