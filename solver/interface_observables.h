#pragma once
// Interface resistance as NEMD and the EELS experiment measure it: linear fits of the
// bulk temperature profile on each side of a layer interface (fit windows are fractions
// of each layer, away from walls and interface), extrapolated to the interface plane:
//   dT = T_a(x_i) - T_b(x_i),  R = dT / q,  G = 1 / R,  kappa_s = q / |dT/dx|_s,
// and the characteristic lengths kappa_s R. Also the jump of the equivalent temperature
// across the face itself (DG traces on both sides) and the spectral transmission.

#include "interface/interface_scattering.h"
#include "solver/observables.h"
#include "solver/parameters.h"

namespace kapitza
{
  struct InterfaceReport
  {
    std::string     material_a, material_b;
    double          position = 0;        // x of the interface plane [m]
    double          temperature_drop = 0; // from the linear fits [K]
    double          face_jump = 0;        // mean T_a - T_b of the face traces [K]
    double          heat_flux = 0;        // mean q_x [W/m^2]
    double          resistance = 0;       // [m^2 K / W]
    double          kappa_a = 0, kappa_b = 0; // from the fitted gradients [W/(m K)]
    double          landauer_conductance = 0; // the model's sum_c M_a t_ab (no bulk) [W/(m^2 K)]
    double          spectral_conductance = 0; // dmm with spectral files: of the dense spectra (0: none)
    Eigen::VectorXd frequency;            // channel frequencies [rad/s]
    Eigen::MatrixXd transmission;         // (2 x channels): t_ab, t_ba (face average)
    Eigen::VectorXd spectral_flux;        // net flux a -> b per channel (face average) [W/m^2]
    std::string     model;                // Interfaces/Model (its first word)
    StrainMismatchReport strain;          // smm: how the flux was scattered
  };

  /// One report per interface between consecutive layers of a layer mesh.
  template <int dim>
  std::vector<InterfaceReport>
  measure_interfaces(const RunParameters &parameters, const Observables<dim> &observables,
                     const std::vector<RegionFields> &fields, const LineObservables &line,
                     double mean_flux, const InterfaceScattering<dim> &interfaces,
                     const std::vector<Eigen::MatrixXd> &spectral_flux);
} // namespace kapitza
