#pragma once
// Class-resolved re-emission (Interfaces/Re-emission = classes; issue 13): an interface
// computed on dense harmonic sets (Interfaces/Spectral files) and only coarse-grained onto
// the transport modes, as spectral DMM does. The model computes, per frequency bin, the
// flux per kelvin and unit area F between classes (side, |q_par| shell) on the dense sets,
// symmetric with rows the classes' dense capacities. Carrying it:
//  - bins are joined into channels until each side's transport modes can carry the flux
//    between the sides (join_bins, as spectral DMM);
//  - within a channel and side, consecutive shells are joined into groups until a group's
//    transport capacity M_g covers the flux F sends out of it;
//  - the flux between groups is carried as computed (the Landauer conductance is the dense
//    sets'), each group keeps the rest M_g - sum_h F_gh, and entering modes (time reverses
//    of arriving ones) share their group's flux in proportion to their W.
// Rows sum to W and the flux matrix is symmetric on the transport modes, exactly: energy
// conservation and detailed balance.

#include "interface/mode_coupling.h"
#include "interface/strain_golden_rule.h"

#include <algorithm>
#include <string>

namespace kapitza
{
  /// Default shell width in units of the dense sets' in-plane spacing (the width each dense
  /// mode's |q_par| is spread over): narrower shells resolve the transport modes' |q_par|
  /// better until the groups' capacities stop them; at AlN/SiC 620 K (the main job's
  /// meshes, SMM) the drop moves by 0.5 % from 1/4 to 1/8 of the spacing and by 1-2 % from
  /// 1/2 to 1/4 (validation/smm_class_width/).
  constexpr double default_width_per_spacing = 0.25;

  /// Classes of one bin: side a's |q_par| shells 0 .. count - 1, then side b's. Side b's
  /// |q_par| is taken times scale_b (a pseudomorphic interface: b's in-plane lattice, s times
  /// a's, strained onto a's, so its in-plane wavevectors grow by s).
  struct ClassShells
  {
    Eigen::Vector3d normal;
    double          width;   // [1/m]
    double          spread;  // Gaussian width of a dense mode's |q_par| [1/m]
    double          scale_b = 1;
    unsigned int    count   = 0;

    double       radius(const ArrivingMode &mode) const;
    unsigned int shell(const ArrivingMode &mode) const;
    int          of(const ArrivingMode &mode) const; // class of a transport mode
    unsigned int classes() const { return 2 * count; }
    /// Widens count to hold `mode`, or every mode of `channels`.
    void cover(const ArrivingMode &mode) { count = std::max(count, shell(mode) + 1); }
    void cover(const ArrivingChannels &channels);

    /// A dense mode's share of each shell: the exact integral of a Gaussian about its
    /// |q_par| over the shell (the first and last shells open), so that the classes of a
    /// dense set sample a smooth density of states in |q_par| rather than the few radii of
    /// its mesh. Shares below 1e-12 are left out and the rest renormalized.
    std::vector<std::pair<int, double>> shares(const ArrivingMode &mode) const;
  };

  /// What carrying did.
  struct ClassCarryReport
  {
    unsigned int groups              = 0; // groups of classes the transport modes carry
    double       dense_conductance   = 0; // flux per kelvin between the sides on the dense sets [W/(m^2 K)]
    double       carried_conductance = 0; // the part the transport modes carry
  };

  /// The summary-line words for it: groups, shell width and dense spacing [1/m], the dense
  /// sets' Landauer G and the share the transport modes carry.
  std::string describe(const ClassCarryReport &report, double class_width, double spacing);

  /// The group coupling of the transport sets a, b (their arriving modes in `transport`,
  /// by bin; bin_a, bin_b every mode's bin) that carries the dense class flux `flux` (one
  /// matrix per bin, over shells.classes()).
  ModeCoupling carry_class_flux(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                const std::vector<int> &bin_b, const Eigen::Vector3d &normal,
                                const ArrivingChannels &transport, const ClassShells &shells,
                                const std::vector<Eigen::MatrixXd> &flux, ClassCarryReport &report);
} // namespace kapitza
