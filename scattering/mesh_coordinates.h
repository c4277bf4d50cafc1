#pragma once
// Where the modes of a kapitza-modes database lie on its Gamma-centred q-mesh: the mesh
// named in its provenance, and each wavevector in mesh steps (used by the spectral DMM's
// smearing widths and by lifetime interpolation, which both need the mesh of a set read
// back from a file).

#include "scattering/mode_set.h"

#include <string>

namespace kapitza
{
  /// The q_mesh of a database's provenance (three positive counts); `file` names it in errors.
  Eigen::Vector3i provenance_q_mesh(const ModeSet &modes, const std::string &file);

  /// Each mode's wavevector in steps of the mesh n (rows; q = sum_i x_i b_i / n_i), rounded
  /// to integers: an error when a wavevector lies off that mesh of the set's cell (another
  /// axis order, cell or mesh).
  Eigen::MatrixX3i mesh_addresses(const ModeSet &modes, const Eigen::Vector3i &n, const std::string &file);
} // namespace kapitza
