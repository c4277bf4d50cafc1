#include "interface/interface_scattering.h"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  TransmissionTable read_transmission_table(const std::string &path)
  {
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error(path + ": cannot open the interface transmission file");
    // Blocks start at a line "i # ...": numbers before a '#' on such a line are block
    // headers; every other non-empty line (the last may lack a newline) is one value.
    std::vector<std::vector<double>> blocks;
    std::string                      line;
    for (unsigned int number = 1; std::getline(in, line); ++number)
      {
        const bool header = line.find('#') != std::string::npos;
        std::istringstream fields(line.substr(0, line.find('#')));
        double             value;
        if (!(fields >> value))
          {
            if (line.find_first_not_of(" \t\r") == std::string::npos)
              continue;
            throw std::runtime_error(path + ": line " + std::to_string(number) + " is not a number");
          }
        if (header)
          blocks.emplace_back();
        else if (blocks.empty() || !(value >= 0 && value <= 1))
          throw std::runtime_error(path + ": line " + std::to_string(number) +
                                   (blocks.empty() ? " comes before the first block header" :
                                                     " is not a transmissivity in [0,1]"));
        else
          blocks.back().push_back(value);
      }
    if (blocks.size() != 2 || blocks[0].size() != blocks[1].size() || blocks[0].empty())
      throw std::runtime_error(path + ": needs two blocks (0 -> 1, 1 -> 0) of equal, non-zero length");
    return {blocks[0], blocks[1]};
  }

  void InterfaceModel::declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Interfaces");
    prm.declare_entry("Model", "dmm", dealii::Patterns::Anything(),
                      "dmm | amm | table FILE (GiftBTE per-band transmissivities, material "
                      "0 -> 1 then 1 -> 0; band index kept across the interface)");
    prm.declare_entry("Mass densities", "", dealii::Patterns::List(dealii::Patterns::Double(0)),
                      "amm: mass density of each material [kg/m^3], in Materials/Names order "
                      "(acoustic impedance Z = density x speed)");
    prm.declare_entry("Frequency bins", "100", dealii::Patterns::Integer(1),
                      "DMM: common frequency bins that match modes across the interface");
    prm.declare_entry("Fit window", "0.25, 0.75", dealii::Patterns::List(dealii::Patterns::Double(0, 1), 2, 2),
                      "part of each adjacent layer (fractions of its thickness from its start) "
                      "where the bulk temperature profile is fitted by a line and extrapolated "
                      "to the interface");
    prm.leave_subsection();
  }

  void InterfaceModel::parse(dealii::ParameterHandler &prm, const std::string &input_folder)
  {
    prm.enter_subsection("Interfaces");
    std::istringstream words(prm.get("Model"));
    std::string        file;
    words >> name >> file;
    frequency_bins = prm.get_integer("Frequency bins");
    mass_densities = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Mass densities")));
    const auto window = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Fit window")));
    fit_window = {window[0], window[1]};
    if (!(fit_window.first < fit_window.second))
      throw std::runtime_error("Interfaces/Fit window must be two increasing fractions");
    prm.leave_subsection();
    if (name == "table")
      {
        if (file.empty())
          throw std::runtime_error("Interfaces/Model = table needs a FILE");
        table = read_transmission_table(file[0] == '/' ? file : input_folder + "/" + file);
      }
    else if (name != "dmm" && name != "amm")
      throw std::runtime_error("Interfaces/Model = '" + name +
                               "' is not available (this build has dmm, amm and table FILE)");
  }

  template <int dim>
  InterfaceScattering<dim>::InterfaceScattering(const DriftGeometry<dim>         &geometry,
                                                const std::vector<RegionPhysics> &regions,
                                                const InterfaceModel             &model)
    : geometry(geometry)
    , regions(regions)
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
        assign_channels(pair, model);
        set_transmission(pair, model);
        if (model.name == "amm")
          set_specular_coupling(pair, model);
      }
  }

  template <int dim>
  void InterfaceScattering<dim>::assign_channels(InterfacePair &pair, const InterfaceModel &model) const
  {
    const ModeSet &a = regions[pair.region_a].modes, &b = regions[pair.region_b].modes;
    if (model.name == "table")
      {
        // Band k of one side faces band k of the other: frequency groups in rank order.
        int groups_a = 0, groups_b = 0;
        pair.channel_a = a.frequency_groups(groups_a);
        pair.channel_b = b.frequency_groups(groups_b);
        pair.n_channels = model.table.forward.size();
        if (groups_a != int(pair.n_channels) || groups_b != int(pair.n_channels))
          throw std::runtime_error("interface table has " + std::to_string(pair.n_channels) +
                                   " bands, the materials " + std::to_string(groups_a) + " and " +
                                   std::to_string(groups_b));
      }
    else
      {
        const double lo    = std::min(a.omega.minCoeff(), b.omega.minCoeff());
        const double hi    = std::max(a.omega.maxCoeff(), b.omega.maxCoeff());
        const double width = (hi - lo) / model.frequency_bins;
        pair.n_channels    = model.frequency_bins;
        const auto bin     = [&](double omega) {
          return width > 0 ? std::min<int>((omega - lo) / width, model.frequency_bins - 1) : 0;
        };
        for (unsigned int mu = 0; mu < a.size(); ++mu)
          pair.channel_a.push_back(bin(a.omega[mu]));
        for (unsigned int mu = 0; mu < b.size(); ++mu)
          pair.channel_b.push_back(bin(b.omega[mu]));
      }
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
    const RegionPhysics &a = regions[pair.region_a], &b = regions[pair.region_b];
    if (model.name == "table" && (pair.region_a != 0 || pair.region_b != 1))
      throw std::runtime_error("interface tables join materials 0 and 1 only");
    for (unsigned int i = 0; i < n; ++i)
      {
        const Eigen::Vector3d normal = traces[pair.traces_a[i]].normal; // from a into b
        const Eigen::VectorXd va = a.modes.velocity * normal, vb = b.modes.velocity * normal;
        for (unsigned int mu = 0; mu < a.modes.size(); ++mu)
          if (va[mu] < 0)
            pair.capacity_a(i, pair.channel_a[mu]) -= va[mu] * a.energy[mu] * a.shift[mu];
        for (unsigned int mu = 0; mu < b.modes.size(); ++mu)
          if (vb[mu] > 0)
            pair.capacity_b(i, pair.channel_b[mu]) += vb[mu] * b.energy[mu] * b.shift[mu];
        for (unsigned int c = 0; c < k; ++c)
          {
            const double ma = pair.capacity_a(i, c), mb = pair.capacity_b(i, c);
            if (ma <= 0 || mb <= 0)
              continue; // one side has no modes here: total reflection
            pair.t_ab(i, c) = model.name == "table" ? model.table.forward[c] : mb / (ma + mb);
            pair.t_ba(i, c) = pair.t_ab(i, c) * ma / mb; // detailed balance
            if (pair.t_ba(i, c) > 1 + 1e-9)
              throw std::runtime_error("interface transmission violates detailed balance beyond "
                                       "repair (t_ba = t_ab M_a / M_b > 1 in channel " +
                                       std::to_string(c) + ")");
            if (model.name == "table")
              pair.table_mismatch = std::max(pair.table_mismatch,
                                             std::abs(model.table.backward[c] - pair.t_ba(i, c)));
          }
      }
  }

  template <int dim>
  void InterfaceScattering<dim>::set_specular_coupling(InterfacePair &pair, const InterfaceModel &model) const
  {
    if (model.mass_densities.size() != regions.size())
      throw std::runtime_error("Interfaces/Model = amm needs Interfaces/Mass densities, one per material");
    const auto           &traces = geometry.regions()[pair.region_a].traces;
    const Eigen::Vector3d normal = traces[pair.traces_a[0]].normal;
    for (int t : pair.traces_a)
      if ((traces[t].normal - normal).norm() > 1e-9)
        throw std::runtime_error("Interfaces/Model = amm needs a planar interface (one normal)");
    const RegionPhysics &a = regions[pair.region_a], &b = regions[pair.region_b];
    pair.specular = std::make_shared<const SpecularCoupling>(
      acoustic_mismatch(a.modes, b.modes, pair.channel_a, pair.channel_b, normal,
                        model.mass_densities[pair.region_a], model.mass_densities[pair.region_b]));
    // Channel transmission: the flux-weighted transmitted fraction of arriving modes.
    Eigen::VectorXd sent_a = Eigen::VectorXd::Zero(pair.n_channels), all_a = sent_a;
    Eigen::VectorXd sent_b = sent_a, all_b = sent_a;
    for (unsigned int mu = 0; mu < a.modes.size(); ++mu)
      {
        const double w = a.energy[mu] * a.shift[mu] * a.modes.velocity.row(mu).dot(normal);
        if (w > 0)
          all_a[pair.channel_a[mu]] += w, sent_a[pair.channel_a[mu]] += w * (1 - pair.specular->reflect_a[mu]);
      }
    for (unsigned int mu = 0; mu < b.modes.size(); ++mu)
      {
        const double w = -b.energy[mu] * b.shift[mu] * b.modes.velocity.row(mu).dot(normal);
        if (w > 0)
          all_b[pair.channel_b[mu]] += w, sent_b[pair.channel_b[mu]] += w * (1 - pair.specular->reflect_b[mu]);
      }
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      {
        pair.t_ab.row(i) = sent_a.cwiseQuotient(all_a.cwiseMax(1e-300)).transpose();
        pair.t_ba.row(i) = sent_b.cwiseQuotient(all_b.cwiseMax(1e-300)).transpose();
      }
  }

  template <int dim>
  void InterfaceScattering<dim>::transmit_specular(const InterfacePair &pair,
                                                   const std::vector<RowMatrix> &outgoing,
                                                   std::vector<RowMatrix> &inflow,
                                                   Eigen::MatrixXd *spectral) const
  {
    const SpecularCoupling &coupling = *pair.specular;
    const RegionPhysics &a = regions[pair.region_a], &b = regions[pair.region_b];
    const RowMatrix all_a = gather_modes(outgoing[pair.region_a], *a.distribution);
    const RowMatrix all_b = gather_modes(outgoing[pair.region_b], *b.distribution);
    const auto &traces = geometry.regions()[pair.region_a].traces;
    const Eigen::Vector3d n = traces[pair.traces_a[0]].normal;
    const Eigen::VectorXd va = a.modes.velocity * n, vb = b.modes.velocity * n;
    if (spectral)
      *spectral = Eigen::MatrixXd::Zero(pair.traces_a.size(), pair.n_channels);
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      {
        const int       ta = pair.traces_a[i], tb = traces[ta].partner_trace;
        Eigen::VectorXd into_a = Eigen::VectorXd::Zero(a.modes.size());
        Eigen::VectorXd into_b = Eigen::VectorXd::Zero(b.modes.size());
        // Energy flux of every arriving mode, sent to its mirror and across.
        for (unsigned int mu = 0; mu < a.modes.size(); ++mu)
          if (va[mu] > 0)
            {
              const double flux = va[mu] * a.energy[mu] * all_a(mu, ta);
              into_a[coupling.mirror_a[mu]] += coupling.reflect_a[mu] * flux;
              for (const auto &[m, fraction] : coupling.a_to_b[mu])
                into_b[m] += fraction * flux;
              if (spectral)
                (*spectral)(i, pair.channel_a[mu]) += (1 - coupling.reflect_a[mu]) * flux;
            }
        for (unsigned int mu = 0; mu < b.modes.size(); ++mu)
          if (vb[mu] < 0)
            {
              const double flux = -vb[mu] * b.energy[mu] * all_b(mu, tb);
              into_b[coupling.mirror_b[mu]] += coupling.reflect_b[mu] * flux;
              for (const auto &[m, fraction] : coupling.b_to_a[mu])
                into_a[m] += fraction * flux;
              if (spectral)
                (*spectral)(i, pair.channel_b[mu]) -= (1 - coupling.reflect_b[mu]) * flux;
            }
        // psi of an entering mode carries the energy flux it received.
        for (int j = 0; j < a.distribution->n_local(); ++j)
          {
            const int mu = a.distribution->local_begin() + j;
            if (va[mu] < 0)
              inflow[pair.region_a](j, ta) = into_a[mu] / (-va[mu] * a.energy[mu]);
          }
        for (int j = 0; j < b.distribution->n_local(); ++j)
          {
            const int mu = b.distribution->local_begin() + j;
            if (vb[mu] > 0)
              inflow[pair.region_b](j, tb) = into_b[mu] / (vb[mu] * b.energy[mu]);
          }
      }
  }

  template <int dim>
  Eigen::MatrixXd InterfaceScattering<dim>::arriving_flux(const InterfacePair &pair, bool side_a,
                                                          const std::vector<RowMatrix> &outgoing) const
  {
    const unsigned int    region  = side_a ? pair.region_a : pair.region_b;
    const RegionPhysics  &physics = regions[region];
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
    MPI_Allreduce(partial.data(), total.data(), partial.size(), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return total;
  }

  template <int dim>
  void InterfaceScattering<dim>::transmit(const std::vector<RowMatrix> &outgoing,
                                          std::vector<RowMatrix>       &inflow) const
  {
    for (const InterfacePair &pair : interface_pairs)
      {
        if (pair.specular)
          {
            transmit_specular(pair, outgoing, inflow, nullptr);
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
            const RegionPhysics  &physics = regions[region];
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
      if (pair.specular)
        {
          std::vector<RowMatrix> scratch = outgoing; // inflow is not needed here
          flux.emplace_back();
          transmit_specular(pair, outgoing, scratch, &flux.back());
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
