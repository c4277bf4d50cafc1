// Diffuse mismatch model (DMM): a phonon forgets where it came from, so the flux arriving
// in a frequency channel from both sides is shared in proportion to what each side can
// carry away, t_ab = M_b / (M_a + M_b) (which the base class gives), and detailed balance
// t_ab M_a = t_ba M_b holds by construction.

#include "interface/interface_model.h"

namespace kapitza
{
  namespace
  {
    class DiffuseMismatchModel : public InterfaceModel
    {
    public:
      DiffuseMismatchModel(dealii::ParameterHandler &, const InterfaceModelInput &) {}
      static void declare_parameters(dealii::ParameterHandler &) {}
    };
  } // namespace

  KAPITZA_REGISTER_INTERFACE_MODEL(DiffuseMismatchModel, "dmm", "dmm",
                                   "diffuse mismatch, frequencies matched by common bins")
} // namespace kapitza
