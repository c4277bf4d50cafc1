#pragma once
// Reader of ShengBTE's inputs (CONTROL, FORCE_CONSTANTS_2ND, FORCE_CONSTANTS_3RD) into
// kapitza's SI ForceConstants (scattering/ab_initio/force_constants.h), and the choice between a
// ShengBTE and a phono3py folder. docs/force_constants.md describes the formats.

#include "scattering/ab_initio/force_constants.h"

#include <string>

namespace kapitza
{
  namespace phonons
  {
    /// Reads FOLDER/CONTROL (Fortran namelists: &allocations nelements, natoms; &crystal
    /// lfactor, lattvec, elements, types, positions, masses, scell, epsilon, born; &flags
    /// autoisotopes, nonanalytic), FOLDER/FORCE_CONSTANTS_2ND (phonopy's FORCE_CONSTANTS,
    /// full or compact, on the scell supercell in phonopy's atom order) and, with
    /// `with_fc3`, FOLDER/FORCE_CONSTANTS_3RD (thirdorder.py's triplets with explicit
    /// lattice vectors R2, R3). The triplets are folded onto the smallest diagonal
    /// supercell of the unit cell on which kapitza's minimum-image Fourier sum
    /// (three_phonon.h) equals ShengBTE's explicit one; triplets that fit none (up to 16
    /// cells per axis and 1 GiB of fc3) are refused. Throws std::runtime_error with one
    /// line naming the file and the problem.
    ForceConstants read_shengbte(const std::string &folder, bool with_fc3);

    /// "ShengBTE" when FOLDER/CONTROL exists, else "phono3py" when
    /// FOLDER/phono3py_params.yaml does; throws naming the folder when neither does.
    std::string force_constants_format(const std::string &folder);

    /// read_shengbte when FOLDER/CONTROL exists, read_phono3py (phono3py_reader.h)
    /// otherwise.
    ForceConstants read_force_constants_folder(const std::string &folder, bool with_fc3);
  } // namespace phonons
} // namespace kapitza
