#pragma once
// The pieces of the strain mismatch model's golden rule that the mode-resolved kernel
// (strain_mismatch.cc) and the class-resolved one (strain_classes.cc) share: the arriving
// modes of a side by frequency channel, each with its factor of S_ik, and S_ik itself.

#include "interface/strain_field.h"
#include "scattering/mode_set.h"

#include <map>
#include <vector>

namespace kapitza
{
  struct ArrivingMode
  {
    bool            side_a;
    int             mode;
    Eigen::Vector3d q;      // [1/m]
    double          weight; // rho sqrt(c) omega gamma: one factor of S_ik
    double          flux;   // W: flux per kelvin
  };

  using ArrivingChannels = std::map<int, std::vector<ArrivingMode>>;

  /// Adds the modes of one side that arrive at the interface (normal from a into b) to
  /// their channels; gamma is the side's Grueneisen parameter.
  void collect_arriving(ArrivingChannels &into, const ModeSet &modes, const std::vector<int> &channel, bool side_a,
                        double gamma, const Eigen::Vector3d &normal);

  /// The in-plane q-mesh spacing of a set of channels: the larger of the two sides'.
  double inplane_spacing(const ArrivingChannels &channels, const Eigen::Vector3d &normal);

  /// Half the q-mesh step along the normal of each side's modes in a set of channels.
  NormalCells normal_half_cells(const ArrivingChannels &channels, const Eigen::Vector3d &normal);

  /// Golden-rule flux per kelvin from arriving i into the time reverse of arriving k.
  inline double golden_rule_flux(const MisfitFormFactor &form_factor, const ArrivingMode &i, const ArrivingMode &k,
                                 double channel_width)
  {
    return 2 * M_PI * i.weight * k.weight / channel_width * form_factor(i.q, k.q, i.side_a, k.side_a);
  }
} // namespace kapitza
