#include "interface/strain_golden_rule.h"

#include "interface/mode_coupling.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace kapitza
{
  void collect_arriving(ArrivingChannels &into, const ModeSet &modes, const std::vector<int> &channel, bool side_a,
                        double gamma, const Eigen::Vector3d &normal)
  {
    const Eigen::Vector3d out = side_a ? normal : Eigen::Vector3d(-normal);
    const Eigen::VectorXd W   = arriving_flux_weight(modes, out);
    const Eigen::VectorXd c   = modes.heat_capacity().cwiseQuotient(modes.density);
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      if (W[mu] > 0)
        into[channel[mu]].push_back({side_a, int(mu), modes.wavevector.row(mu).transpose(),
                                     modes.density[mu] * std::sqrt(c[mu]) * modes.omega[mu] * gamma, W[mu]});
  }

  namespace
  {
    // The wavevectors of side b (0) and side a (1).
    std::array<std::vector<Eigen::Vector3d>, 2> side_wavevectors(const ArrivingChannels &channels)
    {
      std::array<std::vector<Eigen::Vector3d>, 2> side_q;
      for (const auto &[c, modes] : channels)
        for (const ArrivingMode &mode : modes)
          side_q[mode.side_a].push_back(mode.q);
      return side_q;
    }
  } // namespace

  double inplane_spacing(const ArrivingChannels &channels, const Eigen::Vector3d &normal)
  {
    const auto side_q = side_wavevectors(channels);
    return std::max(median_inplane_spacing(side_q[1], normal), median_inplane_spacing(side_q[0], normal));
  }

  NormalCells normal_half_cells(const ArrivingChannels &channels, const Eigen::Vector3d &normal)
  {
    const auto side_q = side_wavevectors(channels);
    return {median_normal_spacing(side_q[1], normal) / 2, median_normal_spacing(side_q[0], normal) / 2};
  }
} // namespace kapitza
