#include "interface/interface_scattering.h"

#include <cmath>
#include <map>
#include <stdexcept>

namespace kapitza
{
  template <int dim>
  InterfaceScattering<dim>::InterfaceScattering(const DriftGeometry<dim>         &geometry,
                                                std::vector<const RegionModes *> regions,
                                                const InterfaceModel             &model)
    : geometry(geometry)
    , regions(std::move(regions))
  {
    std::map<std::pair<int, int>, unsigned int> index;
    for (unsigned int r = 0; r < geometry.regions().size(); ++r)
      for (unsigned int t = 0; t < geometry.regions()[r].traces.size(); ++t)
        {
          const TracePoint &point = geometry.regions()[r].traces[t];
          if (point.boundary_id != interface_id || point.partner_region < int(r))
            continue;
          const auto key = std::make_pair(int(r), point.partner_region);
          if (!index.count(key))
            {
              index[key] = interface_pairs.size();
              interface_pairs.push_back({});
              interface_pairs.back().region_a = r;
              interface_pairs.back().region_b = point.partner_region;
            }
          interface_pairs[index[key]].traces_a.push_back(t);
        }
    for (InterfacePair &pair : interface_pairs)
      {
        const auto &traces = geometry.regions()[pair.region_a].traces;
        const Eigen::Vector3d normal = traces[pair.traces_a[0]].normal;
        if (model.needs_planar_interface())
          for (int t : pair.traces_a)
            if ((traces[t].normal - normal).norm() > 1e-9)
              throw std::runtime_error("Interfaces/Model = " + model.name() +
                                       " needs a planar interface (one normal)");
        model.assign_channels(pair, {*this->regions[pair.region_a], *this->regions[pair.region_b],
                                     unsigned(this->regions.size()), normal});
        set_frequencies(pair);
        set_transmission(pair, model);
        if (model.resolves_modes())
          set_mode_coupling(pair, model);
        pair.landauer_conductance = pair.capacity_a.row(0).dot(pair.t_ab.row(0));
      }
  }

  template <int dim>
  void InterfaceScattering<dim>::set_frequencies(InterfacePair &pair) const
  {
    const ModeSet &a = regions[pair.region_a]->modes, &b = regions[pair.region_b]->modes;
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(pair.n_channels), count = sum;
    for (unsigned int mu = 0; mu < a.size(); ++mu)
      sum[pair.channel_a[mu]] += a.omega[mu], count[pair.channel_a[mu]] += 1;
    for (unsigned int mu = 0; mu < b.size(); ++mu)
      sum[pair.channel_b[mu]] += b.omega[mu], count[pair.channel_b[mu]] += 1;
    pair.frequency = sum.cwiseQuotient(count.cwiseMax(1.0));
  }

  template <int dim>
  void InterfaceScattering<dim>::set_transmission(InterfacePair &pair, const InterfaceModel &model) const
  {
    const auto &traces = geometry.regions()[pair.region_a].traces;
    const unsigned int n = pair.traces_a.size(), k = pair.n_channels;
    pair.capacity_a = pair.capacity_b = pair.t_ab = pair.t_ba = Eigen::MatrixXd::Zero(n, k);
    const RegionModes &a = *regions[pair.region_a], &b = *regions[pair.region_b];
    for (unsigned int i = 0; i < n; ++i)
      {
        const Eigen::Vector3d normal = traces[pair.traces_a[i]].normal; // from a into b
        pair.capacity_a.row(i) = leaving_capacity(a, pair.channel_a, k, -normal).transpose();
        pair.capacity_b.row(i) = leaving_capacity(b, pair.channel_b, k, normal).transpose();
        for (unsigned int c = 0; c < k; ++c)
          {
            const double ma = pair.capacity_a(i, c), mb = pair.capacity_b(i, c);
            if (ma <= 0 || mb <= 0)
              continue; // one side has no modes here: total reflection
            pair.t_ab(i, c) = model.transmission(pair, c, ma, mb);
            pair.t_ba(i, c) = pair.t_ab(i, c) * ma / mb; // detailed balance
            if (pair.t_ba(i, c) > 1 + 1e-9)
              throw std::runtime_error("interface transmission violates detailed balance beyond "
                                       "repair (t_ba = t_ab M_a / M_b > 1 in channel " +
                                       std::to_string(c) + ")");
          }
      }
  }

