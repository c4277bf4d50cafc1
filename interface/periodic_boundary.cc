// Periodic faces ("periodic [dT]"): Left joined with Right (or the lateral faces pairwise);
// T(x + L) = T(x) - dT, so a jump dT drives a heat flux through an infinite medium.
#include "interface/boundary_model.h"

namespace kapitza
{
  class PeriodicBoundary : public BoundaryModel
  {
  public:
    explicit PeriodicBoundary(const BoundaryArguments &arguments)
    {
      arguments.expect(0, 1, "at most one temperature jump, e.g. 'periodic 1'");
      jump = arguments.values.empty() ? 0.0 : arguments.values[0];
    }
    std::optional<double> periodic_jump() const override { return jump; }

  private:
    double jump;
  };

  KAPITZA_REGISTER_BOUNDARY_MODEL(PeriodicBoundary, "periodic", "periodic [dT]",
                                  "joins Left with Right (or the lateral faces pairwise); "
                                  "T(x + L) = T(x) - dT")
} // namespace kapitza
