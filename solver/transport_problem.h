#pragma once
// One run of kapitza: mesh, materials, drift geometry, the scattering-event operator,
// the steady-state solve and the results file.

#include "solver/observables.h"
#include "solver/parameters.h"
#include "solver/results_writer.h"

#include <deal.II/base/conditional_ostream.h>

namespace kapitza
{
  /// Bytes a run needs, estimated before anything large is allocated.
  struct MemoryEstimate
  {
    double state_bytes = 0, matrix_bytes = 0, geometry_bytes = 0;
    double total() const { return state_bytes + matrix_bytes + geometry_bytes; }
  };

  /// The memory this machine has available now [bytes] (MemAvailable of /proc/meminfo).
  double available_memory();

  template <int dim>
  class TransportProblem
  {
  public:
    /// The modes are split over the ranks of `communicator`; the mesh is replicated.
    TransportProblem(const RunParameters &parameters, MPI_Comm communicator);
    /// Solves and writes the results; returns the report of the steady-state solve.
    SolveReport run();

    /// Set up: reads materials and builds the mesh and operators (run() calls it).
    void setup();
    const EventOperator<dim> &event_operator() const { return *events; }
    const Observables<dim>   &observables() const { return *observation; }
    const InterfaceScattering<dim> *interface_scattering() const { return interfaces.get(); }
    const dealii::Triangulation<dim> &mesh() const { return triangulation; }

  private:
    void           read_materials();
    MemoryEstimate estimate_memory(const std::vector<ModeSet> &modes) const;
    std::optional<double> effective_conductivity(const Eigen::Vector3d &mean_flux) const;

    const RunParameters                  &parameters;
    MPI_Comm                              communicator;
    dealii::ConditionalOStream            pcout; // rank 0 of the communicator
    dealii::Triangulation<dim>            triangulation;
    std::unique_ptr<DriftGeometry<dim>>   geometry;
    std::vector<RegionPhysics>            regions;
    std::unique_ptr<EventOperator<dim>>   events;
    std::unique_ptr<InterfaceScattering<dim>> interfaces;
    std::unique_ptr<Observables<dim>>     observation;
    std::unique_ptr<EelsProbe<dim>>       eels; // when EELS/Enabled
  };
} // namespace kapitza
