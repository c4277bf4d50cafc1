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
                      "dmm | amm | smm | table FILE (GiftBTE per-band transmissivities, material "
                      "0 -> 1 then 1 -> 0; band index kept across the interface)");
    prm.declare_entry("Lattice constants", "", dealii::Patterns::List(dealii::Patterns::Double(0)),
                      "smm: lattice constant of each material [m], Materials/Names order; the "
                      "misfit dislocation spacing is a_a a_b / |a_a - a_b| unless given");
    prm.declare_entry("Dislocation spacing", "0", dealii::Patterns::Double(0),
                      "smm: spacing D of the misfit dislocations [m] (0: from the lattice constants)");
    prm.declare_entry("Burgers vector", "0", dealii::Patterns::Double(0),
                      "smm: Burgers vector length b of the edge dislocations [m] (0: the mean "
                      "lattice constant / sqrt 2, the a/2<110> vector of diamond and zincblende "
                      "crystals); with nu it sets the strain amplitude, hence the fraction of "
                      "the flux that scatters off the strain field");
    prm.declare_entry("Poisson ratio", "0.21", dealii::Patterns::Double(0, 0.5),
                      "smm: Poisson ratio nu of the isotropic strain field (0.21: Voigt average of Si and Ge)");
    prm.declare_entry("Grueneisen parameters", "", dealii::Patterns::List(dealii::Patterns::Double(0)),
                      "smm: phonon-strain coupling gamma of each material (empty: 1 for all); "
                      "transmission weights go as gamma_a gamma_b, reflection as gamma^2");
    prm.declare_entry("Dislocation arrays", "2", dealii::Patterns::Integer(1, 2),
                      "smm: 1 (parallel lines) or 2 (two arrays crossed at right angles)");
    prm.declare_entry("Dislocation line", "0, 0, 0", dealii::Patterns::List(dealii::Patterns::Double(), 3, 3),
                      "smm: direction of the first array's lines (projected into the interface "
                      "plane; 0,0,0: any in-plane direction)");
    prm.declare_entry("Momentum resolution", "0", dealii::Patterns::Double(0),
                      "smm: width of the Gaussian that matches Q_parallel to G_m [1/m] (0: the "
                      "in-plane q-mesh spacing: median nearest-neighbour distance of the arriving in-plane "
                      "wavevectors of each side, the larger)");
    prm.declare_entry("Background", "parallel momentum", dealii::Patterns::Selection("parallel momentum|diffuse"),
                      "smm: what phonons that do not scatter off the strain field do. parallel "
                      "momentum: the interface without the field is uniform along its plane, so "
                      "they keep q_parallel (within the momentum resolution) and lose q_normal; "
                      "diffuse: DMM (no memory at all)");
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
    const auto numbers = [&](const std::string &entry) {
      return dealii::Utilities::string_to_double(dealii::Utilities::split_string_list(prm.get(entry)));
    };
    lattice_constants                = numbers("Lattice constants");
    gruneisen                        = numbers("Grueneisen parameters");
    dislocations.spacing             = prm.get_double("Dislocation spacing");
    dislocations.burgers             = prm.get_double("Burgers vector");
    dislocations.poisson             = prm.get_double("Poisson ratio");
    dislocations.arrays              = prm.get_integer("Dislocation arrays");
    dislocations.momentum_resolution = prm.get_double("Momentum resolution");
    dislocations.keep_parallel_momentum = prm.get("Background") == "parallel momentum";
    const auto line                  = numbers("Dislocation line");
    dislocations.line                = Eigen::Vector3d(line[0], line[1], line[2]);
    if (!(fit_window.first < fit_window.second))
      throw std::runtime_error("Interfaces/Fit window must be two increasing fractions");
    prm.leave_subsection();
    if (name == "table")
      {
        if (file.empty())
          throw std::runtime_error("Interfaces/Model = table needs a FILE");
        table = read_transmission_table(file[0] == '/' ? file : input_folder + "/" + file);
      }
    else if (name != "dmm" && name != "amm" && name != "smm")
      throw std::runtime_error("Interfaces/Model = '" + name +
                               "' is not available (this build has dmm, amm, smm and table FILE)");
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
        if (model.name == "amm" || model.name == "smm")
          set_mode_coupling(pair, model);
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
        pair.channel_width = width > 0 ? width : std::max(hi, 1.0);
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
  void InterfaceScattering<dim>::set_mode_coupling(InterfacePair &pair, const InterfaceModel &model) const
  {
    const auto           &traces = geometry.regions()[pair.region_a].traces;
    const Eigen::Vector3d normal = traces[pair.traces_a[0]].normal;
    for (int t : pair.traces_a)
      if ((traces[t].normal - normal).norm() > 1e-9)
        throw std::runtime_error("Interfaces/Model = " + model.name + " needs a planar interface (one normal)");
    const RegionPhysics &a = regions[pair.region_a], &b = regions[pair.region_b];
    if (model.name == "amm")
      {
        if (model.mass_densities.size() != regions.size())
          throw std::runtime_error("Interfaces/Model = amm needs Interfaces/Mass densities, one per material");
        pair.coupling = std::make_shared<const ModeCoupling>(
          acoustic_mismatch(a.modes, b.modes, pair.channel_a, pair.channel_b, normal,
                            model.mass_densities[pair.region_a], model.mass_densities[pair.region_b]));
      }
    else
      pair.coupling = std::make_shared<const ModeCoupling>(
        strain_mismatch(a.modes, b.modes, pair.channel_a, pair.channel_b, pair.channel_width,
                        normal, pair_dislocations(pair, model), pair.strain));
    // Channel transmission: the flux-weighted transmitted fraction of arriving modes.
    const auto transmitted = [&](const ModeSet &modes, const std::vector<int> &channel,
                                 const Eigen::Vector3d &out, const auto &across) {
      const Eigen::VectorXd W = arriving_flux_weight(modes, out);
      Eigen::VectorXd       sent = Eigen::VectorXd::Zero(pair.n_channels), all = sent;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        {
          all[channel[mu]] += W[mu];
          for (const auto &entry : across[mu])
            sent[channel[mu]] += W[mu] * entry.second;
        }
      return Eigen::VectorXd(sent.cwiseQuotient(all.cwiseMax(1e-300)));
    };
    const Eigen::VectorXd t_ab = transmitted(a.modes, pair.channel_a, normal, pair.coupling->a_to_b);
    const Eigen::VectorXd t_ba = transmitted(b.modes, pair.channel_b, -normal, pair.coupling->b_to_a);
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      pair.t_ab.row(i) = t_ab.transpose(), pair.t_ba.row(i) = t_ba.transpose();
  }

  template <int dim>
  MisfitDislocations InterfaceScattering<dim>::pair_dislocations(const InterfacePair &pair,
                                                                 const InterfaceModel &model) const
  {
    MisfitDislocations d = model.dislocations;
    const auto per_material = [&](const std::vector<double> &values, const std::string &entry) {
      if (values.size() != regions.size())
        throw std::runtime_error("Interfaces/" + entry + " needs one value per material");
      return std::make_pair(values[pair.region_a], values[pair.region_b]);
    };
    if (!model.gruneisen.empty())
      std::tie(d.gruneisen_a, d.gruneisen_b) = per_material(model.gruneisen, "Grueneisen parameters");
    if (d.spacing == 0 || d.burgers == 0)
      {
        const auto [a, b] = per_material(model.lattice_constants, "Lattice constants (Model = smm)");
        if (d.spacing == 0)
          {
            if (a == b)
              throw std::runtime_error("Interfaces/Model = smm: equal lattice constants give no "
                                       "misfit dislocations; set Interfaces/Dislocation spacing");
            d.spacing = a * b / std::abs(a - b);
          }
        if (d.burgers == 0)
          d.burgers = 0.5 * (a + b) / std::sqrt(2.0);
      }
    return d;
  }

  template <int dim>
  void InterfaceScattering<dim>::transmit_coupled(const InterfacePair &pair,
                                                  const std::vector<RowMatrix> &outgoing,
                                                  std::vector<RowMatrix> &inflow,
                                                  Eigen::MatrixXd *spectral) const
  {
    const ModeCoupling  &coupling = *pair.coupling;
    const RegionPhysics &a = regions[pair.region_a], &b = regions[pair.region_b];
    const RowMatrix all_a = gather_modes(outgoing[pair.region_a], *a.distribution);
    const RowMatrix all_b = gather_modes(outgoing[pair.region_b], *b.distribution);
    const auto &traces = geometry.regions()[pair.region_a].traces;
    const Eigen::Vector3d n = traces[pair.traces_a[0]].normal;
    const Eigen::VectorXd va = a.modes.velocity * n, vb = b.modes.velocity * n;
    if (spectral)
      *spectral = Eigen::MatrixXd::Zero(pair.traces_a.size(), pair.n_channels);
    // Energy flux of every arriving mode of one side, sent to its own and the other side;
    // `sign` orients the spectral flux from a to b.
    const auto scatter = [&](const Eigen::VectorXd &v_out, const RegionPhysics &side, const RowMatrix &all,
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
    const auto enter = [&](const Eigen::VectorXd &v_in, const RegionPhysics &side, const Eigen::VectorXd &into,
                           RowMatrix &target, int column) {
      // psi of an entering mode carries the energy flux it received.
      for (int j = 0; j < side.distribution->n_local(); ++j)
        {
          const int mu = side.distribution->local_begin() + j;
          if (v_in[mu] > 0)
            target(j, column) = into[mu] / (v_in[mu] * side.energy[mu]);
        }
    };
    for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
      {
        const int       ta = pair.traces_a[i], tb = traces[ta].partner_trace;
        Eigen::VectorXd into_a = Eigen::VectorXd::Zero(a.modes.size());
        Eigen::VectorXd into_b = Eigen::VectorXd::Zero(b.modes.size());
        scatter(va, a, all_a, ta, coupling.a_to_a, coupling.a_to_b, pair.channel_a, into_a, into_b, i, 1);
        scatter(-vb, b, all_b, tb, coupling.b_to_b, coupling.b_to_a, pair.channel_b, into_b, into_a, i, -1);
        enter(-va, a, into_a, inflow[pair.region_a], ta);
        enter(vb, b, into_b, inflow[pair.region_b], tb);
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
