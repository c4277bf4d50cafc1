#include "interface/class_reemission.h"

#include "interface/interface_model.h"
#include "scattering/formatted.h"

#include <algorithm>
#include <cmath>

namespace kapitza
{
  double ClassShells::radius(const ArrivingMode &mode) const
  {
    return (mode.side_a ? 1.0 : scale_b) * (mode.q - mode.q.dot(normal) * normal).norm();
  }

  unsigned int ClassShells::shell(const ArrivingMode &mode) const
  {
    return std::floor(radius(mode) / width);
  }

  int ClassShells::of(const ArrivingMode &mode) const
  {
    return (mode.side_a ? 0 : count) + std::min(shell(mode), count - 1);
  }

  void ClassShells::cover(const ArrivingChannels &channels)
  {
    for (const auto &[bin, modes] : channels)
      for (const ArrivingMode &mode : modes)
        cover(mode);
  }

  std::vector<std::pair<int, double>> ClassShells::shares(const ArrivingMode &mode) const
  {
    const double p = radius(mode), reach = gaussian_reach * spread;
    const int    first = std::max(0.0, std::floor((p - reach) / width));
    const int    last  = std::min<double>(count - 1, std::floor((p + reach) / width));
    const auto   below = [&](double edge) { return 0.5 * std::erfc((p - edge) / (std::sqrt(2.0) * spread)); };
    std::vector<std::pair<int, double>> result;
    double                              sum = 0;
    for (int k = first; k <= last; ++k)
      {
        const double part = (k == int(count) - 1 ? 1.0 : below((k + 1) * width)) - (k == 0 ? 0.0 : below(k * width));
        if (part > 1e-12)
          result.push_back({(mode.side_a ? 0 : int(count)) + k, part}), sum += part;
      }
    for (auto &entry : result)
      entry.second /= sum;
    return result;
  }

  std::string describe(const ClassCarryReport &report, double class_width, double spacing)
  {
    return formatted("; re-emission by %u groups of (frequency, side, |q_par| shell of %.3e 1/m; dense in-plane "
                     "spacing %.17g 1/m): Landauer G of the dense sets %.6g MW/(m^2 K), the transport modes carry "
                     "%.6f of it",
                     report.groups, class_width, spacing, report.dense_conductance * 1e-6,
                     report.dense_conductance > 0 ? report.carried_conductance / report.dense_conductance : 0.0);
  }

  namespace
  {
    // The flux between the sides of a class flux matrix (side a's classes first).
    double across(const Eigen::MatrixXd &flux, unsigned int shells)
    {
      return flux.topRightCorner(shells, shells).sum();
    }

    // Consecutive shells of one side into groups whose transport capacity covers the flux
    // that F sends out of them (a last group that cannot joins the ones before).
    std::vector<std::vector<int>> side_groups(const Eigen::MatrixXd &F, const Eigen::VectorXd &capacity,
                                              unsigned int first, unsigned int shells)
    {
      const Eigen::VectorXd row     = F.rowwise().sum();
      const auto            carries = [&](const std::vector<int> &group) {
        double held = 0, leaving = 0;
        for (const int i : group)
          {
            held += capacity[i], leaving += row[i];
            for (const int k : group)
              leaving -= F(i, k);
          }
        return held > 0 && held >= leaving;
      };
      std::vector<std::vector<int>> groups;
      std::vector<int>              open;
      for (unsigned int s = 0; s < shells; ++s)
        {
          open.push_back(first + s);
          if (carries(open))
            groups.push_back(open), open.clear();
        }
      if (groups.empty())
        groups.emplace_back();
      groups.back().insert(groups.back().end(), open.begin(), open.end());
      while (groups.size() > 1 && !carries(groups.back()))
        {
          groups[groups.size() - 2].insert(groups[groups.size() - 2].end(), groups.back().begin(),
                                           groups.back().end());
          groups.pop_back();
        }
      return groups;
    }

