#pragma once
// One interface model (DESIGN.md section 2) behind one small interface: how the phonons
// arriving at the faces between two materials are shared between the two sides. Every
// model (dmm, amm, smm, table; one file each) registers itself with
// KAPITZA_REGISTER_INTERFACE_MODEL, declares its own parameters in subsection Interfaces,
// and is created once from Interfaces/Model, as ASPECT does for its plugins.
//
// A model groups each side's modes into channels, gives the per-channel transmission t_ab
// (the generic code sets t_ba = t_ab M_a / M_b, detailed balance) and, if it resolves
// modes one by one (AMM, SMM), builds their coupling, from which the channel
// transmissions are then measured.

#include "interface/mode_coupling.h"
#include "interface/spectral_capacity.h"
#include "interface/strain_mismatch.h"
#include "scattering/mode_distribution.h"

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kapitza
{
  /// The interface between two regions: its channels and transmission function.
  struct InterfacePair
  {
    unsigned int     region_a, region_b;
    std::vector<int> channel_a, channel_b; // per mode: channel, or -1 (reflected only)
    unsigned int     n_channels = 0;
    Eigen::VectorXd  frequency;            // per channel: mean omega [rad/s]
    double           channel_width = 0;    // frequency bins: width [rad/s] (0 for bands)
    double           channel_origin = 0;   // frequency bins: lower edge of channel 0 [rad/s]
    std::vector<int> traces_a;             // trace points on side a (partners on b)
    Eigen::MatrixXd  capacity_a, capacity_b; // (traces x channels): M_a, M_b
    Eigen::MatrixXd  t_ab, t_ba;             // (traces x channels)
    std::shared_ptr<const ModeCoupling> coupling; // mode-resolved models (one plane normal)
    double landauer_conductance = 0; // sum_c M_a t_ab at the first trace: G without bulk [W/(m^2 K)]
    Eigen::VectorXd spectral_transfer;    // per channel: DMM flux per kelvin of dense spectra (empty: none)
    double spectral_conductance = 0;      // its sum, the Landauer G of the dense spectra (0: none)
    StrainMismatchReport                strain;   // smm
  };

  /// Per channel, the flux per kelvin and unit area the modes of `side` in `channel` carry
  /// away from the interface along `into`: M = sum C (v . into)_+ [W/(m^2 K)].
  Eigen::VectorXd leaving_capacity(const RegionModes &side, const std::vector<int> &channel,
                                   unsigned int n_channels, const Eigen::Vector3d &into);

  /// Joins consecutive frequency bins into channels until the transport modes of both sides
  /// can carry each channel's transfer (flux per kelvin between the sides; a last group that
  /// cannot joins the one before), so that a bin with modes on one side only no longer
  /// blocks its share. Returns the channel of every bin and, in `merged`, each channel's
  /// transfer.
  std::vector<int> join_bins(const Eigen::VectorXd &transfer, const Eigen::VectorXd &transport_a,
                             const Eigen::VectorXd &transport_b, Eigen::VectorXd &merged);

  /// What a model sees of one interface besides the pair.
  struct InterfaceSides
  {
    const RegionModes &a, &b;
    unsigned int       n_materials; // per-material parameters come in Materials/Names order
    Eigen::Vector3d    normal;      // of the (planar) interface, from a into b
  };

  struct InterfaceModelInput;

  class InterfaceModel
  {
  public:
    virtual ~InterfaceModel() = default;

    /// The channel of every mode of both sides, their number and mean frequencies.
    /// Default: common frequency bins (Interfaces/Frequency bins).
    virtual void assign_channels(InterfacePair &pair, const InterfaceSides &sides) const;
    /// t_ab of channel c where both capacities M_a, M_b are positive. Default: DMM.
    virtual double transmission(const InterfacePair &pair, unsigned int channel, double capacity_a,
                                double capacity_b) const;
    /// Whether the model couples modes one by one.
    virtual bool resolves_modes() const { return false; }
    /// Whether the model needs a planar interface (one normal).
    virtual bool needs_planar_interface() const { return resolves_modes(); }
    /// The mode coupling of a planar interface (models that resolve modes).
    virtual std::shared_ptr<const ModeCoupling> couple_modes(InterfacePair        &pair,
                                                             const InterfaceSides &sides) const;
    /// What the model did at this pair, for the setup line (empty: nothing to add).
    virtual std::string summary(const InterfacePair &pair) const;

    const std::string &name() const { return model_name; }

  protected:
    /// The dense harmonic sets of Interfaces/Spectral files (one per material, turned with
    /// its material; empty: none), each mode's width from Spectral broadening.
    static std::vector<SpectralModes> read_spectra(dealii::ParameterHandler &prm, const InterfaceModelInput &input);

    /// The value of each material in a per-material list, checked for its length.
    static std::pair<double, double> per_material(const std::vector<double> &values,
                                                  const InterfacePair &pair, unsigned int n_materials,
                                                  const std::string &entry);

  private:
    friend class InterfaceModels;
    std::string  model_name;
    unsigned int frequency_bins = 100;
  };

  /// What a model's factory gets: the words after its name in Interfaces/Model and the
  /// folder of the input file (relative paths), and how each crystal sits in the mesh (a
  /// model that reads mode data of its own turns them alike); prm is inside subsection
  /// Interfaces.
  struct InterfaceModelInput
  {
    std::string                  argument;
    std::string                  input_folder;
    std::vector<Eigen::Matrix3d> orientations; // per material (Materials/Orientations)
  };

  /// The registry of interface models.
  class InterfaceModels
  {
  public:
    using Factory = std::function<std::unique_ptr<InterfaceModel>(dealii::ParameterHandler &,
                                                                  const InterfaceModelInput &)>;
    using Declare = std::function<void(dealii::ParameterHandler &)>;
    /// What a model file registers: how to declare its parameters and how to create it.
    struct Plugin
    {
      Declare declare;
      Factory create;
    };

    /// Called once per model file (through KAPITZA_REGISTER_INTERFACE_MODEL).
    static bool add(const std::string &name, const std::string &usage, const std::string &description,
                    Declare declare, Factory create);
    /// Declares Interfaces/Model, Interfaces/Frequency bins and every model's parameters.
    static void declare(dealii::ParameterHandler &prm);
    /// The model named by Interfaces/Model (prm inside subsection Interfaces); an unknown
    /// name is one line listing the available ones.
    static std::unique_ptr<InterfaceModel> create(dealii::ParameterHandler           &prm,
                                                  const std::string                  &input_folder,
                                                  const std::vector<Eigen::Matrix3d> &orientations);
  };

  /// Interfaces: the model and the fit window of the temperature drop.
  struct InterfaceParameters
  {
    std::shared_ptr<const InterfaceModel> model;
    std::pair<double, double> fit_window{0.25, 0.75}; // fractions of each adjacent layer

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm, const std::string &input_folder,
                      const std::vector<Eigen::Matrix3d> &orientations);
    const std::string &name() const { return model->name(); }
  };
} // namespace kapitza

/// Registers CLASS as interface model NAME: CLASS has a static declare_parameters(prm) and
/// a constructor CLASS(prm, input) that reads them (prm inside subsection Interfaces).
#define KAPITZA_REGISTER_INTERFACE_MODEL(CLASS, NAME, USAGE, DESCRIPTION)                        \
  namespace                                                                                      \
  {                                                                                              \
    const bool registered_##CLASS = kapitza::InterfaceModels::add(                               \
      NAME, USAGE, DESCRIPTION, &CLASS::declare_parameters,                                      \
      [](dealii::ParameterHandler &prm, const kapitza::InterfaceModelInput &input) {            \
        return std::unique_ptr<kapitza::InterfaceModel>(std::make_unique<CLASS>(prm, input));    \
      });                                                                                        \
  }
