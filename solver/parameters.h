#pragma once
// The input file (DESIGN.md section 5, deal.II ParameterHandler). Each section's
// parameters are declared next to the code that uses them; this gathers them.

#include "interface/boundary_conditions.h"
#include "interface/interface_scattering.h"
#include "meshes/mesh_generator.h"
#include "scattering/mode_set.h"
#include "solver/eels/eels_parameters.h"
#include "solver/heat_source.h"
#include "solver/run_identity.h"
#include "solver/steady_state.h"
#include "solver/surface_arrivals.h"
#include "solver/transient.h"

#include <deal.II/base/parameter_handler.h>

namespace kapitza
{
  struct RunParameters
  {
    unsigned int             dimension = 1;
    std::vector<std::string> material_names, material_files;
    std::vector<Eigen::Matrix3d> orientations; // rows: crystal directions along x, y, z
    MeshParameters           mesh;
    BoundaryConditions       boundaries;
    InterfaceParameters      interfaces;
    SolverSettings           solver;
    double                   reference_temperature = 300;
    Statistics               statistics            = Statistics::bose;
    unsigned int             degree                = 1;
    std::string              output_file;
    unsigned int             line_points    = 400;
    std::vector<double>      line_zoom;      // centre, half width [m], points; empty: none
    unsigned int             frequency_bins = 4;
    SurfaceArrivalSettings   arrivals;
    bool                     write_vtu      = true;
    double                   memory_limit   = 0; // [GB]; 0: the memory available now
    double                   cell_cache     = 1; // [GB] for inverse cell matrices
    EelsParameters           eels;
    HeatSourceParameters     sources;
    TransientSettings        transient; // Solver/Method = transient
    RunIdentity              identity; // set by read_parameters

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm, const std::string &input_folder);
  };

  /// Reads an input file; relative paths are resolved from its folder.
  RunParameters read_parameters(const std::string &path);

  /// The text of an exception on one line (deal.II messages span several lines).
  std::string one_line(const std::exception &error);
} // namespace kapitza
