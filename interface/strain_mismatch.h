#pragma once
// Strain mismatch model (SMM) of a semi-coherent interface (recursive-pBTE paper, after
// Carruthers 1959): misfit edge dislocations at spacing D along the interface produce a
// periodic dilatation; its Fourier components (m != 0, isotropic linear elasticity)
//   Delta_m(x) = -A sign(x) exp(-|G_m| |x|) exp(i G_m . r),  G_m = 2 pi m / D e_array,
// for each of 1, 2 (crossed at right angles) or 3 arrays (at 120 degrees: the hexagonal
// network of a basal wurtzite/4H interface), e_array in-plane perpendicular to its lines,
//   A = b (1 - 2 nu) / (2 D (1 - nu)),   x = distance from the interface,
// couple phonons through the Grueneisen shift of the local frequency, H' = hbar gamma
// omega Delta. Fermi's golden rule is elastic (a static field: omega' = omega, matched by
// the frequency channels of the interface) and gives for arriving mode i into the
// entering mode -q_k (the time reverse of arriving mode k, on either side), Q = q_i + q_k,
//   S_ik = rho_i rho_k sqrt(c_i c_k) 2 pi omega_i omega_k gamma_i gamma_k
//          * sum_m 4 A^2 Q_n^2 / (G_m^2 + Q_n^2)^2 (2 pi)^2 g(Q_par - G_m) / d_omega,
// the energy flux per kelvin and unit area (C_i = rho_i c_i; the energy delta is the channel
// width d_omega), c = (hbar omega)^2 w / (k_B T0^2), g a 2D Gaussian of width `momentum resolution`
// (the discrete modes sample q; by default the in-plane q-mesh spacing: the median
// nearest-neighbour distance of the arriving q_par over all channels, larger side).
// S is symmetric (reciprocity). Golden rule gives P_i = sum_k S_ik / W_i, the expected
// number of strain scattering events per crossing of arriving mode i (W_i its arriving flux
// per kelvin); the probability of at least one is 1 - exp(-P_i) (Poisson), which is P_i in
// the perturbative limit and saturates at 1 where the field is strong. That part of the flux
// leaves through the strain channels with golden-rule relative weights: the symmetric
// diagonal scaling S' = d S d with rows W_i (1 - exp(-P_i)) (symmetric Sinkhorn balancing;
// where the kernel has no exact solution, some rows stay below, see balance()).
// The phonons that do not scatter off the strain field meet the rest of the heterointerface.
// Apart from the field it is uniform along its plane, so by default they keep their momentum
// along it (`parallel momentum` background): the remaining flux r = W - S' 1 goes from
// arriving i into the time reverse of arriving k with q_i,par + q_k,par = 0 (Gaussian of the
// same width), with no memory of q_n (the interface breaks translation along the normal), by
// the same symmetric balancing to rows r; what that cannot place (no partner with that
// q_par, or a kernel without an exact solution) leaves diffusely as r' r'^T / sum r'.
// The `diffuse` background sends all of r that way, which is exactly DMM when P = 0.
// The sum is symmetric with rows W: energy flux conservation and detailed balance hold
// exactly for any balancing accuracy. With no dislocation arrays (arrays = 0: a coherent
// interface) there is no strain part and no kernel K is built: the background alone.
// Needs wavevectors (ab initio mode sets).

#include "interface/class_reemission.h"
#include "interface/mode_coupling.h"
#include "interface/strain_field.h"

namespace kapitza
{
  struct StrainMismatchReport
  {
    double golden_rule_probability = 0; // flux-weighted mean over arriving modes
    double unscattered_flux         = 0; // fraction of arriving flux with no strain channel (P = 0)
    double strain_flux              = 0; // fraction scattered by the strain field
    double golden_rule_flux         = 0; // fraction that should, sum W (1 - exp(-P)) / sum W
    double background_flux          = 0; // fraction through the background (not the strain field)
    double diffuse_flux             = 0; // part of it that left diffusely (DMM kernel)
    double momentum_resolution      = 0; // the width used (largest over channels) [1/m]
    double final_state_resolution   = 0; // that of the dense final states (0: none) [1/m]
    // Class-resolved re-emission only (strain_classes.h):
    double       class_width          = 0; // |q_par| shell width [1/m] (0: mode-resolved)
    ClassCarryReport carried;                 // groups and the conductance they carry
    NormalCells  normal_cells;              // dense sets' half q-mesh steps along the normal [1/m]

    /// The flux sums as fractions of the arriving flux `total` they were summed over.
    void divide_fluxes_by(double total)
    {
      for (double *sum : {&golden_rule_probability, &unscattered_flux, &strain_flux, &golden_rule_flux,
                          &background_flux, &diffuse_flux})
        *sum /= total;
    }
  };

  /// Dense final states for the strain field's golden-rule sums (Interfaces/Spectral files):
  /// each side's modes at T0 and their frequency channels. The sum P_i over final states
  /// then samples momentum transfers of order 2 pi / D that the transport q-mesh cannot;
  /// the transport kernel only shares that flux among the transport modes.
  struct GoldenRuleFinalStates
  {
    const ModeSet   *a = nullptr, *b = nullptr;
    std::vector<int> channel_a, channel_b;
  };

  ModeCoupling strain_mismatch(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                               const std::vector<int> &channel_b, double channel_width,
                               const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                               StrainMismatchReport &report, const GoldenRuleFinalStates *final_states = nullptr);
} // namespace kapitza
