// Diffuse mismatch model (DMM): a phonon forgets where it came from, so the flux arriving
// in a frequency channel from both sides is shared in proportion to what each side can
// carry away, t_ab = M_b / (M_a + M_b) (which the base class gives), and detailed balance
// t_ab M_a = t_ba M_b holds by construction.
//
// With `Spectral files` the capacities come from dense harmonic mode sets instead of the
// few transport modes of each bin (interface/spectral_capacity.h): each bin's share of the
// converged spectrum, S_c = M_a M_b / (M_a + M_b) with spectral M, is carried by its
// transport modes, t_ab = S / M_a(transport) and t_ba = S / M_b(transport) (detailed balance
// exact on the transport modes). Where the transport modes of a side cannot carry S (a bin
// with few or no modes on that side), consecutive bins are joined into one channel until
// they can (merge_bins); the summary line says which share of the spectral conductance the
// transport channels carry (1 unless the highest bins cannot be carried at all).

#include "interface/interface_model.h"
#include "scattering/formatted.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    class DiffuseMismatchModel : public InterfaceModel
    {
    public:
      DiffuseMismatchModel(dealii::ParameterHandler &prm, const InterfaceModelInput &input)
        : spectra(read_spectra(prm, input))
      {}

      static void declare_parameters(dealii::ParameterHandler &) {} // Spectral files: InterfaceModels

      bool needs_planar_interface() const override { return !spectra.empty(); }

      void assign_channels(InterfacePair &pair, const InterfaceSides &sides) const override
      {
        InterfaceModel::assign_channels(pair, sides);
        if (spectra.empty())
          return;
        if (spectra.size() != sides.n_materials)
          throw std::runtime_error("Interfaces/Spectral files needs one file per material");
        const SpectralModes &a = spectra[pair.region_a], &b = spectra[pair.region_b];
        check_same_crystal(a, sides.a.modes);
        check_same_crystal(b, sides.b.modes);
        const FrequencyChannels bins{pair.channel_origin, pair.channel_width, pair.n_channels};
        const Eigen::VectorXd   spectral_a = spectral_capacity(a, sides.a.modes, -sides.normal, bins);
        const Eigen::VectorXd   spectral_b = spectral_capacity(b, sides.b.modes, sides.normal, bins);
        Eigen::VectorXd         transfer(pair.n_channels);
        for (unsigned int c = 0; c < pair.n_channels; ++c)
          transfer[c] = symmetric_flux(spectral_a[c], spectral_b[c]);
        pair.spectral_conductance = transfer.sum();
        merge_bins(pair, transfer, leaving_capacity(sides.a, pair.channel_a, pair.n_channels, -sides.normal),
                   leaving_capacity(sides.b, pair.channel_b, pair.n_channels, sides.normal));
      }

      double transmission(const InterfacePair &pair, unsigned int channel, double capacity_a,
                          double capacity_b) const override
      {
        if (spectra.empty())
          return InterfaceModel::transmission(pair, channel, capacity_a, capacity_b);
        return std::min({pair.spectral_transfer[channel], capacity_a, capacity_b}) / capacity_a;
      }

      std::string summary(const InterfacePair &pair) const override
      {
        if (spectra.empty())
          return "";
        const double spectral = pair.spectral_conductance;
        return formatted("; spectra of %s (%u modes) and %s (%u modes): Landauer G %.6g MW/(m^2 K), "
                         "the transport channels carry %.6f of it",
                         spectra[pair.region_a].file.c_str(), spectra[pair.region_a].modes.size(),
                         spectra[pair.region_b].file.c_str(), spectra[pair.region_b].modes.size(),
                         spectral * 1e-6, spectral > 0 ? pair.landauer_conductance / spectral : 0.0);
      }

    private:
      /// DMM's flux per kelvin shared by two capacities: M_a t_ab = M_b t_ba.
      static double symmetric_flux(double capacity_a, double capacity_b)
      {
        return capacity_a > 0 && capacity_b > 0 ? capacity_a * capacity_b / (capacity_a + capacity_b) : 0;
      }

      /// Joins consecutive bins into channels until the transport modes of both sides can
      /// carry the spectral transfer of the channel (a last group that cannot joins the one
      /// before): the channels then carry all of the spectral conductance, and a bin with
      /// modes on one side only no longer blocks its share.
      static void merge_bins(InterfacePair &pair, const Eigen::VectorXd &transfer,
                             const Eigen::VectorXd &transport_a, const Eigen::VectorXd &transport_b)
      {
        Eigen::VectorXd        merged;
        const std::vector<int> channel_of_bin = join_bins(transfer, transport_a, transport_b, merged);
        for (int &channel : pair.channel_a)
          channel = channel_of_bin[channel];
        for (int &channel : pair.channel_b)
          channel = channel_of_bin[channel];
        pair.n_channels        = merged.size();
        pair.spectral_transfer = merged;
      }

      std::vector<SpectralModes> spectra; // per material, empty: transport capacities
    };
  } // namespace

  KAPITZA_REGISTER_INTERFACE_MODEL(DiffuseMismatchModel, "dmm", "dmm",
                                   "diffuse mismatch, frequencies matched by common bins")
} // namespace kapitza
