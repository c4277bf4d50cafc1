#pragma once
// Volumetric heat sources (subsection Sources of the input file, DESIGN.md section 5).
// A source S(r) [W/m^3] is emitted as the relaxation would emit it:
//   G_mu(r) = g_mu S(r),  g_mu = s_mu (1/tau_mu) / sum_nu C_nu / tau_nu,
// with s_mu the psi of 1 K and 1/tau the relaxation rate (the diagonal of Omega for a
// dense collision matrix), so that sum_mu e_mu G_mu = S: the source heats the phonons at
// exactly the rate S, in the spectrum that scattering would give them. It enters the
// first event, psi^(0) = D^-1 (G_walls + G), as the DG projection of S.

#include "interface/boundary_conditions.h"
#include "meshes/drift_geometry.h"
#include "scattering/mode_set.h"

#include <deal.II/base/parameter_handler.h>

#include <memory>
#include <string>
#include <vector>

namespace dealii
{
  template <int dim>
  class FunctionParser;
}

namespace kapitza
{
  struct HeatSourceParameters
  {
    std::string         profile = "none"; // none | gaussian | uniform | function
    double              density = 0;      // [W/m^3]: gaussian peak or uniform value
    std::vector<double> centre{0, 0, 0};  // gaussian centre [m]
    double              width = 0;        // gaussian standard deviation [m]
    std::string         region;           // material name; empty: every region
    int                 region_index = -1; // its material index; -1: every region
    std::string         function;         // FunctionParser expression in x, y, z [W/m^3]
    std::shared_ptr<const dealii::FunctionParser<3>> parser; // of `function`, made by parse

    bool active() const { return profile != "none"; }

    static void declare(dealii::ParameterHandler &prm);
    /// Reads and checks every entry: one line naming the first bad one. A steady source
    /// (`needs_sink`) needs a sink: without a thermalizing wall its energy could never leave
    /// (a periodic jump drives a current but removes nothing), so such a run is refused
    /// here; a transient's initial population needs none.
    void parse(dealii::ParameterHandler &prm, unsigned int dimension,
               const std::vector<std::string> &material_names, const BoundaryConditions &boundaries,
               bool needs_sink = true);

    /// S at a point [W/m^3] (the region restriction aside).
    double value(const Eigen::Vector3d &point) const;
    /// "gaussian 1e+15 W/m^3 at (5e-07, 0, 0), width 5e-08 m, region Si" for the log.
    std::string summary() const;
  };

  /// g_mu = s_mu / (tau_mu sum_nu C_nu / tau_nu) [psi per (W/m^3) per s]: sum e g = 1.
  Eigen::VectorXd source_emission(const ModeSet &modes);

  /// The L2 projection of S on each region's DG space (region DoF values, cell k owning
  /// DoFs [k nd, (k+1) nd)); empty for a region without source. Regions are materials.
  /// Throws one line when S is not finite at a quadrature point.
  template <int dim>
  std::vector<Eigen::VectorXd> project_heat_source(const HeatSourceParameters &source,
                                                   const DriftGeometry<dim>   &geometry);

  /// Unit of a power integrated over a dim-dimensional domain: W/m^2 (1D, per unit
  /// cross-section), W/m (2D, per unit depth) or W (3D).
  const char *power_unit(int dim);
} // namespace kapitza
