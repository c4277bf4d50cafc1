#pragma once
// Physical constants and the units of other codes' files, in SI (CODATA 2018, exact where
// defined): each value once, for every layer.

#include <cmath>

namespace kapitza
{
  namespace constants
  {
    constexpr double hbar      = 1.054571817e-34; // J s
    constexpr double boltzmann = 1.380649e-23;    // J/K
  } // namespace constants

  namespace units
  {
    constexpr double electronvolt        = 1.602176634e-19;   // J
    constexpr double angstrom            = 1e-10;             // m
    constexpr double atomic_mass         = 1.66053906660e-27; // kg
    constexpr double elementary_charge   = 1.602176634e-19;   // C
    constexpr double vacuum_permittivity = 8.8541878128e-12;  // F/m
    constexpr double terahertz           = 1e12;              // Hz
    /// The angular frequency of 1 THz [rad/s]: omega = angular_terahertz x (frequency in THz).
    constexpr double angular_terahertz = 2 * M_PI * terahertz;
  } // namespace units
} // namespace kapitza
