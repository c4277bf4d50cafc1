// Partly specular wall ("specular p"): adiabatic; a fraction p of each arriving mode goes to
// its mirrored mode v - 2 (v.n) n, the rest is reflected diffusely.
#include "interface/boundary_model.h"

namespace kapitza
{
  class SpecularWall : public BoundaryModel
  {
  public:
    explicit SpecularWall(const BoundaryArguments &arguments)
      : fraction(arguments.single("a specularity p in [0,1], e.g. 'specular 1'",
                                  [](double p) { return p >= 0 && p <= 1; }))
    {}
    std::optional<double> specularity() const override { return fraction; }

  private:
    double fraction;
  };

  KAPITZA_REGISTER_BOUNDARY_MODEL(SpecularWall, "specular", "specular p",
                                  "adiabatic, a fraction p mirrored, the rest diffuse")
} // namespace kapitza
