#pragma once
// The results file (DESIGN.md section 5): HDF5 with line/, cells/, events/, interfaces/, eels/,
// transient/,
// materials/, surface_arrivals/, summary,
// and a .vtu beside it. Written by rank 0 to a temporary name and renamed at the end,
// so a failed run never leaves a file that looks valid.

#include "solver/eels/eels_probe.h"
#include "solver/interface_observables.h"
#include "solver/observables.h"
#include "solver/run_identity.h"
#include "solver/steady_state.h"
#include "solver/surface_arrivals.h"

#include <optional>

namespace kapitza
{
  /// A material of the run as the results file records it: where its modes came from.
  struct MaterialRecord
  {
    std::string name;
    std::string file;       // the mode database, as Materials/Files resolved it
    std::string source;     // the database's `source` attribute (may be empty)
    Provenance  provenance; // the database's provenance group (may be empty)
    Eigen::Matrix3d orientation = Eigen::Matrix3d::Identity(); // rows: crystal directions along x, y, z
  };

  /// The heat sources of a run and where their heat left (group sources/ of the results).
  struct SourceReport
  {
    std::string                    profile, description;
    double                         power = 0;      // int S [W/m^(3-dim)]
    std::map<unsigned int, double> wall_outflow;   // by boundary id, same unit
  };

  /// A transient run (Solver/Method = transient; group transient/ of the results).
  struct TransientRecord
  {
    double                           time_step = 0, initial_energy = 0;
    unsigned int                     steps = 0, output_every = 1;
    std::vector<double>              time;        // per output (step 0 first) [s]
    std::vector<std::vector<double>> temperature; // per output: T - T0 on the line [K]
    std::vector<double>              energy;      // per output: energy deviation
    std::vector<double>              energy_left; // per output: dt sum_{k<=n} wall outflow
    std::vector<std::map<unsigned int, double>> wall_outflow; // per output, by wall id
    std::vector<double>              time_integral; // dt sum_{n=1..N} (T^n - T0) [K s]
  };

  struct ResultsSummary
  {
    double                reference_temperature = 0;
    double                wall_time             = 0;
    Eigen::Vector3d       mean_heat_flux        = Eigen::Vector3d::Zero();
    std::optional<double> effective_conductivity;
    std::vector<InterfaceReport> interfaces;
    std::optional<EelsResult>    eels; // when EELS/Enabled
    std::optional<SourceReport>  sources; // when Sources/Profile is not none (steady runs)
    std::optional<TransientRecord> transient; // Solver/Method = transient
    SurfaceArrivalRecord         arrivals; // group surface_arrivals/
    std::vector<MaterialRecord>  materials; // by material index
    RunIdentity                  identity;
  };

  /// The .vtu written beside a results file: its file name with the extension replaced
  /// (results.h5 -> results.vtu, run.v2/out -> run.v2/out.vtu).
  std::string vtu_path(const std::string &results_path);

  /// Before any expensive work: each output (the results file, and its .vtu when
  /// `write_vtu`) must lie in an existing, writable folder, be absent or a regular file and
  /// not be one of the run's `inputs`, or one line says which is not. A result already
  /// there is removed (on rank 0 of `communicator`), so that a run that dies never leaves
  /// an older file that looks like its own.
  void prepare_outputs(const std::string &path, bool write_vtu,
                       const std::vector<std::string> &inputs, MPI_Comm communicator);

  /// Writes to PATH.partial beside the target and renames it onto PATH at the end (a
  /// reader never sees a half-written file); the partial file is removed on failure.
  template <int dim>
  void write_results(const std::string &path, bool write_vtu, const Observables<dim> &observables,
                     const std::vector<RegionFields> &fields, const LineObservables &line,
                     const SolveReport &report,
                     const ResultsSummary                &summary,
                     const std::vector<LineObservables> &event_lines,
                     const dealii::Triangulation<dim>    &triangulation);
} // namespace kapitza
