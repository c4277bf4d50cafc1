#pragma once
// Importer of phono3py's relaxation-time results (kappa-m*.hdf5): frequencies, group
// velocities and linewidths of the irreducible q-points, unfolded to the full
// Gamma-centred mesh with the crystal's point group (and time reversal).

#include "scattering/ab_initio/force_constants.h"
#include "scattering/mode_set.h"

#include <optional>
#include <string>

namespace kapitza
{
  namespace phonons
  {
    /// Root attribute `source` of imported sets: the lifetimes are RTA data.
    inline const std::string phono3py_kappa_source = "phono3py-kappa (RTA lifetimes)";

    /// Reads `path` (frequency [THz], group_velocity [THz Angstrom], gamma [THz], qpoint,
    /// weight, mesh, temperature) for the crystal `primitive` (the cell phono3py used).
    /// Each irreducible point is mapped by the operations q' = R^-T q (and -q' with time
    /// reversal), velocities by R in Cartesian coordinates; every grid point must be
    /// reached from exactly one irreducible point, as many times as its weight says.
    /// tau = 1/(4 pi gamma), density = 1/(N_q V_cell). Modes below phono3py's cutoff
    /// frequency (1e-4 THz: the acoustic modes at Gamma) are left out, as in phono3py's
    /// conductivity. `temperature` selects one of the file's temperatures (required when
    /// it holds several).
    ModeSet import_phono3py_kappa(const std::string &path, const Structure &primitive,
                                  const std::string &material, Statistics statistics,
                                  std::optional<double> temperature = {});
  } // namespace phonons
} // namespace kapitza
