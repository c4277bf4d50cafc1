#include "interface/anisotropic_classes.h"

#include "interface/normal_refinement.h"

#include <stdexcept>

namespace kapitza
{
  namespace
  {
    std::vector<int> bins_of(const ModeSet &modes, const FrequencyChannels &bins)
    {
      std::vector<int> bin(modes.size());
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        bin[mu] = bins.channel_of(modes.omega[mu]);
      return bin;
    }
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
    collect_arriving(dense, dense_a, bins_of(dense_a, bins), true, 1.0, normal);
    collect_arriving(dense, dense_b, bins_of(dense_b, bins), false, 1.0, normal);
    report.spacing     = inplane_spacing(dense, normal);
    report.class_width = class_width > 0 ? class_width : default_width_per_spacing * report.spacing;
    if (!(report.class_width > 0))
      throw std::runtime_error("Interfaces/Spectral files: the dense sets have no in-plane q-mesh spacing");

    // The construction on the refined dense sets.
    const ModeSet refined_a = refined_along_normal(dense_a, normal, refinement);
    const ModeSet refined_b = refined_along_normal(dense_b, normal, refinement);
    report.refined_a = refined_a.size(), report.refined_b = refined_b.size();
    const std::vector<int> refined_bin_a = bins_of(refined_a, bins), refined_bin_b = bins_of(refined_b, bins);
    const AnisotropicFlux  flux = anisotropic_mismatch_flux(refined_a, refined_b, refined_bin_a, refined_bin_b, normal,
                                                            density_a, density_b, pseudomorphic, report.dense);

    // Its class flux per bin; b's |q_par| on a's in-plane lattice.
    ClassShells shells{normal, report.class_width, report.spacing, 1 + report.dense.misfit};
    std::vector<ArrivingMode> refined;
    for (const AmmArrival &arrival : flux.arriving)
      {
        const ModeSet &modes = arrival.side_a ? refined_a : refined_b;
        refined.push_back({arrival.side_a, arrival.mode, modes.wavevector.row(arrival.mode).transpose(), 0, arrival.flux});
        shells.cover(refined.back());
      }
    shells.cover(transport);
    std::vector<std::vector<std::pair<int, double>>> shares;
    for (const ArrivingMode &mode : refined)
      shares.push_back(shells.shares(mode));
    const int n_bins = std::max({transport.empty() ? 0 : transport.rbegin()->first + 1, int(bins.count)});
    std::vector<Eigen::MatrixXd> class_flux(n_bins, Eigen::MatrixXd::Zero(shells.classes(), shells.classes()));
    for (const auto &[pair, amount] : flux.S)
      {
        const AmmArrival &from = flux.arriving[pair.first];
        Eigen::MatrixXd  &F    = class_flux[(from.side_a ? refined_bin_a : refined_bin_b)[from.mode]];
        for (const auto &[c, x] : shares[pair.first])
          for (const auto &[l, y] : shares[pair.second])
            F(c, l) += amount * x * y;
      }
    return carry_class_flux(a, b, bin_a, bin_b, normal, transport, shells, class_flux, report.carried);
  }
} // namespace kapitza
