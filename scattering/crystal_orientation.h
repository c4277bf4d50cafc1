#pragma once
// How a crystal sits in the mesh: a proper rotation R whose rows are the unit crystal
// directions (Cartesian, in the mode database's axes) along the mesh's x, y and z. A mode
// set carries vectors and tensors in the database's axes; rotating it by R puts them in the
// mesh's, so transport, walls, interfaces and EELS all see the rotated crystal.

#include "scattering/mode_set.h"

#include <Eigen/Dense>

#include <string>

namespace kapitza
{
  /// "a b c, d e f": the crystal directions along the mesh's x and y (any length, at right
  /// angles); z = x cross y. "aligned" (or empty) is the identity. Anything else is an
  /// error naming `context` and the text.
  Eigen::Matrix3d parse_crystal_orientation(const std::string &text, const std::string &context);

  /// "x = [a b c], y = [...], z = [...]" of the rows of R (%.4g).
  std::string describe_orientation(const Eigen::Matrix3d &rotation);

  /// v -> R v of every vector (velocity, wavevector, cell rows, eigenvector components per
  /// atom) and Z -> R Z R^T of the Born charges; R must be a proper rotation.
  void rotate_crystal(ModeSet &modes, const Eigen::Matrix3d &rotation);
} // namespace kapitza
