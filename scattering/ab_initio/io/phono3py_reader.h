#pragma once
// Reader of phono3py's force-constant folders (phono3py_params.yaml, fc2.hdf5, fc3.hdf5,
// BORN) into kapitza's SI ForceConstants (scattering/ab_initio/force_constants.h).

#include "scattering/ab_initio/force_constants.h"

#include <string>

namespace kapitza
{
  namespace phonons
  {
    /// Reads FOLDER/phono3py_params.yaml (cells and supercells), FOLDER/fc2.hdf5 and, with
    /// `with_fc3`, FOLDER/fc3.hdf5 (compact or full), and FOLDER/BORN when it exists.
    /// Throws std::runtime_error with one line naming the file and the problem.
    ForceConstants read_phono3py(const std::string &folder, bool with_fc3);

    /// Parses a phonopy BORN file: an optional first-line unit factor (must be the SI
    /// e^2/(4 pi eps0) in eV Angstrom, as VASP data have), eps_inf, and Z* of the
    /// symmetry-independent atoms (spglib's orbit representatives, in atom order), which
    /// are rotated onto the other atoms as phonopy does: Z_i = R^T Z_rep R.
    BornCharges read_born(const std::string &path, const Structure &primitive);
  } // namespace phonons
} // namespace kapitza
