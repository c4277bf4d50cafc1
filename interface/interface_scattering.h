#pragma once
// Diffuse, elastic interfaces between material regions (DESIGN.md section 2): at every
// interface face point, the energy flux arriving from both sides in a channel k (a
// frequency bin, or a band for tabulated data) is re-emitted with equilibrium angular
// distributions, a fraction t_ab(k) of what arrives from a into side b, the rest reflected:
//   F_b = t_ab E_a + (1 - t_ba) E_b,   F_a = t_ba E_b + (1 - t_ab) E_a,
//   psi_in(mu in side s, channel k) = s_mu F_s(k) / M_s(k),
// with E the arriving flux and M_s(k) = sum_{mu entering s, in k} |v.n| e_mu s_mu the flux
// that a 1 K shift carries into side s. Energy is conserved for any t (F_a + F_b = E_a +
// E_b); detailed balance t_ab M_a = t_ba M_b keeps a uniform temperature uniform, and
// every model below enforces it exactly:
//  - DMM: t_ab = M_b / (M_a + M_b), frequencies matched by common bins;
//  - AMM (specular; interface/acoustic_mismatch.h) and SMM (misfit dislocations;
//    interface/strain_mismatch.h): couple modes one by one (interface/mode_coupling.h)
//    instead of through per-channel fluxes;
//  - tabulated (GiftBTE format): t_ab per band from the file, band index kept;
//    t_ba = t_ab M_a / M_b (the file's t_ba is checked against it and the largest
//    difference reported).

#include "interface/acoustic_mismatch.h"
#include "interface/strain_mismatch.h"
#include "interface/wall_reflection.h"
#include "solver/drift_geometry.h"
#include "solver/event_operator.h"

#include <memory>
#include <string>

namespace kapitza
{
  /// Per-band transmissivities t_01 and t_10 read from a GiftBTE interface file: two
  /// blocks, each a header line "i # ..." then one value per band.
  struct TransmissionTable
  {
    std::vector<double> forward, backward; // material 0 -> 1 and 1 -> 0, per band
  };
  TransmissionTable read_transmission_table(const std::string &path);

  struct InterfaceModel
  {
    std::string       name = "dmm"; // dmm | amm | smm | table
    std::vector<double> mass_densities; // amm: per material [kg/m^3]
    std::vector<double> lattice_constants, gruneisen; // smm: per material [m], [-]
    MisfitDislocations  dislocations;                 // smm (spacing, Burgers vector set per pair)
    unsigned int      frequency_bins = 100;
    std::pair<double, double> fit_window{0.25, 0.75}; // fractions of each adjacent layer
    TransmissionTable table;

    static void declare(dealii::ParameterHandler &prm);
    void        parse(dealii::ParameterHandler &prm, const std::string &input_folder);
  };

  /// The interface between two regions: its channels and transmission function.
  struct InterfacePair
  {
    unsigned int     region_a, region_b;
    std::vector<int> channel_a, channel_b; // per mode: channel, or -1 (reflected only)
    unsigned int     n_channels = 0;
    Eigen::VectorXd  frequency;            // per channel: mean omega [rad/s]
    double           channel_width = 0;    // frequency bins: width [rad/s] (0 for bands)
    std::vector<int> traces_a;             // trace points on side a (partners on b)
    Eigen::MatrixXd  capacity_a, capacity_b; // (traces x channels): M_a, M_b
    Eigen::MatrixXd  t_ab, t_ba;             // (traces x channels)
    double           table_mismatch = 0;     // tabulated: max |t_ba(file) - t_ba|
    std::shared_ptr<const ModeCoupling> coupling; // amm, smm (one plane normal)
    StrainMismatchReport                strain;   // smm
  };

  template <int dim>
  class InterfaceScattering
  {
  public:
    InterfaceScattering(const DriftGeometry<dim> &geometry, const std::vector<RegionPhysics> &regions,
                        const InterfaceModel &model);

    /// Inflow at interface trace points made of the outgoing traces of both sides
    /// (per region: local modes x traces); other columns are left untouched.
    void transmit(const std::vector<RowMatrix> &outgoing, std::vector<RowMatrix> &inflow) const;

    /// Net energy flux from a to b per channel at every face point of every pair
    /// [W/m^2]: t_ab E_a - t_ba E_b, i.e. the spectral heat flux across the interface.
    std::vector<Eigen::MatrixXd> spectral_flux(const std::vector<RowMatrix> &outgoing) const;

    const std::vector<InterfacePair> &pairs() const { return interface_pairs; }

  private:
    void assign_channels(InterfacePair &pair, const InterfaceModel &model) const;
    void set_transmission(InterfacePair &pair, const InterfaceModel &model) const;
    void set_mode_coupling(InterfacePair &pair, const InterfaceModel &model) const;
    MisfitDislocations pair_dislocations(const InterfacePair &pair, const InterfaceModel &model) const;
    void transmit_coupled(const InterfacePair &pair, const std::vector<RowMatrix> &outgoing,
                           std::vector<RowMatrix> &inflow, Eigen::MatrixXd *spectral) const;
    Eigen::MatrixXd arriving_flux(const InterfacePair &pair, bool side_a,
                                  const std::vector<RowMatrix> &outgoing) const;

    const DriftGeometry<dim>         &geometry;
    const std::vector<RegionPhysics> &regions;
    std::vector<InterfacePair>        interface_pairs;
  };
} // namespace kapitza
