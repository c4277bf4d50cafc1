#pragma once
// Boundary conditions per boundary id (DESIGN.md section 2):
//   thermalizing T | diffuse | specular p | periodic [dT]
// Left = id 0 (x-min), Right = id 1 (x-max), Lateral = id 2 (all other faces).

#include "meshes/drift_geometry.h"

#include <deal.II/base/parameter_handler.h>

#include <map>
#include <string>

namespace kapitza
{
  struct BoundarySpec
  {
    enum class Type
    {
      thermalizing,
      diffuse,
      specular,
      periodic,
      interface // set internally on faces between materials (never parsed)
    };
    Type   type  = Type::thermalizing;
    double value = 0; // wall temperature [K], specularity p, or periodic jump dT [K]
  };

  /// Parses one boundary setting; throws naming `where` on an unknown type or value.
  BoundarySpec parse_boundary(const std::string &text, const std::string &where);

  struct BoundaryConditions
  {
    std::map<unsigned int, BoundarySpec> by_id;
    unsigned int frequency_bins = 0; // elastic walls: 0 = equal frequencies, else bins

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm);

    /// The spec of a boundary id; an id without a condition is an error.
    const BoundarySpec &at(unsigned int id) const;
    bool                has_thermalizing() const;
    /// Periodic pairs of a layer mesh: Left/Right along x, Lateral along y (and z).
    std::vector<PeriodicPair> periodic_pairs(int dim) const;
  };
} // namespace kapitza
