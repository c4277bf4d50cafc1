#pragma once
// Input of the synthetic EELS (subsection EELS of the input file, docs/results.md):
// energy resolution, scattering weights, collection geometry, probe size, the
// temperature fit window and the named intensity windows. Energies are read in eV
// (the unit of the experiment) and kept in J; lengths in m.

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace kapitza
{
  constexpr double electron_volt = 1.602176634e-19; // J

  /// A named energy window [lo, hi] [J] whose loss and gain intensities are integrated.
  struct EnergyWindow
  {
    std::string name;
    double      lo = 0, hi = 0;
  };

  struct EelsParameters
  {
    bool        enabled    = false;
    double      resolution = 0.010 * electron_volt; // FWHM of the energy resolution [J]
    double      energy_step = 0.0005 * electron_volt; // spacing of the energy axis [J]
    std::string weights    = "dos";                   // dos | dipole
    bool        off_axis   = false;
    double      collection_angle = 45;                // off-axis: degrees from the interface plane
    double      probe_size = 0.3e-9;                  // FWHM of the probe / delocalization [m]
    double      fit_lo = 0.055 * electron_volt;     // temperature fit window [J]
    double      fit_hi = 0;                           // [J]; 0: the top of the spectrum
    std::vector<EnergyWindow> windows;

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);
  };

  /// "name:E1:E2, ..." with E1 < E2 in eV; throws one line naming the bad entry.
  std::vector<EnergyWindow> parse_energy_windows(const std::string &text);
} // namespace kapitza
