#include "interface/mode_coupling.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  Eigen::VectorXd arriving_flux_weight(const ModeSet &modes, const Eigen::Vector3d &out)
  {
    const Eigen::VectorXd weight = modes.energy_weight().cwiseProduct(modes.uniform_shift());
    return (modes.velocity * out).cwiseMax(0.0).cwiseProduct(weight);
  }

  void GroupCoupling::set_crossing()
  {
    crossing.assign(fraction.size(), 0.0);
    for (unsigned int g = 0; g < fraction.size(); ++g)
      for (const auto &[h, part] : fraction[g])
        if (on_a[h] != on_a[g])
          crossing[g] += part;
  }

  void expand_groups(ModeCoupling &coupling)
  {
    const GroupCoupling &groups = coupling.groups;
    for (const bool side_a : {true, false})
      {
        const auto &arriving = side_a ? groups.arriving_a : groups.arriving_b;
        auto       &own      = side_a ? coupling.a_to_a : coupling.b_to_b;
        auto       &other    = side_a ? coupling.a_to_b : coupling.b_to_a;
        own.assign(arriving.size(), {}), other.assign(arriving.size(), {});
        for (unsigned int mu = 0; mu < arriving.size(); ++mu)
          if (arriving[mu] >= 0)
            for (const auto &[h, part] : groups.fraction[arriving[mu]])
              for (const auto &[m, share] : groups.entering[h])
                (groups.on_a[h] == side_a ? own : other)[mu].push_back({m, part * share});
      }
  }

  std::vector<int> reversed_modes(const ModeSet &modes, const std::vector<int> &channel)
  {
    std::map<int, std::vector<int>> by_channel;
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      by_channel[channel[mu]].push_back(mu);
    std::vector<int> reverse(modes.size(), -1);
    // Absolute floor for (nearly) standing modes, e.g. optical modes at Gamma whose
    // velocity is round-off: they are their own partners.
    const double floor = 1e-9 * modes.velocity.rowwise().norm().maxCoeff();
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        const Eigen::RowVector3d v    = modes.velocity.row(mu);
        double                   best = std::max(1e-6 * v.norm(), floor);
        // The partner of a mode in a degenerate subspace may carry another branch number
        // (the subspace's basis at -q is not tied to the one at q), so the velocity decides.
        for (const int nu : by_channel[channel[mu]])
          {
            const double d = (modes.velocity.row(nu) + v).norm();
            if (d <= best)
              best = d, reverse[mu] = nu;
          }
        if (reverse[mu] < 0)
          {
            std::ostringstream message;
            message << "mode " << mu << " of '" << modes.material
                    << "' has no time-reversed partner (velocity -v in the same frequency channel)";
            throw std::runtime_error(message.str());
          }
      }
    return reverse;
  }
} // namespace kapitza
