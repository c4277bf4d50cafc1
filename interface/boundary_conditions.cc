#include "interface/boundary_conditions.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    const char *names[3] = {"Left", "Right", "Lateral"};
  }

  BoundarySpec parse_boundary(const std::string &text, const std::string &where)
  {
    std::istringstream in(text);
    std::string        type;
    in >> type;
    BoundarySpec spec;
    const bool   has_value = static_cast<bool>(in >> spec.value);
    std::string  rest;
    const bool   trailing = static_cast<bool>(in >> rest) || (!has_value && !in.eof());
    auto         fail     = [&](const std::string &why) {
      throw std::runtime_error("Boundaries/" + where + " = '" + text + "': " + why);
    };
    if (trailing)
      fail("unexpected text after the value");
    if (type == "thermalizing")
      {
        spec.type = BoundarySpec::Type::thermalizing;
        if (!has_value || !(spec.value > 0))
          fail("needs a positive wall temperature, e.g. 'thermalizing 300'");
      }
    else if (type == "diffuse")
      {
        spec.type = BoundarySpec::Type::diffuse;
        if (has_value)
          fail("diffuse takes no value");
      }
    else if (type == "specular")
      {
        spec.type = BoundarySpec::Type::specular;
        if (!has_value || spec.value < 0 || spec.value > 1)
          fail("needs a specularity p in [0,1], e.g. 'specular 1'");
      }
    else if (type == "periodic")
      {
        spec.type = BoundarySpec::Type::periodic;
        if (!std::isfinite(spec.value))
          fail("the periodic temperature jump must be finite");
      }
    else
      fail("unknown boundary type '" + type +
           "' (use thermalizing T, diffuse, specular p or periodic [dT])");
    return spec;
  }

  void BoundaryConditions::declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Boundaries");
    const std::string doc =
      "thermalizing T [K] | diffuse | specular p | periodic [dT]: periodic joins Left with "
      "Right (or the lateral faces pairwise); T(x + L) = T(x) - dT";
    prm.declare_entry("Left", "thermalizing 301", dealii::Patterns::Anything(),
                      "x-min (id 0), or the surface of a ball (inner surface of a shell): " + doc);
    prm.declare_entry("Right", "thermalizing 300", dealii::Patterns::Anything(),
                      "x-max (id 1), or the outer surface of a shell: " + doc);
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
      by_id[id] = parse_boundary(prm.get(names[id]), names[id]);
    frequency_bins = prm.get_integer("Frequency bins");
    prm.leave_subsection();
  }

  const BoundarySpec &BoundaryConditions::at(unsigned int id) const
  {
    const auto it = by_id.find(id);
    if (it == by_id.end())
      throw std::runtime_error("boundary id " + std::to_string(id) +
                               " has no boundary condition (known: 0 Left, 1 Right, 2 Lateral)");
    return it->second;
  }

  bool BoundaryConditions::has_thermalizing() const
  {
    for (const auto &[id, spec] : by_id)
      if (spec.type == BoundarySpec::Type::thermalizing)
        return true;
    return false;
  }

  std::vector<PeriodicPair> BoundaryConditions::periodic_pairs(int dim) const
  {
    using Type = BoundarySpec::Type;
    std::vector<PeriodicPair> pairs;
    const BoundarySpec &left = at(0), &right = at(1), &lateral = at(2);
    if ((left.type == Type::periodic) != (right.type == Type::periodic))
      throw std::runtime_error("Boundaries: Left and Right must both be periodic or neither");
    if (left.type == Type::periodic)
      {
        if (left.value != 0 && right.value != 0 && left.value != right.value)
          throw std::runtime_error("Boundaries: Left and Right give different periodic jumps");
        pairs.push_back({0, 1, 0, left.value != 0 ? left.value : right.value});
      }
    if (lateral.type == Type::periodic)
      {
        if (lateral.value != 0)
          throw std::runtime_error("Boundaries: a lateral periodic jump is not supported");
        for (int d = 1; d < dim; ++d)
          pairs.push_back({2, 2, d, 0.0});
      }
    return pairs;
  }
} // namespace kapitza
