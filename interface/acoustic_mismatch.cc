#include "interface/acoustic_mismatch.h"

#include "interface/anisotropic_classes.h"
#include "interface/anisotropic_mismatch.h"

#include "interface/interface_model.h"
#include "scattering/formatted.h"
#include "interface/wall_reflection.h"

#include <cmath>
#include <map>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    using Coupling = std::map<std::pair<int, int>, double>; // (arriving a mode, arriving b mode)

    // The speed of each channel (isotropic bands: one per channel); empty when a channel
    // holds several speeds (anisotropic bands).
    std::map<int, double> channel_speeds(const ModeSet &modes, const std::vector<int> &channel)
    {
      std::map<int, double> speed;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        {
          const double v = modes.velocity.row(mu).norm();
          const auto   found = speed.emplace(channel[mu], v);
          if (std::abs(found.first->second - v) > 1e-9 * v)
            return {};
        }
      return speed;
    }

    // Azimuth of a direction around n (in a fixed basis of the plane), as an integer key.
    long long azimuth_key(const Eigen::Vector3d &d, const Eigen::Vector3d &n)
    {
      const Eigen::Vector3d e1 = n.unitOrthogonal(), e2 = n.cross(e1);
      const Eigen::Vector3d in_plane = d - d.dot(n) * n;
      if (in_plane.norm() < 1e-12 * d.norm())
        return std::numeric_limits<long long>::min();
      return std::llround(std::atan2(in_plane.dot(e2), in_plane.dot(e1)) * 1e9);
    }

    // The arriving modes of one side at a plane (n points away from the side): by
    // (channel, azimuth around plane_normal), their cells in k = sin(theta) / v, by k.
    struct Cell
    {
      int    mode;
      double lo, hi, flux; // cell edges in k; equilibrium energy flux W of the mode
    };
    using Cells = std::map<std::pair<int, long long>, std::vector<Cell>>;

    Cells arriving_cells(const ModeSet &modes, const std::vector<int> &channel, const Eigen::Vector3d &n,
                         const Eigen::Vector3d &plane_normal)
    {
      const auto            speed  = channel_speeds(modes, channel);
      const Eigen::VectorXd weight = modes.energy_weight().cwiseProduct(modes.uniform_shift());
      Cells cells;
      for (unsigned int i = 0; i < modes.size(); ++i)
        {
          const Eigen::Vector3d v  = modes.velocity.row(i).transpose();
          const double          mu = v.dot(n) / v.norm();
          if (mu > 0)
            cells[{channel[i], azimuth_key(v, plane_normal)}].push_back(
              {int(i), std::sqrt(std::max(0.0, 1 - mu * mu)) / v.norm(), 0, weight[i] * v.dot(n)});
        }
      for (auto &[key, list] : cells)
        {
          // Sorted by k (held in lo for now); edges at midpoints, the last at 1/v.
          std::sort(list.begin(), list.end(), [](const Cell &x, const Cell &y) { return x.lo < y.lo; });
          const double k_max = 1 / speed.at(key.first);
          std::vector<double> k;
          for (const Cell &c : list)
            k.push_back(c.lo);
          for (unsigned int m = 0; m < list.size(); ++m)
            {
              list[m].lo = m == 0 ? 0.0 : 0.5 * (k[m - 1] + k[m]);
              list[m].hi = m + 1 == list.size() ? k_max : 0.5 * (k[m] + k[m + 1]);
            }
        }
      return cells;
    }

    double measure(double lo, double hi)
    {
      return 0.5 * (hi * hi - lo * lo); // k dk
    }

    // Symmetric coupling S between arriving modes of a (normal n) and of b (normal -n).
    Coupling overlap_coupling(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                              const std::vector<int> &channel_b, const Eigen::Vector3d &n,
                              double density_a, double density_b)
    {
      // Azimuths in one basis of the plane: a transmitted wave keeps its in-plane direction.
      const Cells cells_a = arriving_cells(a, channel_a, n, n), cells_b = arriving_cells(b, channel_b, -n, n);
      const auto  speed_a = channel_speeds(a, channel_a), speed_b = channel_speeds(b, channel_b);
      Coupling    coupling;
      for (const auto &[key, list_a] : cells_a)
        {
          const auto found = cells_b.find(key);
          if (found == cells_b.end())
            continue; // no partner channel or azimuth: totally reflected
          const double v_a = speed_a.at(key.first), v_b = speed_b.at(key.first);
          const double z_a = density_a * v_a, z_b = density_b * v_b;
          for (const Cell &i : list_a)
            for (const Cell &j : found->second)
              {
                const double lo = std::max(i.lo, j.lo), hi = std::min(i.hi, j.hi);
                if (hi <= lo)
                  continue;
                const double k = 0.5 * (lo + hi), overlap = measure(lo, hi);
                const double cos_a = std::sqrt(std::max(0.0, 1 - k * k * v_a * v_a));
                const double cos_b = std::sqrt(std::max(0.0, 1 - k * k * v_b * v_b));
                const double tau   = 4 * z_a * z_b * cos_a * cos_b / std::pow(z_b * cos_a + z_a * cos_b, 2);
                coupling[{i.mode, j.mode}] = tau * std::min(i.flux * overlap / measure(i.lo, i.hi),
                                                            j.flux * overlap / measure(j.lo, j.hi));
              }
        }
      return coupling;
    }
  } // namespace

  bool isotropic_bands(const ModeSet &modes, const std::vector<int> &channel)
  {
    return modes.size() == 0 || !channel_speeds(modes, channel).empty();
  }

  ModeCoupling acoustic_mismatch(const ModeSet &a, const ModeSet &b,
                                     const std::vector<int> &channel_a,
                                     const std::vector<int> &channel_b,
                                     const Eigen::Vector3d &normal, double density_a,
                                     double density_b)
  {
    const auto require_isotropic = [](const ModeSet &modes, const std::vector<int> &channel) {
      if (!isotropic_bands(modes, channel))
        throw std::runtime_error("acoustic mismatch (Snell cells) needs isotropic bands: '" + modes.material +
                                 "' has several speeds in one frequency channel");
    };
    require_isotropic(a, channel_a), require_isotropic(b, channel_b);
    const Coupling symmetric =
      overlap_coupling(a, b, channel_a, channel_b, normal, density_a, density_b);

    const std::vector<int> mirror_a = mirrored_modes(a, channel_a, normal);
    const std::vector<int> mirror_b = mirrored_modes(b, channel_b, normal);
    const Eigen::VectorXd  w_a = arriving_flux_weight(a, normal), w_b = arriving_flux_weight(b, -normal);
    Eigen::VectorXd        reflect_a = Eigen::VectorXd::Ones(a.size()), reflect_b = Eigen::VectorXd::Ones(b.size());
    ModeCoupling           result;
    result.a_to_b.resize(a.size());
    result.b_to_a.resize(b.size());
    for (const auto &[key, flux] : symmetric)
      {
        const auto [i, j] = key;
        result.a_to_b[i].push_back({mirror_b[j], flux / w_a[i]});
        result.b_to_a[j].push_back({mirror_a[i], flux / w_b[j]});
        reflect_a[i] -= flux / w_a[i];
        reflect_b[j] -= flux / w_b[j];
      }
    if (std::min(reflect_a.minCoeff(), reflect_b.minCoeff()) < -1e-12)
      throw std::runtime_error("acoustic mismatch: a mode transmits more than it carries "
                               "(direction sets too different on the two sides)");
    // What is not transmitted is reflected into the mirror mode.
    result.a_to_a.resize(a.size());
    result.b_to_b.resize(b.size());
    for (unsigned int i = 0; i < a.size(); ++i)
      if (w_a[i] > 0)
        result.a_to_a[i] = {{mirror_a[i], reflect_a[i]}};
    for (unsigned int j = 0; j < b.size(); ++j)
      if (w_b[j] > 0)
        result.b_to_b[j] = {{mirror_b[j], reflect_b[j]}};
    return result;
  }

  namespace
  {
    /// The AMM as an interface model: Interfaces/Mass densities give the impedances.
    class AcousticMismatchModel : public InterfaceModel
    {
    public:
      AcousticMismatchModel(dealii::ParameterHandler &prm, const InterfaceModelInput &input)
        : mass_densities(dealii::Utilities::string_to_double(
            dealii::Utilities::split_string_list(prm.get("Mass densities"))))
        , pseudomorphic(prm.get_bool("Pseudomorphic"))
        , spectra(read_spectra(prm, input))
        , refinement(prm.get_integer("Normal refinement") > 0 ? prm.get_integer("Normal refinement") :
                                                                default_refinement)
        , class_width(prm.get_double("Class width"))
      {
        if (spectra.empty() && class_width > 0)
          throw std::runtime_error("Interfaces/Class width is given, but amm uses it only with Spectral files");
        if (spectra.empty() && prm.get_integer("Normal refinement") > 0)
          throw std::runtime_error("Interfaces/Normal refinement is given, but amm uses it only with Spectral files");
      }

      static void declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Mass densities", "", dealii::Patterns::List(dealii::Patterns::Double(0)),
                          "amm: mass density of each material [kg/m^3], in Materials/Names order "
                          "(acoustic impedance Z = density x speed)");
        prm.declare_entry("Normal refinement", "0", dealii::Patterns::Integer(0),
                          "amm with Spectral files: sub-cells per q-mesh step along the interface normal "
                          "of the dense sets (cubic Hermite interpolation of each branch, "
                          "interface/normal_refinement.h); 1: the dense points themselves; 0: " +
                            std::to_string(default_refinement) + " (Si | Ge on 24^3 dense sets: the "
                            "dense Landauer G within 0.4 % of refinement 16, validation/si_ge/convergence.md)");
        prm.declare_entry("Pseudomorphic", "false", dealii::Patterns::Bool(),
                          "amm with ab initio sets: true takes sides whose in-plane lattices differ by a "
                          "uniform scale as both strained onto one lattice (a coherent epitaxial interface): "
                          "q_par is kept in in-plane reduced coordinates, the bands stay the unstrained "
                          "crystals' (the strain's shift of the modes is neglected)");
      }

      bool resolves_modes() const override { return true; }

      /// Isotropic bands (model materials): the Snell construction of acoustic_mismatch();
      /// otherwise (ab initio sets) the (omega, q_par) classes of anisotropic_acoustic_mismatch().
      std::shared_ptr<const ModeCoupling> couple_modes(InterfacePair        &pair,
                                                       const InterfaceSides &sides) const override
      {
        if (mass_densities.size() != sides.n_materials)
          throw std::runtime_error("Interfaces/Model = amm needs Interfaces/Mass densities, one per material");
        const ModeSet &a = sides.a.modes, &b = sides.b.modes;
        const double   rho_a = mass_densities[pair.region_a], rho_b = mass_densities[pair.region_b];
        if (!spectra.empty())
          return dense_coupling(pair, sides, rho_a, rho_b);
        if (isotropic_bands(a, pair.channel_a) && isotropic_bands(b, pair.channel_b))
          return std::make_shared<const ModeCoupling>(
            acoustic_mismatch(a, b, pair.channel_a, pair.channel_b, sides.normal, rho_a, rho_b));
        AnisotropicMismatchReport &report = reports[{pair.region_a, pair.region_b}];
        return std::make_shared<const ModeCoupling>(
          anisotropic_acoustic_mismatch(a, b, pair.channel_a, pair.channel_b, sides.normal, rho_a, rho_b,
                                        pseudomorphic, report));
      }

      std::string summary(const InterfacePair &pair) const override
      {
        if (const auto on_dense = dense_reports.find({pair.region_a, pair.region_b}); on_dense != dense_reports.end())
          {
            const AnisotropicClassesReport &r = on_dense->second;
            return formatted(", on the dense sets %s / %s refined %u x along the normal (%u / %u modes): ",
                             spectra[pair.region_a].file.c_str(), spectra[pair.region_b].file.c_str(), refinement,
                             r.refined_a, r.refined_b) +
                   describe(r.dense) + describe(r.carried, r.class_width, r.spacing) + misfit_note(r.dense);
          }
        const auto found = reports.find({pair.region_a, pair.region_b});
        if (found == reports.end())
          return ""; // isotropic bands
        const AnisotropicMismatchReport &r = found->second;
        return ", anisotropic bands: " + describe(r) + misfit_note(r);
      }

    private:
      static constexpr unsigned int default_refinement = 8;

      std::string misfit_note(const AnisotropicMismatchReport &r) const
      {
        return pseudomorphic ? formatted(", pseudomorphic: in-plane lattice misfit %+.4f strained away (bands "
                                         "unstrained)", r.misfit) : std::string();
      }

      /// The interface on the dense sets, carried by the transport modes' groups.
      std::shared_ptr<const ModeCoupling> dense_coupling(InterfacePair &pair, const InterfaceSides &sides, double rho_a,
                                                         double rho_b) const
      {
        if (spectra.size() != sides.n_materials)
          throw std::runtime_error("Interfaces/Spectral files needs one file per material");
        const SpectralModes &a = spectra[pair.region_a], &b = spectra[pair.region_b];
        check_same_crystal(a, sides.a.modes);
        check_same_crystal(b, sides.b.modes);
        AnisotropicClassesReport &report = dense_reports[{pair.region_a, pair.region_b}];
        auto coupling = std::make_shared<const ModeCoupling>(anisotropic_mismatch_classes(
          sides.a.modes, sides.b.modes, pair.channel_a, pair.channel_b, at_transport_temperature(a, sides.a.modes),
          at_transport_temperature(b, sides.b.modes),
          FrequencyChannels{pair.channel_origin, pair.channel_width, pair.n_channels}, sides.normal, rho_a, rho_b,
          pseudomorphic, refinement, class_width, report));
        pair.spectral_conductance = report.carried.dense_conductance;
        return coupling;
      }

      std::vector<double> mass_densities; // per material [kg/m^3]
      bool                pseudomorphic;  // sides of different in-plane scale strained onto one lattice
      std::vector<SpectralModes> spectra; // dense sets the interface is computed on (empty: the transport modes)
      unsigned int        refinement;     // sub-cells per dense q-mesh step along the normal
      double              class_width;    // |q_par| shell width of the re-emission classes [1/m] (0: default)
      mutable std::map<std::pair<unsigned int, unsigned int>, AnisotropicClassesReport> dense_reports;
      // Per pair (regions a, b) with anisotropic bands: what the construction did (setup line).
      mutable std::map<std::pair<unsigned int, unsigned int>, AnisotropicMismatchReport> reports;
    };
  } // namespace

  KAPITZA_REGISTER_INTERFACE_MODEL(AcousticMismatchModel, "amm", "amm",
                                   "acoustic mismatch: specular, frequency and parallel wavevector kept")
} // namespace kapitza
