#include "interface/boundary_conditions.h"

#include <stdexcept>

namespace kapitza
{
  namespace
  {
    const char *names[3] = {"Left", "Right", "Lateral"};
  }

  void BoundaryConditions::declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Boundaries");
    const std::string doc = BoundaryModels::documentation();
    prm.declare_entry("Left", "", dealii::Patterns::Anything(),
                      "required: x-min (id 0), or the surface of a ball (inner surface of a "
                      "shell): " + doc);
    prm.declare_entry("Right", "", dealii::Patterns::Anything(),
                      "required: x-max (id 1), or the outer surface of a shell: " + doc);
    prm.declare_entry("Lateral", "specular 1", dealii::Patterns::Anything(),
                      "all other faces (id 2): " + doc);
    prm.declare_entry("Frequency bins", "0", dealii::Patterns::Integer(0),
                      "elastic walls (diffuse, specular) act within groups of modes: 0 = modes of "
                      "equal frequency (gray and band sets); N = N equal-width frequency bins "
                      "(ab initio sets, whose equal-frequency groups are only symmetry stars)");
    prm.leave_subsection();
  }

  void BoundaryConditions::parse(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Boundaries");
    for (unsigned int id = 0; id < 3; ++id)
      by_id[id] = BoundaryModels::create(prm.get(names[id]), names[id]);
    frequency_bins = prm.get_integer("Frequency bins");
    prm.leave_subsection();
  }

  const BoundaryModel &BoundaryConditions::at(unsigned int id) const
  {
    const auto it = by_id.find(id);
    if (it == by_id.end())
      throw std::runtime_error("boundary id " + std::to_string(id) +
                               " has no boundary condition (known: 0 Left, 1 Right, 2 Lateral)");
    return *it->second;
  }

  bool BoundaryConditions::has_thermalizing() const
  {
    for (const auto &[id, model] : by_id)
      if (model->wall_temperature())
        return true;
    return false;
  }

  std::vector<PeriodicPair> BoundaryConditions::periodic_pairs(int dim) const
  {
    std::vector<PeriodicPair> pairs;
    const auto left = at(0).periodic_jump(), right = at(1).periodic_jump(), lateral = at(2).periodic_jump();
    if (left.has_value() != right.has_value())
      throw std::runtime_error("Boundaries: Left and Right must both be periodic or neither");
    if (left)
      {
        if (*left != 0 && *right != 0 && *left != *right)
          throw std::runtime_error("Boundaries: Left and Right give different periodic jumps");
        pairs.push_back({0, 1, 0, *left != 0 ? *left : *right});
      }
    if (lateral)
      {
        if (*lateral != 0)
          throw std::runtime_error("Boundaries: a lateral periodic jump is not supported");
        for (int d = 1; d < dim; ++d)
          pairs.push_back({2, 2, d, 0.0});
      }
    return pairs;
  }

  std::string BoundaryConditions::name(unsigned int id)
  {
    return id < 3 ? names[id] : "boundary " + std::to_string(id);
  }

  std::string BoundaryConditions::summary() const
  {
    std::string text;
    for (unsigned int id = 0; id < 3; ++id)
      text += (id ? ", " : "") + std::string(names[id]) + " " + at(id).setting();
    return text;
  }
} // namespace kapitza
