#include "interface/strain_classes.h"

#include "interface/interface_model.h"
#include "interface/strain_golden_rule.h"
#include "interface/symmetric_balance.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <tuple>

namespace kapitza
{
  namespace
  {
    // Default shell width in units of the dense sets' in-plane spacing (the width each dense
    // mode's |q_par| is spread over): narrower shells resolve the transport modes' |q_par|
    // better until the groups' capacities stop them; at AlN/SiC 620 K (the main job's
    // meshes) the drop moves by 0.5 % from 1/4 to 1/8 of the spacing and by 1-2 % from 1/2
    // to 1/4 (validation/smm_class_width/).
    constexpr double default_width_per_spacing = 0.25;

    // Classes of one bin: side a's shells 0 .. shells - 1, then side b's.
    struct Shells
    {
      Eigen::Vector3d normal;
      double          width;
      double          spread;  // Gaussian width of a dense mode's |q_par| [1/m]
      unsigned int    count = 0;

      double radius(const ArrivingMode &mode) const { return (mode.q - mode.q.dot(normal) * normal).norm(); }
      unsigned int shell(const ArrivingMode &mode) const { return std::floor(radius(mode) / width); }
      int of(const ArrivingMode &mode) const { return (mode.side_a ? 0 : count) + std::min(shell(mode), count - 1); }
      unsigned int classes() const { return 2 * count; }

      // A dense mode's share of each shell: the exact integral of a Gaussian about its
      // |q_par| over the shell (the first and last shells open), so that the classes of a
      // dense set sample a smooth density of states in |q_par| rather than the few radii of
      // its mesh. Shares below 1e-12 are left out and the rest renormalized.
      std::vector<std::pair<int, double>> shares(const ArrivingMode &mode) const
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
    };

