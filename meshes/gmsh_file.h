#pragma once
// Gmsh files (MSH 2.2 and 4.1, ASCII) as deal.II reads them, with one difference: a
// boundary face without a physical tag is an error instead of boundary id 0 (the Left
// wall, silently). To tell the two apart, the physical tags of the boundary entities are
// shifted by one before deal.II reads the text, so that an untagged face is the only one
// left with id 0, and shifted back after the check.

#include <string>

namespace kapitza
{
  /// The text of a Gmsh file with every physical tag of (dim-1)-dimensional elements or
  /// entities increased by `shift`; throws naming `file` on an unsupported format, a
  /// section left open (a truncated file) or a mesh whose dimension is not `dim`.
  std::string shift_boundary_tags(const std::string &text, int dim, int shift, const std::string &file);
} // namespace kapitza
