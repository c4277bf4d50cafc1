#pragma once
// Boundary conditions per boundary id (DESIGN.md section 2), each a BoundaryModel plugin:
//   thermalizing T | diffuse | specular p | periodic [dT]
// Left = id 0 (x-min), Right = id 1 (x-max), Lateral = id 2 (all other faces).

#include "interface/boundary_model.h"
#include "meshes/drift_geometry.h"

#include <deal.II/base/parameter_handler.h>

#include <map>
#include <string>

namespace kapitza
{
  struct BoundaryConditions
  {
    std::map<unsigned int, std::shared_ptr<const BoundaryModel>> by_id;
    unsigned int frequency_bins = 0; // elastic walls: 0 = equal frequencies, else bins

    static void declare(dealii::ParameterHandler &prm);
    /// Left and Right are required: a run never uses wall temperatures it was not given.
    void parse(dealii::ParameterHandler &prm);

    /// The model of a boundary id; an id without a condition is an error.
    const BoundaryModel &at(unsigned int id) const;
    bool                 has_thermalizing() const;
    /// Periodic pairs of a layer mesh: Left/Right along x, Lateral along y (and z).
    std::vector<PeriodicPair> periodic_pairs(int dim) const;
    /// "Left thermalizing 301, Right thermalizing 300, Lateral specular 1" for the setup line.
    std::string summary() const;
    /// The entry that sets a boundary id: Left (0), Right (1), Lateral (2).
    static std::string name(unsigned int id);
  };
} // namespace kapitza