    // The dense class flux of one bin: strain part X (golden rule, balanced to the scattered
    // flux) plus the background's share of the rest; symmetric, rows the class capacities.
    Eigen::MatrixXd dense_class_flux(const std::vector<ArrivingMode> &modes, const Shells &shells,
                                     const MisfitFormFactor *form_factor, double channel_width, bool parallel,
                                     StrainMismatchReport &report)
    {
      const unsigned int n = modes.size(), n_classes = shells.classes();
      std::vector<std::vector<std::pair<int, double>>> shares(n);
      Eigen::VectorXd M = Eigen::VectorXd::Zero(n_classes);
      for (unsigned int i = 0; i < n; ++i)
        {
          shares[i] = shells.shares(modes[i]);
          for (const auto &[c, part] : shares[i])
            M[c] += part * modes[i].flux;
        }
      Eigen::MatrixXd flux = Eigen::MatrixXd::Zero(n_classes, n_classes);
      if (form_factor)
        {
          // into(i, l): golden-rule flux of mode i into class l; E = sum_i shares_i into(i).
          Eigen::MatrixXd into = Eigen::MatrixXd::Zero(n, n_classes);
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int k = 0; k <= i; ++k)
              {
                const double s = golden_rule_flux(*form_factor, modes[i], modes[k], channel_width);
                if (s == 0)
                  continue;
                for (const auto &[c, part] : shares[k])
                  into(i, c) += s * part;
                if (k != i)
                  for (const auto &[c, part] : shares[i])
                    into(k, c) += s * part;
              }
          Eigen::MatrixXd E      = Eigen::MatrixXd::Zero(n_classes, n_classes);
          Eigen::VectorXd target = Eigen::VectorXd::Zero(n_classes);
          for (unsigned int i = 0; i < n; ++i)
            {
              const double expected  = into.row(i).sum();
              const double scattered = modes[i].flux * -std::expm1(-expected / modes[i].flux);
              for (const auto &[c, part] : shares[i])
                E.row(c) += part * into.row(i), target[c] += part * scattered;
              report.golden_rule_probability += expected;
              report.golden_rule_flux += scattered;
              if (expected <= 0)
                report.unscattered_flux += modes[i].flux;
            }
          const Eigen::VectorXd d = symmetric_balance(E, target, BalanceBound::golden_rule);
          flux                    = d.asDiagonal() * E * d.asDiagonal();
          report.strain_flux += flux.sum();
        }
      else
        report.unscattered_flux += M.sum();
      const Eigen::VectorXd rest = (M - flux.rowwise().sum()).cwiseMax(0.0);
      report.background_flux += rest.sum();
      if (!parallel)
        {
          report.diffuse_flux += rest.sum();
          if (rest.sum() > 0)
            flux += rest * rest.transpose() / rest.sum();
          return flux;
        }
      for (unsigned int s = 0; s < shells.count; ++s)
        {
          const unsigned int on_a = s, on_b = shells.count + s;
          const double       sum = rest[on_a] + rest[on_b];
          if (sum <= 0)
            continue;
          for (const unsigned int i : {on_a, on_b})
            for (const unsigned int k : {on_a, on_b})
              flux(i, k) += rest[i] * rest[k] / sum;
        }
      return flux;
    }

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
                                        GroupCoupling &groups, StrainMismatchReport &report)
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

    // The dense class flux of every bin, each bin on one rank (the largest first, each to
    // the rank with the least work so far: the cost goes as the bin's modes squared), then
    // summed over the ranks with the report's sums.
    void add_dense_flux(const ArrivingChannels &dense, const Shells &shells, const MisfitFormFactor *form_factor,
                        double channel_width, bool parallel, std::vector<Eigen::MatrixXd> &flux,
                        StrainMismatchReport &report, MPI_Comm communicator)
    {
      int rank = 0, size = 1;
      MPI_Comm_rank(communicator, &rank);
      MPI_Comm_size(communicator, &size);
      std::vector<std::pair<double, int>> by_cost;
      for (const auto &[bin, modes] : dense)
        by_cost.push_back({-double(modes.size()) * modes.size(), bin});
      std::sort(by_cost.begin(), by_cost.end());
      std::vector<double> load(size, 0);
      for (const auto &[cost, bin] : by_cost)
        {
          const int owner = std::min_element(load.begin(), load.end()) - load.begin();
          load[owner] -= cost;
          if (owner == rank)
            flux[bin] = dense_class_flux(dense.at(bin), shells, form_factor, channel_width, parallel, report);
        }
      std::vector<double> sums = {report.golden_rule_probability, report.unscattered_flux, report.strain_flux,
                                  report.golden_rule_flux,        report.background_flux,  report.diffuse_flux};
      for (const Eigen::MatrixXd &matrix : flux)
        sums.insert(sums.end(), matrix.data(), matrix.data() + matrix.size());
      MPI_Allreduce(MPI_IN_PLACE, sums.data(), sums.size(), MPI_DOUBLE, MPI_SUM, communicator);
      std::tie(report.golden_rule_probability, report.unscattered_flux, report.strain_flux, report.golden_rule_flux,
               report.background_flux, report.diffuse_flux) = std::tie(sums[0], sums[1], sums[2], sums[3], sums[4],
                                                                         sums[5]);
      std::size_t next = 6;
      for (Eigen::MatrixXd &matrix : flux)
        {
          std::copy(sums.begin() + next, sums.begin() + next + matrix.size(), matrix.data());
          next += matrix.size();
        }
    }
  } // namespace

  ModeCoupling strain_mismatch_classes(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                       const std::vector<int> &bin_b, double channel_width,
                                       const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                                       const GoldenRuleFinalStates &finals, double class_width,
                                       StrainMismatchReport &report, MPI_Comm communicator)
  {
    for (const ModeSet *modes : {&a, &b, finals.a, finals.b})
      if (modes->wavevector.rows() != int(modes->size()))
        throw std::runtime_error("Interfaces/Re-emission = classes needs wavevectors: '" + modes->material +
                                 "' has none (use ab initio mode databases)");
    const bool strained = dislocations.arrays > 0;
    if (strained && !(dislocations.spacing > 0 && dislocations.burgers > 0))
      throw std::runtime_error("Interfaces/Model = smm needs a positive dislocation spacing and Burgers vector");
    ArrivingChannels transport, dense;
    collect_arriving(transport, a, bin_a, true, dislocations.gruneisen_a, normal);
    collect_arriving(transport, b, bin_b, false, dislocations.gruneisen_b, normal);
    collect_arriving(dense, *finals.a, finals.channel_a, true, dislocations.gruneisen_a, normal);
    collect_arriving(dense, *finals.b, finals.channel_b, false, dislocations.gruneisen_b, normal);
    const double dense_spacing = inplane_spacing(dense, normal);
    const double sigma = dislocations.momentum_resolution > 0 ? dislocations.momentum_resolution : dense_spacing;
    report                        = StrainMismatchReport();
    report.final_state_resolution = report.momentum_resolution = sigma;
    report.class_width = class_width > 0 ? class_width : default_width_per_spacing * dense_spacing;
    if (!(sigma > 0 && report.class_width > 0))
      throw std::runtime_error("Interfaces/Spectral files: the dense sets have no in-plane q-mesh spacing");
    report.normal_cells = normal_half_cells(dense, normal);
    if (strained && !(report.normal_cells.half_a > 0 && report.normal_cells.half_b > 0))
      throw std::runtime_error("Interfaces/Spectral files: a dense set has no q-mesh step along the interface normal "
                               "(no in-plane point with two normal components)");

    Shells shells{normal, report.class_width, dense_spacing};
    int    n_bins = 0;
    for (const ArrivingChannels *set : {&transport, &dense})
      for (const auto &[bin, modes] : *set)
        {
          n_bins = std::max(n_bins, bin + 1);
          for (const ArrivingMode &mode : modes)
            shells.count = std::max(shells.count, shells.shell(mode) + 1);
        }

    // The dense class flux and the transport class capacities of every bin.
    const unsigned int                 n_classes = shells.classes();
    std::vector<Eigen::MatrixXd>       flux(n_bins, Eigen::MatrixXd::Zero(n_classes, n_classes));
    std::vector<Eigen::VectorXd>       capacity(n_bins, Eigen::VectorXd::Zero(n_classes));
    std::unique_ptr<MisfitFormFactor> form_factor;
    if (strained)
      form_factor = std::make_unique<MisfitFormFactor>(normal, dislocations, sigma, report.normal_cells);
    double dense_flux = 0;
    for (const auto &[bin, modes] : dense)
      for (const ArrivingMode &mode : modes)
        dense_flux += mode.flux;
    add_dense_flux(dense, shells, form_factor.get(), channel_width, dislocations.keep_parallel_momentum, flux,
                   report, communicator);
    for (const auto &[bin, modes] : transport)
      for (const ArrivingMode &mode : modes)
        capacity[bin][shells.of(mode)] += mode.flux;

    // Bins joined into channels the transport modes of both sides can carry.
    Eigen::VectorXd transfer(n_bins), side_a(n_bins), side_b(n_bins), merged;
    for (int bin = 0; bin < n_bins; ++bin)
      {
        transfer[bin] = across(flux[bin], shells.count);
        side_a[bin]   = capacity[bin].head(shells.count).sum();
        side_b[bin]   = capacity[bin].tail(shells.count).sum();
      }
    report.dense_conductance                = transfer.sum();
    const std::vector<int> channel_of_bin = join_bins(transfer, side_a, side_b, merged);

    ModeCoupling   coupling;
    GroupCoupling &groups = coupling.groups;
    std::vector<std::vector<int>> group_of_class(merged.size());
    for (unsigned int channel = 0; channel < merged.size(); ++channel)
      {
        Eigen::MatrixXd F = Eigen::MatrixXd::Zero(n_classes, n_classes);
        Eigen::VectorXd M = Eigen::VectorXd::Zero(n_classes);
        for (int bin = 0; bin < n_bins; ++bin)
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
    report.divide_fluxes_by(dense_flux);
    return coupling;
  }
} // namespace kapitza