    // One channel's groups added to the coupling: the flux between groups as F has it,
    // scaled down symmetrically where a group's transport capacity cannot carry it (only
    // when a whole side cannot: the joined bins' last channel), the rest kept by each group.
    // Returns the global group of every class of the channel.
    std::vector<int> add_channel_groups(const Eigen::MatrixXd &F, const Eigen::VectorXd &capacity, unsigned int shells,
                                        GroupCoupling &groups, ClassCarryReport &report)
    {
      std::vector<std::vector<int>> members = side_groups(F, capacity, 0, shells);
      for (auto &group : side_groups(F, capacity, shells, shells))
        members.push_back(group);
      const unsigned int n = members.size(), first = groups.fraction.size();
      std::vector<int>   group_of(F.rows(), -1);
      Eigen::MatrixXd    G = Eigen::MatrixXd::Zero(n, n);
      Eigen::VectorXd    held = Eigen::VectorXd::Zero(n);
      for (unsigned int g = 0; g < n; ++g)
        for (const int i : members[g])
          group_of[i] = first + g, held[g] += capacity[i];
      for (unsigned int g = 0; g < n; ++g)
        for (unsigned int h = 0; h < n; ++h)
          if (g != h)
            for (const int i : members[g])
              for (const int k : members[h])
                G(g, h) += F(i, k);
      Eigen::VectorXd scale(n);
      for (unsigned int g = 0; g < n; ++g)
        {
          const double leaving = G.row(g).sum();
          scale[g]             = leaving > held[g] ? held[g] / leaving : 1.0;
        }
      G = scale.asDiagonal() * G * scale.asDiagonal();
      for (unsigned int g = 0; g < n; ++g)
        {
          const bool on_a = members[g].empty() || members[g].front() < int(shells);
          groups.on_a.push_back(on_a);
          groups.fraction.emplace_back();
          if (held[g] <= 0)
            continue;
          for (unsigned int h = 0; h < n; ++h)
            {
              const double part = h == g ? std::max(held[g] - G.row(g).sum(), 0.0) : G(g, h);
              if (part > 0)
                groups.fraction.back().push_back({int(first + h), part / held[g]});
              const bool to_a = members[h].empty() || members[h].front() < int(shells);
              if (on_a && !to_a)
                report.carried_conductance += part;
            }
        }
      report.groups += n;
      return group_of;
    }

  } // namespace

  ModeCoupling carry_class_flux(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                const std::vector<int> &bin_b, const Eigen::Vector3d &normal,
                                const ArrivingChannels &transport, const ClassShells &shells,
                                const std::vector<Eigen::MatrixXd> &flux, ClassCarryReport &report)
  {
    const unsigned int           n_bins = flux.size(), n_classes = shells.classes();
    std::vector<Eigen::VectorXd> capacity(n_bins, Eigen::VectorXd::Zero(n_classes));
    for (const auto &[bin, modes] : transport)
      for (const ArrivingMode &mode : modes)
        capacity[bin][shells.of(mode)] += mode.flux;

    // Bins joined into channels the transport modes of both sides can carry.
    Eigen::VectorXd transfer(n_bins), side_a(n_bins), side_b(n_bins), merged;
    for (unsigned int bin = 0; bin < n_bins; ++bin)
      {
        transfer[bin] = across(flux[bin], shells.count);
        side_a[bin]   = capacity[bin].head(shells.count).sum();
        side_b[bin]   = capacity[bin].tail(shells.count).sum();
      }
    report                                = ClassCarryReport();
    report.dense_conductance              = transfer.sum();
    const std::vector<int> channel_of_bin = join_bins(transfer, side_a, side_b, merged);

    ModeCoupling   coupling;
    GroupCoupling &groups = coupling.groups;
    std::vector<std::vector<int>> group_of_class(merged.size());
    for (unsigned int channel = 0; channel < merged.size(); ++channel)
      {
        Eigen::MatrixXd F = Eigen::MatrixXd::Zero(n_classes, n_classes);
        Eigen::VectorXd M = Eigen::VectorXd::Zero(n_classes);
        for (unsigned int bin = 0; bin < n_bins; ++bin)
          if (channel_of_bin[bin] == int(channel))
            F += flux[bin], M += capacity[bin];
        group_of_class[channel] = add_channel_groups(F, M, shells.count, groups, report);
      }

    // Every transport mode's group: arriving modes by their class, the entering partner of
    // each (its time reverse, reversed_modes) by that of the arriving mode, with its share of
    // the group's capacity.
    Eigen::VectorXd held = Eigen::VectorXd::Zero(groups.fraction.size());
    groups.arriving_a.assign(a.size(), -1), groups.arriving_b.assign(b.size(), -1);
    for (const auto &[bin, modes] : transport)
      for (const ArrivingMode &mode : modes)
        {
          const int g = group_of_class[channel_of_bin[bin]][shells.of(mode)];
          (mode.side_a ? groups.arriving_a : groups.arriving_b)[mode.mode] = g;
          held[g] += mode.flux;
        }
    groups.entering.resize(groups.fraction.size());
    for (const bool on_a : {true, false})
      {
        const ModeSet          &modes    = on_a ? a : b;
        const std::vector<int> &arriving = on_a ? groups.arriving_a : groups.arriving_b;
        const std::vector<int>  reverse  = reversed_modes(modes, on_a ? bin_a : bin_b);
        const Eigen::VectorXd   W = arriving_flux_weight(modes, on_a ? normal : Eigen::Vector3d(-normal));
        for (unsigned int k = 0; k < modes.size(); ++k)
          if (arriving[k] >= 0)
            groups.entering[arriving[k]].push_back({reverse[k], W[k] / held[arriving[k]]});
      }
    groups.set_crossing();
    return coupling;
  }
} // namespace kapitza