  template <int dim>
  void InterfaceScattering<dim>::set_mode_coupling(InterfacePair &pair, const InterfaceModel &model) const
  {
    const Eigen::Vector3d normal = geometry.regions()[pair.region_a].traces[pair.traces_a[0]].normal;
    const RegionModes &a = *regions[pair.region_a], &b = *regions[pair.region_b];
    pair.coupling = model.couple_modes(pair, {a, b, unsigned(regions.size()), normal});
    // Channel transmission: the flux-weighted transmitted fraction of arriving modes.
    const auto transmitted = [&](const ModeSet &modes, const std::vector<int> &channel,
                                 const Eigen::Vector3d &out, const auto &across, const std::vector<int> &group) {
      const Eigen::VectorXd W = arriving_flux_weight(modes, out);
      const GroupCoupling  &groups = pair.coupling->groups;
      Eigen::VectorXd       sent = Eigen::VectorXd::Zero(pair.n_channels), all = sent;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        {
          all[channel[mu]] += W[mu];
          if (!groups.empty())
            sent[channel[mu]] += group[mu] >= 0 ? W[mu] * groups.transmitted(group[mu]) : 0.0;
          else
            for (const auto &entry : across[mu])
              sent[channel[mu]] += W[mu] * entry.second;
        }
      return Eigen::VectorXd(sent.cwiseQuotient(all.cwiseMax(1e-300)));
    };
    const Eigen::VectorXd t_ab = transmitted(a.modes, pair.channel_a, normal, pair.coupling->a_to_b,
                                               pair.coupling->groups.arriving_a);
    const Eigen::VectorXd t_ba = transmitted(b.modes, pair.channel_b, -normal, pair.coupling->b_to_a,
                                               pair.coupling->groups.arriving_b);
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      pair.t_ab.row(i) = t_ab.transpose(), pair.t_ba.row(i) = t_ba.transpose();
  }

