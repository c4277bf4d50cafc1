// Diffuse wall ("diffuse"): adiabatic; the energy flux arriving in each frequency group is
// re-emitted into the entering modes of that group with an equilibrium angular distribution.
#include "interface/boundary_model.h"

namespace kapitza
{
  class DiffuseWall : public BoundaryModel
  {
  public:
    explicit DiffuseWall(const BoundaryArguments &arguments) { arguments.expect(0, 0, ""); }
    std::optional<double> specularity() const override { return 0.0; }
  };

  KAPITZA_REGISTER_BOUNDARY_MODEL(DiffuseWall, "diffuse", "diffuse",
                                  "adiabatic, re-emitted with an equilibrium angular distribution")
} // namespace kapitza
