// Thermalizing wall ("thermalizing T"): a black body at temperature T. Entering modes carry
// the equilibrium distribution of T whatever arrives, the boundary condition of a heat bath.
#include "interface/boundary_model.h"

namespace kapitza
{
  class ThermalizingWall : public BoundaryModel
  {
  public:
    explicit ThermalizingWall(const BoundaryArguments &arguments)
      : temperature(arguments.single("a positive wall temperature, e.g. 'thermalizing 300'",
                                     [](double t) { return t > 0; }))
    {}
    std::optional<double> wall_temperature() const override { return temperature; }

  private:
    double temperature;
  };

  KAPITZA_REGISTER_BOUNDARY_MODEL(ThermalizingWall, "thermalizing", "thermalizing T",
                                  "entering modes carry the equilibrium of T [K] (a heat bath)")
} // namespace kapitza
