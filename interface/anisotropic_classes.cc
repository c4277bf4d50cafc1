#include "interface/anisotropic_classes.h"

#include "interface/normal_refinement.h"

#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace kapitza
{
  namespace
  {
    constexpr double radius_resolution = 1e9; // refined modes of one |q_par|: equal to 1e-9 of the spacing
  } // namespace

  ModeCoupling anisotropic_mismatch_classes(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                            const std::vector<int> &bin_b, const ModeSet &dense_a,
                                            const ModeSet &dense_b, const FrequencyChannels &bins,
                                            const Eigen::Vector3d &normal, double density_a, double density_b,
                                            bool pseudomorphic, unsigned int refinement, double class_width,
                                            AnisotropicClassesReport &report)
  {
    for (const ModeSet *modes : {&a, &b})
      if (modes->wavevector.rows() != int(modes->size()))
        throw std::runtime_error("Interfaces/Model = amm with Spectral files needs wavevectors: '" + modes->material +
                                 "' has none (use ab initio mode databases)");
    report = AnisotropicClassesReport();
    ArrivingChannels transport, dense; // dense: for the in-plane spacing
    collect_arriving(transport, a, bin_a, true, 1.0, normal);
    collect_arriving(transport, b, bin_b, false, 1.0, normal);
    collect_arriving(dense, dense_a, bins.channels_of(dense_a), true, 1.0, normal);
    collect_arriving(dense, dense_b, bins.channels_of(dense_b), false, 1.0, normal);
    report.spacing     = inplane_spacing(dense, normal);
    report.class_width = class_width > 0 ? class_width : default_width_per_spacing * report.spacing;
    if (!(report.class_width > 0))
      throw std::runtime_error("Interfaces/Spectral files: the dense sets have no in-plane q-mesh spacing");

    // The construction on the refined dense sets.
    const ModeSet refined_a = refined_along_normal(dense_a, normal, refinement);
    const ModeSet refined_b = refined_along_normal(dense_b, normal, refinement);
    report.refined_a = refined_a.size(), report.refined_b = refined_b.size();
    const std::vector<int> refined_bin_a = bins.channels_of(refined_a), refined_bin_b = bins.channels_of(refined_b);
    const AnisotropicFlux  flux = anisotropic_mismatch_flux(refined_a, refined_b, refined_bin_a, refined_bin_b, normal,
                                                            density_a, density_b, pseudomorphic, report.dense);

    // Its class flux per bin; b's |q_par| on a's in-plane lattice. Refined modes share the
    // few |q_par| of the dense in-plane mesh, so S is first summed by (bin, radius, radius)
    // and each radius spread over the shells once.
    ClassShells shells{normal, report.class_width, report.spacing, 1 + report.dense.misfit};
    std::map<std::pair<bool, long long>, int> radius_of; // (side, |q_par| / spacing x 1e9): id
    std::vector<ArrivingMode>                  radii;     // a mode of each id
    std::vector<int>                           id(flux.arriving.size());
    for (unsigned int i = 0; i < flux.arriving.size(); ++i)
      {
        const AmmArrival &arrival = flux.arriving[i];
        const ModeSet    &modes   = arrival.side_a ? refined_a : refined_b;
        const ArrivingMode mode{arrival.side_a, arrival.mode, modes.wavevector.row(arrival.mode).transpose(), 0, 0};
        const auto [found, added] = radius_of.try_emplace(
          {mode.side_a, std::llround(shells.radius(mode) / report.spacing * radius_resolution)}, radii.size());
        if (added)
          radii.push_back(mode), shells.cover(mode);
        id[i] = found->second;
      }
    shells.cover(transport);
    std::map<std::tuple<int, int, int>, double> by_radius; // (bin, id_i, id_k): sum of S_ik
    for (const auto &[pair, amount] : flux.S)
      {
        const AmmArrival &from = flux.arriving[pair.first];
        by_radius[{(from.side_a ? refined_bin_a : refined_bin_b)[from.mode], id[pair.first], id[pair.second]}] += amount;
      }
    std::vector<std::vector<std::pair<int, double>>> shares;
    for (const ArrivingMode &mode : radii)
      shares.push_back(shells.shares(mode));
    const int n_bins = std::max({transport.empty() ? 0 : transport.rbegin()->first + 1, int(bins.count)});
    std::vector<Eigen::MatrixXd> class_flux(n_bins, Eigen::MatrixXd::Zero(shells.classes(), shells.classes()));
    for (const auto &[key, amount] : by_radius)
      {
        const auto &[bin, i, k] = key;
        for (const auto &[c, x] : shares[i])
          for (const auto &[l, y] : shares[k])
            class_flux[bin](c, l) += amount * x * y;
      }
    return carry_class_flux(a, b, bin_a, bin_b, normal, transport, shells, class_flux, report.carried);
  }
} // namespace kapitza
