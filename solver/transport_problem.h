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
    double in_use_bytes = 0; // resident when the estimate is made (libraries, databases)
    double planned() const { return state_bytes + matrix_bytes + geometry_bytes; }
    double total() const { return planned() + in_use_bytes; }
  };

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
    /// The operator itself, for steps that raise its extinction (transient.h).
    EventOperator<dim>       &event_operator() { return *events; }
    /// psi^0 of Transient/Initial population = source: G (1 s), the emission of the
    /// Sources term (projected on the DG space) held for one second.
    ModeField                 initial_population() const;
    const Observables<dim>   &observables() const { return *observation; }
    const InterfaceScattering<dim> *interface_scattering() const { return interfaces.get(); }
    const dealii::Triangulation<dim> &mesh() const { return triangulation; }

  private:
    /// Walls further than this fraction of the reference temperature get a warning.
    static constexpr double linearization_warning = 0.1;

    /// The boundary models on one line, and a warning for walls far from the reference.
    void           report_boundaries() const;
    void           read_materials();
    /// What the memory estimate needs of a region.
    struct RegionSize
    {
      double modes, cells, traces; // traces: wall and interface trace points
      bool   collision;
      /// Drift classes of the largest rank's modes (drift_classes), or < 0 before the
      /// databases are read: then every local mode counts as its own class.
      double drift_classes = -1;
    };
    /// Whether the solve iterates on the scattering data (Solver/Krylov unknown).
    bool scattering_data_unknown(const std::vector<RegionSize> &sizes) const;
    /// Per rank; dense matrices count unless `matrices_read` (then they are in use).
    MemoryEstimate estimate_memory(const std::vector<RegionSize> &sizes, bool matrices_read) const;
    /// Prints the estimate (before the mesh, or with the databases read) and refuses a run
    /// that does not fit.
    void           check_memory(const std::vector<RegionSize> &sizes, bool matrices_read) const;
    /// Memory from the parameters and the databases' sizes, before the mesh is built.
    void           check_before_mesh() const;
    std::optional<double> effective_conductivity(const Eigen::Vector3d &mean_flux) const;
    /// The sources' power and the heat leaving through each wall, printed and recorded.
    SourceReport          report_sources(const ModeField &psi) const;

    /// Solver/Method = transient: the steps from the initial population, recorded in
    /// `record`; psi^N to `psi`.
    SolveReport           solve_transient(ModeField &psi, TransientRecord &record);
    /// The line's T - T0 of a state.
    std::vector<double>   line_deviation(const ModeField &psi) const;

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
    std::vector<Eigen::VectorXd>          transient_source; // S per region of a transient run
    mutable double                        estimated_peak = 0; // bytes per rank, the last estimate
  };
} // namespace kapitza