  template <int dim>
  void InterfaceScattering<dim>::transmit_coupled(const InterfacePair &pair,
                                                  const std::vector<RowMatrix> &outgoing,
                                                  std::vector<RowMatrix> &inflow,
                                                  Eigen::MatrixXd *spectral) const
  {
    const ModeCoupling  &coupling = *pair.coupling;
    const RegionModes &a = *regions[pair.region_a], &b = *regions[pair.region_b];
    const RowMatrix all_a = gather_modes(outgoing[pair.region_a], *a.distribution);
    const RowMatrix all_b = gather_modes(outgoing[pair.region_b], *b.distribution);
    const auto &traces = geometry.regions()[pair.region_a].traces;
    const Eigen::Vector3d n = traces[pair.traces_a[0]].normal;
    const Eigen::VectorXd va = a.modes.velocity * n, vb = b.modes.velocity * n;
    if (spectral)
      *spectral = Eigen::MatrixXd::Zero(pair.traces_a.size(), pair.n_channels);
    // Energy flux of every arriving mode of one side, sent to its own and the other side;
    // `sign` orients the spectral flux from a to b.
    const auto scatter = [&](const Eigen::VectorXd &v_out, const RegionModes &side, const RowMatrix &all,
                             int column, const auto &back, const auto &across, const std::vector<int> &channel,
                             Eigen::VectorXd &into_own, Eigen::VectorXd &into_other, int row, double sign) {
      for (unsigned int mu = 0; mu < side.modes.size(); ++mu)
        if (v_out[mu] > 0)
          {
            const double flux = v_out[mu] * side.energy[mu] * all(mu, column);
            for (const auto &[m, fraction] : back[mu])
              into_own[m] += fraction * flux;
            for (const auto &[m, fraction] : across[mu])
              {
                into_other[m] += fraction * flux;
                if (spectral)
                  (*spectral)(row, channel[mu]) += sign * fraction * flux;
              }
          }
    };
    const auto enter = [&](const Eigen::VectorXd &v_in, const RegionModes &side, const Eigen::VectorXd &into,
                           RowMatrix &target, int column) {
      // psi of an entering mode carries the energy flux it received.
      for (int j = 0; j < side.distribution->n_local(); ++j)
        {
          const int mu = side.distribution->local_begin() + j;
          if (v_in[mu] > 0)
            target(j, column) = into[mu] / (v_in[mu] * side.energy[mu]);
        }
    };
    // The same with groups: each group's arriving flux, sent on by group and shared out.
    const GroupCoupling &groups = coupling.groups;
    const auto scatter_groups = [&](const Eigen::VectorXd &v_out, const RegionModes &side, const RowMatrix &all,
                                    int column, const std::vector<int> &group, const std::vector<int> &channel,
                                    Eigen::VectorXd &arriving, int row, double sign) {
      for (unsigned int mu = 0; mu < side.modes.size(); ++mu)
        if (v_out[mu] > 0 && group[mu] >= 0)
          {
            const double flux = v_out[mu] * side.energy[mu] * all(mu, column);
            arriving[group[mu]] += flux;
            if (spectral)
              (*spectral)(row, channel[mu]) += sign * groups.transmitted(group[mu]) * flux;
          }
    };
    const auto share_groups = [&](const Eigen::VectorXd &arriving, Eigen::VectorXd &into_a,
                                  Eigen::VectorXd &into_b) {
      Eigen::VectorXd received = Eigen::VectorXd::Zero(arriving.size());
      for (unsigned int g = 0; g < arriving.size(); ++g)
        for (const auto &[h, part] : groups.fraction[g])
          received[h] += part * arriving[g];
      for (unsigned int h = 0; h < arriving.size(); ++h)
        for (const auto &[m, share] : groups.entering[h])
          (groups.on_a[h] ? into_a : into_b)[m] += share * received[h];
    };
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      {
        const int       ta = pair.traces_a[i], tb = traces[ta].partner_trace;
        Eigen::VectorXd into_a = Eigen::VectorXd::Zero(a.modes.size());
        Eigen::VectorXd into_b = Eigen::VectorXd::Zero(b.modes.size());
        if (!groups.empty())
          {
            Eigen::VectorXd arriving = Eigen::VectorXd::Zero(groups.fraction.size());
            scatter_groups(va, a, all_a, ta, groups.arriving_a, pair.channel_a, arriving, i, 1);
            scatter_groups(-vb, b, all_b, tb, groups.arriving_b, pair.channel_b, arriving, i, -1);
            share_groups(arriving, into_a, into_b);
          }
        else
          {
            scatter(va, a, all_a, ta, coupling.a_to_a, coupling.a_to_b, pair.channel_a, into_a, into_b, i, 1);
            scatter(-vb, b, all_b, tb, coupling.b_to_b, coupling.b_to_a, pair.channel_b, into_b, into_a, i, -1);
          }
        enter(-va, a, into_a, inflow[pair.region_a], ta);
        enter(vb, b, into_b, inflow[pair.region_b], tb);
      }
  }

