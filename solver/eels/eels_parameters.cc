#include "solver/eels/eels_parameters.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    double parse_number(const std::string &text, const std::string &what)
    {
      std::size_t used = 0;
      double      value = 0;
      try
        {
          value = std::stod(text, &used);
        }
      catch (const std::exception &)
        {
          used = 0;
        }
      if (used == 0 || text.find_first_not_of(" \t", used) != std::string::npos || !std::isfinite(value))
        throw std::runtime_error("EELS: " + what + " needs a number, got '" + text + "'");
      return value;
    }

    std::string trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t");
      const auto last  = text.find_last_not_of(" \t");
      return first == std::string::npos ? "" : text.substr(first, last - first + 1);
    }
  } // namespace

  std::vector<EnergyWindow> parse_energy_windows(const std::string &text)
  {
    std::vector<EnergyWindow> windows;
    for (const std::string &entry : dealii::Utilities::split_string_list(text))
      {
        const auto parts = dealii::Utilities::split_string_list(entry, ':');
        if (parts.size() != 3 || trim(parts[0]).empty())
          throw std::runtime_error("EELS: window '" + entry + "' must be name:E1:E2 (eV)");
        EnergyWindow window{trim(parts[0]), parse_number(parts[1], "window '" + entry + "'") * electron_volt,
                            parse_number(parts[2], "window '" + entry + "'") * electron_volt};
        if (!(window.lo >= 0 && window.hi > window.lo))
          throw std::runtime_error("EELS: window '" + entry + "' needs 0 <= E1 < E2");
        windows.push_back(window);
      }
    return windows;
  }

  void EelsParameters::declare(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.enter_subsection("EELS");
    prm.declare_entry("Enabled", "false", Bool(),
                      "synthetic vibrational EELS along the probe line (group eels/ of the results)");
    prm.declare_entry("Energy resolution", "0.010", Double(0),
                      "[eV] FWHM of the Gaussian energy resolution the spectra are convolved with");
    prm.declare_entry("Energy step", "0.0005", Double(0),
                      "[eV] spacing of the energy axis (keep it well below the resolution)");
    prm.declare_entry("Weights", "dos", Selection("dos|dipole"),
                      "scattering weight f of each mode: dos (all equal: the density of states) or "
                      "dipole (|q . sum_k Z*_k e_k / sqrt(M_k)|^2 / q^2 from the eigenvectors, masses "
                      "and Born charges of the mode databases)");
    prm.declare_entry("Collection", "on-axis", Anything(),
                      "momentum transfers q the aperture accepts (beam along z): on-axis (q averaged "
                      "over directions in the x-y plane) or off-axis [ANGLE] (q in the x-y plane at "
                      "ANGLE degrees from the interface plane y-z; default 45, as in the experiment)");
    prm.declare_entry("Probe size", "0.3e-9", Double(0),
                      "[m] FWHM of the Gaussian the spectra are convolved with along the line (probe "
                      "size and delocalization); 0: none");
    prm.declare_entry("Fit window", "0.055, top", List(Anything(), 2, 2),
                      "[eV] energy window of the zero-intercept fit ln(I_loss/I_gain) = E/(k_B T); the "
                      "upper end may be `top`: the highest phonon energy seen at that point");
    prm.declare_entry("Windows", "AlN TO:0.081:0.085, alpha:0.073:0.077, beta:0.088:0.092",
                      Anything(),
                      "named energy windows name:E1:E2 [eV] whose loss and gain intensities are "
                      "integrated along the line (defaults: AlN TO 81-85 meV, interface modes alpha "
                      "~75 meV and beta ~90 meV of the AlN/SiC experiment)");
    prm.leave_subsection();
  }

  void EelsParameters::parse(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("EELS");
    enabled     = prm.get_bool("Enabled");
    resolution  = prm.get_double("Energy resolution") * electron_volt;
    energy_step = prm.get_double("Energy step") * electron_volt;
    weights     = prm.get("Weights");
    probe_size  = prm.get_double("Probe size");
    windows     = parse_energy_windows(prm.get("Windows"));

    std::istringstream collection(prm.get("Collection"));
    std::string        mode, rest;
    collection >> mode;
    off_axis = mode == "off-axis";
    if (!off_axis && mode != "on-axis")
      throw std::runtime_error("EELS: Collection '" + prm.get("Collection") +
                               "' must be on-axis or off-axis [ANGLE]");
    std::getline(collection, rest);
    if (!trim(rest).empty() && !off_axis)
      throw std::runtime_error("EELS: Collection on-axis takes no angle");
    collection_angle = trim(rest).empty() ? 45.0 : parse_number(trim(rest), "Collection angle");
    if (collection_angle < 0 || collection_angle > 90)
      throw std::runtime_error("EELS: Collection angle must lie in [0, 90] degrees");

    const auto fit = dealii::Utilities::split_string_list(prm.get("Fit window"));
    fit_lo         = parse_number(fit[0], "Fit window") * electron_volt;
    fit_hi         = fit[1] == "top" ? 0.0 : parse_number(fit[1], "Fit window") * electron_volt;
    if (fit_lo < 0 || (fit_hi != 0 && fit_hi <= fit_lo))
      throw std::runtime_error("EELS: Fit window needs 0 <= E1 < E2 (or E2 = top)");
    if (enabled && (resolution <= 0 || energy_step <= 0))
      throw std::runtime_error("EELS: Energy resolution and Energy step must be positive");
    prm.leave_subsection();
  }
} // namespace kapitza
