#include "interface/strain_mismatch.h"

#include "interface/interface_model.h"
#include "interface/strain_classes.h"
#include "interface/strain_golden_rule.h"
#include "interface/symmetric_balance.h"
#include "scattering/formatted.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Kernel of the background that keeps the momentum along the interface: arriving i into
    // the time reverse of arriving k (wavevector -q_k) needs q_i,par + q_k,par = 0.
    double parallel_match(const Eigen::Vector3d &Q, const Eigen::Vector3d &n, double sigma)
    {
      const double miss = (Q - Q.dot(n) * n).squaredNorm() / (2 * sigma * sigma);
      return miss > gaussian_reach * gaussian_reach / 2 ? 0 : std::exp(-miss);
    }

    // Symmetric part of `kernel` with rows `target` (balanced from above; rows the kernel
    // cannot serve stay below and are returned in `left`).
    Eigen::MatrixXd balanced_part(Eigen::MatrixXd kernel, const Eigen::VectorXd &target, Eigen::VectorXd &left)
    {
      // Unlike the strain part, d has no physical bound here (the kernel only says which
      // final states keep q_par): scaled so that d = 1 serves every row.
      const Eigen::VectorXd row   = kernel.rowwise().sum();
      double                scale = 0;
      for (int i = 0; i < row.size(); ++i)
        if (row[i] > 0)
          scale = std::max(scale, target[i] / row[i]);
      if (scale > 0)
        kernel *= scale;
      const Eigen::VectorXd d = symmetric_balance(kernel, target, BalanceBound::none);
      kernel = d.asDiagonal() * kernel * d.asDiagonal();
      left   = (target - kernel.rowwise().sum()).cwiseMax(0.0);
      return kernel;
    }

    // The flux matrix of one frequency channel (symmetric, rows summing to W): the strain
    // part S = d K d balanced so that mode i scatters off the strain field with probability
    // 1 - exp(-P_i), P_i = (K 1)_i / W_i the golden-rule expected number of events per
    // crossing (K empty: no dislocations, no strain part); the rest r = W - S 1 goes through
    // the background kernel B (q_par kept; empty: none), and what is left leaves diffusely as
    // r r^T / sum r, which is the DMM kernel W W^T / sum W when nothing else scatters.
    // With dense final states `expected` comes from them and may exceed K's own rows: K then
    // only says how the flux is shared, and is balanced like the background kernel.
    Eigen::MatrixXd channel_flux(const Eigen::MatrixXd &K, const Eigen::VectorXd &expected, bool dense_sums,
                                 const Eigen::MatrixXd &B, const Eigen::VectorXd &W, StrainMismatchReport &report)
    {
      Eigen::MatrixXd flux = Eigen::MatrixXd::Zero(W.size(), W.size());
      Eigen::VectorXd rest = W;
      if (K.size() > 0)
        {
          Eigen::VectorXd target(W.size());
          for (int i = 0; i < W.size(); ++i)
            {
              target[i] = W[i] * -std::expm1(-expected[i] / W[i]);
              report.golden_rule_probability += expected[i];
              if (expected[i] <= 0)
                report.unscattered_flux += W[i];
            }
          report.golden_rule_flux += target.sum();
          if (dense_sums)
            {
              Eigen::VectorXd unserved;
              flux = balanced_part(K, target, unserved);
            }
          else
            {
              const Eigen::VectorXd d = symmetric_balance(K, target, BalanceBound::golden_rule);
              flux = d.asDiagonal() * K * d.asDiagonal();
            }
          rest = (W - flux.rowwise().sum()).cwiseMax(0.0);
          report.strain_flux += flux.sum();
        }
      else
        report.unscattered_flux += W.sum();
      report.background_flux += rest.sum();
      if (B.size() > 0 && rest.sum() > 0)
        flux += balanced_part(B, Eigen::VectorXd(rest), rest);
      report.diffuse_flux += rest.sum();
      if (rest.sum() > 0)
        flux += rest * rest.transpose() / rest.sum();
      return flux;
    }

    // The strain kernel K of one channel: golden-rule flux from arriving i into the time
    // reverse of arriving k (see the header), symmetric.
    Eigen::MatrixXd strain_kernel(const std::vector<ArrivingMode> &modes, const Eigen::Vector3d &normal,
                                  const MisfitDislocations &dislocations, double channel_width, double sigma)
    {
      const MisfitFormFactor form_factor(normal, dislocations, sigma);
      const unsigned int     n = modes.size();
      Eigen::MatrixXd        K(n, n);
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int k = 0; k <= i; ++k)
          K(i, k) = K(k, i) = golden_rule_flux(form_factor, modes[i], modes[k], channel_width);
      return K;
    }

    // The golden-rule flux of each arriving transport mode into the final states of one
    // channel (the dense sets' arriving modes, whose time reverses they are).
    Eigen::VectorXd golden_rule_sums(const std::vector<ArrivingMode> &modes, const std::vector<ArrivingMode> &finals,
                                     const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                                     double channel_width, double sigma)
    {
      const MisfitFormFactor form_factor(normal, dislocations, sigma);
      Eigen::VectorXd        sums = Eigen::VectorXd::Zero(modes.size());
      for (unsigned int i = 0; i < modes.size(); ++i)
        for (const ArrivingMode &k : finals)
          sums[i] += golden_rule_flux(form_factor, modes[i], k, channel_width);
      return sums;
    }

    // The parallel-momentum background kernel B of one channel.
    Eigen::MatrixXd background_kernel(const std::vector<ArrivingMode> &modes, const Eigen::Vector3d &normal,
                                      double sigma)
    {
      const unsigned int n = modes.size();
      Eigen::MatrixXd B(n, n);
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int k = 0; k <= i; ++k)
          B(i, k) = B(k, i) = parallel_match(modes[i].q + modes[k].q, normal, sigma);
      return B;
    }
  } // namespace

  ModeCoupling strain_mismatch(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                               const std::vector<int> &channel_b, double channel_width,
                               const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                               StrainMismatchReport &report, const GoldenRuleFinalStates *final_states)
  {
    for (const ModeSet *modes : {&a, &b})
      if (modes->wavevector.rows() != int(modes->size()))
        throw std::runtime_error("Interfaces/Model = smm needs wavevectors: '" + modes->material +
                                 "' has none (use an ab initio mode database)");
    const bool strained = dislocations.arrays > 0, parallel = dislocations.keep_parallel_momentum;
    if (strained && !(dislocations.spacing > 0 && dislocations.burgers > 0))
      throw std::runtime_error("Interfaces/Model = smm needs a positive dislocation spacing and Burgers vector");

    // Arriving modes of both sides, grouped by frequency channel.
    ArrivingChannels channels, finals;
    collect_arriving(channels, a, channel_a, true, dislocations.gruneisen_a, normal);
    collect_arriving(channels, b, channel_b, false, dislocations.gruneisen_b, normal);
    const bool dense_sums = final_states && strained;
    if (dense_sums)
      {
        collect_arriving(finals, *final_states->a, final_states->channel_a, true, dislocations.gruneisen_a, normal);
        collect_arriving(finals, *final_states->b, final_states->channel_b, false, dislocations.gruneisen_b, normal);
      }
    const std::vector<int> reverse_a = reversed_modes(a, channel_a), reverse_b = reversed_modes(b, channel_b);

    // The in-plane q-mesh spacing: a narrower Gaussian counts the exact matches of the mesh
    // lattice with weight 1/sigma (see docs/interfaces.md), a wider one loses momentum
    // selection. Taken over all arriving modes of each side (a channel alone is sparse).
    // Only the strain field and the parallel-momentum background need it.
    double mesh_sigma = dislocations.momentum_resolution;
    if (mesh_sigma <= 0 && (strained || parallel))
      {
        mesh_sigma = inplane_spacing(channels, normal);
      }

    // The dense final states' own resolution (their in-plane q-mesh spacing).
    double final_sigma = 0;
    if (dense_sums)
      {
        final_sigma = dislocations.momentum_resolution > 0 ? dislocations.momentum_resolution : inplane_spacing(finals, normal);
        if (!(final_sigma > 0))
          throw std::runtime_error("Interfaces/Spectral files: the dense sets have no in-plane q-mesh spacing");
      }

    ModeCoupling coupling;
    coupling.a_to_b.resize(a.size()), coupling.a_to_a.resize(a.size());
    coupling.b_to_a.resize(b.size()), coupling.b_to_b.resize(b.size());
    report                        = StrainMismatchReport();
    report.final_state_resolution = final_sigma;
    double total_flux = 0;
    for (const auto &[c, modes] : channels)
      {
        const unsigned int n = modes.size();
        double sigma = mesh_sigma;
        if (sigma <= 0 && (strained || parallel)) // a single mode per side: its own wavevector scale
          sigma = 0.1 * modes.front().q.norm();
        report.momentum_resolution = std::max(report.momentum_resolution, sigma);
        Eigen::VectorXd W(n);
        for (unsigned int i = 0; i < n; ++i)
          W[i] = modes[i].flux;
        const Eigen::MatrixXd K = strained ? strain_kernel(modes, normal, dislocations, channel_width, sigma) :
                                             Eigen::MatrixXd();
        Eigen::VectorXd expected; // golden-rule flux per arriving mode (strained only)
        if (dense_sums)
          {
            const auto found = finals.find(c);
            expected = found == finals.end() ? Eigen::VectorXd::Zero(n) :
                                               golden_rule_sums(modes, found->second, normal, dislocations,
                                                                channel_width, final_sigma);
          }
        else if (strained)
          expected = K.rowwise().sum();
        const Eigen::MatrixXd B = parallel ? background_kernel(modes, normal, sigma) : Eigen::MatrixXd();
        const Eigen::MatrixXd flux = channel_flux(K, expected, dense_sums, B, W, report);
        for (unsigned int i = 0; i < n; ++i)
          {
            const ArrivingMode &from = modes[i];
            auto &across = from.side_a ? coupling.a_to_b[from.mode] : coupling.b_to_a[from.mode];
            auto &back   = from.side_a ? coupling.a_to_a[from.mode] : coupling.b_to_b[from.mode];
            for (unsigned int k = 0; k < n; ++k)
              {
                const double fraction = flux(i, k) / W[i];
                if (fraction == 0)
                  continue;
                const ArrivingMode &to = modes[k];
                const int entering = to.side_a ? reverse_a[to.mode] : reverse_b[to.mode];
                (to.side_a == from.side_a ? back : across).push_back({entering, fraction});
              }
          }
        total_flux += W.sum();
      }
    report.divide_fluxes_by(total_flux);
    return coupling;
  }

  namespace
  {
    /// The SMM as an interface model: the misfit dislocation array and the couplings.
    class StrainMismatchModel : public InterfaceModel
    {
    public:
      StrainMismatchModel(dealii::ParameterHandler &prm, const InterfaceModelInput &input)
        : spectra(read_spectra(prm, input))
      {
        const auto numbers = [&](const std::string &entry) {
          return dealii::Utilities::string_to_double(dealii::Utilities::split_string_list(prm.get(entry)));
        };
        lattice_constants                   = numbers("Lattice constants");
        gruneisen                           = numbers("Grueneisen parameters");
        dislocations.spacing                = prm.get_double("Dislocation spacing");
        dislocations.burgers                = prm.get_double("Burgers vector");
        dislocations.poisson                = prm.get_double("Poisson ratio");
        dislocations.arrays                 = prm.get_integer("Dislocation arrays");
        dislocations.momentum_resolution    = prm.get_double("Momentum resolution");
        dislocations.keep_parallel_momentum = prm.get("Background") == "parallel momentum";
        const auto line                     = numbers("Dislocation line");
        dislocations.line                   = Eigen::Vector3d(line[0], line[1], line[2]);
        by_classes                          = prm.get("Re-emission") == "classes";
        class_width                         = prm.get_double("Class width");
        if (by_classes && spectra.empty())
          throw std::runtime_error("Interfaces/Re-emission = classes needs Interfaces/Spectral files (the dense "
                                   "sets the interface is computed on)");
        if (!by_classes && class_width > 0)
          throw std::runtime_error("Interfaces/Class width is given, but only Re-emission = classes uses it");
        if (dislocations.arrays == 0)
          refuse_unused_entries();
      }

      static void declare_parameters(dealii::ParameterHandler &prm);

      bool resolves_modes() const override { return true; }

      std::shared_ptr<const ModeCoupling> couple_modes(InterfacePair        &pair,
                                                       const InterfaceSides &sides) const override
      {
        if (spectra.empty())
          return std::make_shared<const ModeCoupling>(
            strain_mismatch(sides.a.modes, sides.b.modes, pair.channel_a, pair.channel_b, pair.channel_width,
                            sides.normal, pair_dislocations(pair, sides.n_materials), pair.strain));
        if (spectra.size() != sides.n_materials)
          throw std::runtime_error("Interfaces/Spectral files needs one file per material");
        const SpectralModes &a = spectra[pair.region_a], &b = spectra[pair.region_b];
        check_same_crystal(a, sides.a.modes);
        check_same_crystal(b, sides.b.modes);
        const ModeSet dense_a = at_transport_temperature(a, sides.a.modes);
        const ModeSet dense_b = at_transport_temperature(b, sides.b.modes);
        // Each dense mode in the channel of its own frequency (the golden rule's energy delta
        // is the channel width; Spectral broadening is DMM's).
        const FrequencyChannels bins{pair.channel_origin, pair.channel_width, pair.n_channels};
        const GoldenRuleFinalStates finals{&dense_a, &dense_b, bins.channels_of(dense_a), bins.channels_of(dense_b)};
        if (by_classes)
          {
            auto coupling = std::make_shared<ModeCoupling>(strain_mismatch_classes(
              sides.a.modes, sides.b.modes, pair.channel_a, pair.channel_b, pair.channel_width, sides.normal,
              pair_dislocations(pair, sides.n_materials), finals, class_width, pair.strain,
              sides.a.distribution->communicator));
            pair.spectral_conductance = pair.strain.carried.dense_conductance;
            return coupling;
          }
        return std::make_shared<const ModeCoupling>(
          strain_mismatch(sides.a.modes, sides.b.modes, pair.channel_a, pair.channel_b, pair.channel_width,
                          sides.normal, pair_dislocations(pair, sides.n_materials), pair.strain, &finals));
      }

      std::string summary(const InterfacePair &pair) const override
      {
        const StrainMismatchReport &r = pair.strain;
        const std::string classes =
          by_classes ? describe(r.carried, r.class_width, r.final_state_resolution) +
                         (dislocations.arrays > 0 ?
                            formatted("; strain factor averaged over the dense cells along the normal (steps "
                                      "%.3e / %.3e 1/m)",
                                      2 * r.normal_cells.half_a, 2 * r.normal_cells.half_b) :
                            std::string()) :
                       std::string();
        if (dislocations.arrays == 0)
          return (dislocations.keep_parallel_momentum ?
                    formatted(", no dislocations: all flux through the parallel-momentum background "
                              "(diffusely %.3e), momentum resolution %.3e 1/m",
                              r.diffuse_flux, r.momentum_resolution) :
                    std::string(", no dislocations: all flux through the diffuse background (DMM)")) +
                 classes;
        return formatted(", golden-rule events per crossing %.3e (flux-weighted mean), flux "
                         "scattered by the strain field %.4f (golden rule 1 - exp(-P): %.4f), through the "
                         "background %.4f (diffusely %.3e; no strain channel %.3e), momentum resolution %.3e 1/m",
                         r.golden_rule_probability, r.strain_flux, r.golden_rule_flux, r.background_flux,
                         r.diffuse_flux, r.unscattered_flux, r.momentum_resolution) +
               (spectra.empty() ? std::string() :
                                  formatted("; golden-rule sums over the final states of %s (%u modes) and %s (%u "
                                            "modes), momentum resolution %.3e 1/m",
                                            spectra[pair.region_a].file.c_str(), spectra[pair.region_a].modes.size(),
                                            spectra[pair.region_b].file.c_str(), spectra[pair.region_b].modes.size(),
                                            r.final_state_resolution)) +
               classes;
      }

    private:
      /// With no dislocations, an entry that describes them would be silently ignored: one
      /// line naming the first such entry. A value equal to the default is not "given"
      /// (ParameterHandler cannot tell the two apart, and it changes nothing).
      void refuse_unused_entries() const
      {
        const MisfitDislocations defaults;
        const std::pair<const char *, bool> entries[] = {
          {"Dislocation spacing", dislocations.spacing != defaults.spacing},
          {"Burgers vector", dislocations.burgers != defaults.burgers},
          {"Poisson ratio", dislocations.poisson != defaults.poisson},
          {"Grueneisen parameters", !gruneisen.empty()},
          {"Lattice constants", !lattice_constants.empty()},
          {"Dislocation line", dislocations.line != defaults.line},
          {"Spectral files", !spectra.empty() && !by_classes},
          {"Momentum resolution", (by_classes || !dislocations.keep_parallel_momentum) &&
                                    dislocations.momentum_resolution != defaults.momentum_resolution}};
        for (const auto &[entry, given] : entries)
          if (given)
            throw std::runtime_error(std::string("Interfaces/") + entry + " is given, but nothing uses it with "
                                     "Interfaces/Dislocation arrays = 0 (no dislocations): remove it");
      }

      /// The dislocations of one pair: spacing and Burgers vector from the lattice
      /// constants unless given, the Grueneisen parameters of its two materials.
      MisfitDislocations pair_dislocations(const InterfacePair &pair, unsigned int n_materials) const
      {
        MisfitDislocations d = dislocations;
        if (d.arrays == 0)
          return d;
        if (!gruneisen.empty())
          std::tie(d.gruneisen_a, d.gruneisen_b) = per_material(gruneisen, pair, n_materials, "Grueneisen parameters");
        if (d.spacing == 0 || d.burgers == 0)
          {
            const auto [a, b] = per_material(lattice_constants, pair, n_materials, "Lattice constants (Model = smm)");
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

      std::vector<double> lattice_constants, gruneisen; // per material [m], [-]
      std::vector<SpectralModes> spectra;               // dense final states (empty: the transport modes)
      bool                by_classes  = false;          // Re-emission = classes (strain_classes.h)
      double              class_width = 0;              // its |q_par| shell width [1/m] (0: the dense spacing)
      MisfitDislocations  dislocations;                 // spacing and Burgers vector set per pair
    };

    void StrainMismatchModel::declare_parameters(dealii::ParameterHandler &prm)
    {
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
      const MisfitDislocations defaults;
      prm.declare_entry("Poisson ratio", formatted("%g", defaults.poisson), dealii::Patterns::Double(0, 0.5),
                        "smm: Poisson ratio nu of the isotropic strain field (0.21: Voigt average of Si and Ge)");
      prm.declare_entry("Grueneisen parameters", "", dealii::Patterns::List(dealii::Patterns::Double(0)),
                        "smm: phonon-strain coupling gamma of each material (empty: 1 for all); "
                        "transmission weights go as gamma_a gamma_b, reflection as gamma^2");
      prm.declare_entry("Dislocation arrays", std::to_string(defaults.arrays), dealii::Patterns::Integer(0, 3),
                        "smm: 1 (parallel lines), 2 (two arrays crossed at right angles: the <110> "
                        "arrays of a (001) diamond/zincblende interface) or 3 (three arrays at 120 "
                        "degrees: the hexagonal network of a basal (0001) wurtzite/4H interface, "
                        "b = a/3<11-20>), each of spacing D; 0: no "
                        "dislocations (a coherent interface, e.g. a mass-only mismatch): no strain "
                        "scattering is computed, all flux goes through the Background, and the "
                        "dislocation entries (Lattice constants, Dislocation spacing, Burgers "
                        "vector, Poisson ratio, Grueneisen parameters, Dislocation line; Momentum "
                        "resolution with the diffuse background) must be left at their defaults");
      prm.declare_entry("Dislocation line", "0, 0, 0", dealii::Patterns::List(dealii::Patterns::Double(), 3, 3),
                        "smm: direction of the first array's lines (projected into the interface "
                        "plane; 0,0,0: any in-plane direction); the others are turned by 90 (two "
                        "arrays) or 120 degrees (three) about the normal");
      prm.declare_entry("Momentum resolution", "0", dealii::Patterns::Double(0),
                        "smm: width of the Gaussian that matches Q_parallel to G_m [1/m] (0: the "
                        "in-plane q-mesh spacing: median nearest-neighbour distance of the arriving in-plane "
                        "wavevectors of each side, the larger)");
      prm.declare_entry("Re-emission", "modes", dealii::Patterns::Selection("modes|classes"),
                        "smm: how the interface's flux is shared among the transport modes. modes: "
                        "by their own wavevectors (the kernel on the transport modes; with Spectral "
                        "files the golden-rule sums run over the dense sets); classes: the whole "
                        "interface is computed on the dense sets of Spectral files (required) by "
                        "class of frequency bin, side and |q_par| shell, and each class's flux is "
                        "carried by the transport modes in it, as spectral DMM does "
                        "(interface/strain_classes.h)");
      prm.declare_entry("Background", "parallel momentum", dealii::Patterns::Selection("parallel momentum|diffuse"),
                        "smm: what phonons that do not scatter off the strain field do. parallel "
                        "momentum: the interface without the field is uniform along its plane, so "
                        "they keep q_parallel (within the momentum resolution) and lose q_normal; "
                        "diffuse: DMM (no memory at all)");
    }
  } // namespace

  KAPITZA_REGISTER_INTERFACE_MODEL(StrainMismatchModel, "smm", "smm",
                                   "strain mismatch: golden-rule scattering off misfit dislocations")
} // namespace kapitza
