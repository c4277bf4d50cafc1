#include "interface/interface_model.h"
#include "interface/plugin_registry.h"
#include "scattering/crystal_orientation.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  Eigen::VectorXd leaving_capacity(const RegionModes &side, const std::vector<int> &channel,
                                   unsigned int n_channels, const Eigen::Vector3d &into)
  {
    const Eigen::VectorXd speed    = side.modes.velocity * into;
    Eigen::VectorXd       capacity = Eigen::VectorXd::Zero(n_channels);
    for (unsigned int mu = 0; mu < side.modes.size(); ++mu)
      if (speed[mu] > 0)
        capacity[channel[mu]] += speed[mu] * side.energy[mu] * side.shift[mu];
    return capacity;
  }

  void InterfaceModel::assign_channels(InterfacePair &pair, const InterfaceSides &sides) const
  {
    const ModeSet &a = sides.a.modes, &b = sides.b.modes;
    const double   lo    = std::min(a.omega.minCoeff(), b.omega.minCoeff());
    const double   hi    = std::max(a.omega.maxCoeff(), b.omega.maxCoeff());
    const double   width = (hi - lo) / frequency_bins;
    const FrequencyChannels bins{lo, width, frequency_bins};
    pair.n_channels     = frequency_bins;
    pair.channel_width  = width > 0 ? width : std::max(hi, 1.0);
    pair.channel_origin = lo;
    pair.channel_a      = bins.channels_of(a);
    pair.channel_b      = bins.channels_of(b);
  }

  double InterfaceModel::transmission(const InterfacePair &, unsigned int, double capacity_a,
                                      double capacity_b) const
  {
    return capacity_b / (capacity_a + capacity_b);
  }

  std::shared_ptr<const ModeCoupling> InterfaceModel::couple_modes(InterfacePair &,
                                                                   const InterfaceSides &) const
  {
    throw std::logic_error("interface model " + model_name + " does not couple modes");
  }

  std::string InterfaceModel::summary(const InterfacePair &) const
  {
    return "";
  }

  std::vector<int> join_bins(const Eigen::VectorXd &transfer, const Eigen::VectorXd &transport_a,
                             const Eigen::VectorXd &transport_b, Eigen::VectorXd &merged)
  {
    const unsigned int  n = transfer.size();
    std::vector<int>    channel_of_bin(n);
    std::vector<double> channels;
    double              sum = 0, sum_a = 0, sum_b = 0; // of the open group
    for (unsigned int c = 0; c < n; ++c)
      {
        channel_of_bin[c] = channels.size();
        sum += transfer[c], sum_a += transport_a[c], sum_b += transport_b[c];
        if (sum <= std::min(sum_a, sum_b))
          channels.push_back(sum), sum = sum_a = sum_b = 0;
      }
    if (n > 0 && channel_of_bin.back() == int(channels.size())) // the last group stayed open
      {
        if (channels.empty())
          channels.push_back(0);
        for (int &channel : channel_of_bin)
          channel = std::min<int>(channel, channels.size() - 1);
        channels.back() += sum;
      }
    merged = Eigen::Map<const Eigen::VectorXd>(channels.data(), channels.size());
    return channel_of_bin;
  }

  std::vector<SpectralModes> InterfaceModel::read_spectra(dealii::ParameterHandler &prm, const InterfaceModelInput &input)
  {
    std::vector<SpectralModes> spectra;
    const double               broadening = prm.get_double("Spectral broadening");
    for (const std::string &file : dealii::Utilities::split_string_list(prm.get("Spectral files")))
      {
        spectra.push_back(read_spectral_modes(file[0] == '/' ? file : input.input_folder + "/" + file, broadening));
        // The dense set turns with its material (a count mismatch is refused later).
        if (spectra.size() <= input.orientations.size())
          rotate_crystal(spectra.back().modes, input.orientations[spectra.size() - 1]);
      }
    return spectra;
  }

  std::pair<double, double> InterfaceModel::per_material(const std::vector<double> &values,
                                                         const InterfacePair &pair,
                                                         unsigned int n_materials, const std::string &entry)
  {
    if (values.size() != n_materials)
      throw std::runtime_error("Interfaces/" + entry + " needs one value per material");
    return {values[pair.region_a], values[pair.region_b]};
  }

  namespace
  {
    using Registry = PluginRegistry<InterfaceModels::Plugin>;
  }

  bool InterfaceModels::add(const std::string &name, const std::string &usage,
                            const std::string &description, Declare declare, Factory create)
  {
    return Registry::add(name, usage, description, Plugin{std::move(declare), std::move(create)});
  }

  void InterfaceModels::declare(dealii::ParameterHandler &prm)
  {
    prm.declare_entry("Model", "dmm", dealii::Patterns::Anything(),
                      Registry::usages(" | ") + ". " + Registry::documentation());
    prm.declare_entry("Frequency bins", "100", dealii::Patterns::Integer(1),
                      "common frequency bins that match modes across the interface (every "
                      "model but table, which matches bands)");
    prm.declare_entry("Spectral files", "", dealii::Patterns::List(dealii::Patterns::Anything()),
                      "dmm, smm, amm: one dense harmonic mode database per material (Materials/Names order; "
                      "kapitza-modes --collision none on a fine q-mesh, same force constants and "
                      "--transport-axis as the transport set). dmm takes the channel capacities from "
                      "them, smm the golden-rule sums of the strain field (final states), amm (ab initio "
                      "sets) computes the whole interface on them (interface/anisotropic_classes.h); "
                      "empty: the transport modes");
    prm.declare_entry("Class width", "0", dealii::Patterns::Double(0),
                      "smm with Re-emission = classes, amm with Spectral files: width of the |q_par| "
                      "shells of the classes the dense sets' flux is carried by [1/m] (0: a quarter of "
                      "the in-plane q-mesh spacing of the dense sets, over which each dense mode's "
                      "|q_par| is spread by a Gaussian)");
    prm.declare_entry("Spectral broadening", "1", dealii::Patterns::Double(0),
                      "dmm with Spectral files: factor of each dense mode's adaptive Gaussian "
                      "width, the frequency change across one cell of its q-mesh "
                      "(sqrt(sum_i (v . b_i / N_i)^2 / 6), as ShengBTE); 0: unspread");
    for (const auto &[name, plugin] : Registry::all())
      plugin.factory.declare(prm);
  }

  std::unique_ptr<InterfaceModel> InterfaceModels::create(dealii::ParameterHandler           &prm,
                                                          const std::string                  &input_folder,
                                                          const std::vector<Eigen::Matrix3d> &orientations)
  {
    std::istringstream  words(prm.get("Model"));
    std::string         name;
    InterfaceModelInput input{"", input_folder, orientations};
    words >> name >> input.argument;
    std::unique_ptr<InterfaceModel> model =
      Registry::find(name, "Interfaces/Model").factory.create(prm, input);
    model->model_name     = name;
    model->frequency_bins = prm.get_integer("Frequency bins");
    return model;
  }

  void InterfaceParameters::declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Interfaces");
    InterfaceModels::declare(prm);
    prm.declare_entry("Fit window", "0.25, 0.75", dealii::Patterns::List(dealii::Patterns::Double(0, 1), 2, 2),
                      "part of each adjacent layer (fractions of its thickness from its start) "
                      "where the bulk temperature profile is fitted by a line and extrapolated "
                      "to the interface");
    prm.leave_subsection();
  }

  void InterfaceParameters::parse(dealii::ParameterHandler &prm, const std::string &input_folder,
                                  const std::vector<Eigen::Matrix3d> &orientations)
  {
    prm.enter_subsection("Interfaces");
    const auto window = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Fit window")));
    fit_window = {window[0], window[1]};
    if (!(fit_window.first < fit_window.second))
      throw std::runtime_error("Interfaces/Fit window must be two increasing fractions");
    model = InterfaceModels::create(prm, input_folder, orientations);
    prm.leave_subsection();
  }
} // namespace kapitza