  template <int dim>
  Eigen::MatrixXd InterfaceScattering<dim>::arriving_flux(const InterfacePair &pair, bool side_a,
                                                          const std::vector<RowMatrix> &outgoing) const
  {
    const unsigned int    region  = side_a ? pair.region_a : pair.region_b;
    const RegionModes    &physics = *regions[region];
    const auto           &channel = side_a ? pair.channel_a : pair.channel_b;
    const auto           &traces  = geometry.regions()[pair.region_a].traces;
    const int             first   = physics.distribution->local_begin();
    Eigen::MatrixXd       partial = Eigen::MatrixXd::Zero(pair.traces_a.size(), pair.n_channels);
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      {
        const TracePoint &point = traces[pair.traces_a[i]];
        const int column = side_a ? pair.traces_a[i] : point.partner_trace;
        const Eigen::Vector3d out = side_a ? point.normal : Eigen::Vector3d(-point.normal);
        for (int j = 0; j < physics.distribution->n_local(); ++j)
          {
            const double vn = physics.modes.velocity.row(first + j).dot(out);
            if (vn > 0)
              partial(i, channel[first + j]) += vn * physics.energy[first + j] * outgoing[region](j, column);
          }
      }
    Eigen::MatrixXd total(partial.rows(), partial.cols());
    MPI_Allreduce(partial.data(), total.data(), partial.size(), MPI_DOUBLE, MPI_SUM,
                  physics.distribution->communicator);
    return total;
  }

  template <int dim>
  void InterfaceScattering<dim>::transmit(const std::vector<RowMatrix> &outgoing,
                                          std::vector<RowMatrix>       &inflow) const
  {
    for (const InterfacePair &pair : interface_pairs)
      {
        if (pair.coupling)
          {
            transmit_coupled(pair, outgoing, inflow, nullptr);
            continue;
          }
        const Eigen::MatrixXd e_a = arriving_flux(pair, true, outgoing);
        const Eigen::MatrixXd e_b = arriving_flux(pair, false, outgoing);
        const Eigen::MatrixXd ones = Eigen::MatrixXd::Ones(e_a.rows(), e_a.cols());
        // Emitted flux per unit shift of each side: F / M, zero where M = 0.
        const Eigen::MatrixXd f_a = (pair.t_ba.cwiseProduct(e_b) + (ones - pair.t_ab).cwiseProduct(e_a))
                                      .cwiseQuotient(pair.capacity_a.cwiseMax(1e-300));
        const Eigen::MatrixXd f_b = (pair.t_ab.cwiseProduct(e_a) + (ones - pair.t_ba).cwiseProduct(e_b))
                                      .cwiseQuotient(pair.capacity_b.cwiseMax(1e-300));
        const auto &traces = geometry.regions()[pair.region_a].traces;
        for (const bool side_a : {true, false})
          {
            const unsigned int    region  = side_a ? pair.region_a : pair.region_b;
            const RegionModes    &physics = *regions[region];
            const auto           &channel = side_a ? pair.channel_a : pair.channel_b;
            const Eigen::MatrixXd &f      = side_a ? f_a : f_b;
            const int             first   = physics.distribution->local_begin();
            for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
              {
                const TracePoint &point = traces[pair.traces_a[i]];
                const int column = side_a ? pair.traces_a[i] : point.partner_trace;
                const Eigen::Vector3d out = side_a ? point.normal : Eigen::Vector3d(-point.normal);
                for (int j = 0; j < physics.distribution->n_local(); ++j)
                  if (physics.modes.velocity.row(first + j).dot(out) < 0)
                    inflow[region](j, column) = physics.shift[first + j] * f(i, channel[first + j]);
              }
          }
      }
  }

  template <int dim>
  std::vector<Eigen::MatrixXd>
  InterfaceScattering<dim>::spectral_flux(const std::vector<RowMatrix> &outgoing) const
  {
    std::vector<Eigen::MatrixXd> flux;
    for (const InterfacePair &pair : interface_pairs)
      if (pair.coupling)
        {
          std::vector<RowMatrix> scratch = outgoing; // inflow is not needed here
          flux.emplace_back();
          transmit_coupled(pair, outgoing, scratch, &flux.back());
        }
      else
        flux.push_back(pair.t_ab.cwiseProduct(arriving_flux(pair, true, outgoing)) -
                       pair.t_ba.cwiseProduct(arriving_flux(pair, false, outgoing)));
    return flux;
  }

  template class InterfaceScattering<1>;
  template class InterfaceScattering<2>;
  template class InterfaceScattering<3>;
} // namespace kapitza
