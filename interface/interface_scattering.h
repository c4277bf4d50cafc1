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
// the models (interface/interface_model.h: dmm, amm, smm, table) give t_ab, or couple
// modes one by one (AMM, SMM; interface/mode_coupling.h) instead of per-channel fluxes.

#include "interface/interface_model.h"
#include "meshes/drift_geometry.h"

#include <memory>
#include <string>

namespace kapitza
{
  template <int dim>
  class InterfaceScattering
  {
  public:
    InterfaceScattering(const DriftGeometry<dim> &geometry, std::vector<const RegionModes *> regions,
                        const InterfaceModel &model);

    /// Inflow at interface trace points made of the outgoing traces of both sides
    /// (per region: local modes x traces); other columns are left untouched.
    void transmit(const std::vector<RowMatrix> &outgoing, std::vector<RowMatrix> &inflow) const;

    /// Net energy flux from a to b per channel at every face point of every pair
    /// [W/m^2]: t_ab E_a - t_ba E_b, i.e. the spectral heat flux across the interface.
    std::vector<Eigen::MatrixXd> spectral_flux(const std::vector<RowMatrix> &outgoing) const;

    const std::vector<InterfacePair> &pairs() const { return interface_pairs; }

  private:
    void set_frequencies(InterfacePair &pair) const;
    void set_transmission(InterfacePair &pair, const InterfaceModel &model) const;
    void set_mode_coupling(InterfacePair &pair, const InterfaceModel &model) const;
    void transmit_coupled(const InterfacePair &pair, const std::vector<RowMatrix> &outgoing,
                           std::vector<RowMatrix> &inflow, Eigen::MatrixXd *spectral) const;
    Eigen::MatrixXd arriving_flux(const InterfacePair &pair, bool side_a,
                                  const std::vector<RowMatrix> &outgoing) const;

    const DriftGeometry<dim>         &geometry;
    const std::vector<const RegionModes *> regions;
    std::vector<InterfacePair>        interface_pairs;
  };
} // namespace kapitza
