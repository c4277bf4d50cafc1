#include "interface/strain_classes.h"

#include "interface/class_reemission.h"
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
    // The dense class flux of one bin: strain part X (golden rule, balanced to the scattered
    // flux) plus the background's share of the rest; symmetric, rows the class capacities.
    Eigen::MatrixXd dense_class_flux(const std::vector<ArrivingMode> &modes, const ClassShells &shells,
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

    // The dense class flux of every bin, each bin on one rank (the largest first, each to
    // the rank with the least work so far: the cost goes as the bin's modes squared), then
    // summed over the ranks with the report's sums.
    void add_dense_flux(const ArrivingChannels &dense, const ClassShells &shells, const MisfitFormFactor *form_factor,
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

    ClassShells shells{normal, report.class_width, dense_spacing};
    shells.cover(transport), shells.cover(dense);
    const int n_bins = std::max(transport.empty() ? 0 : transport.rbegin()->first + 1,
                                dense.empty() ? 0 : dense.rbegin()->first + 1);

    // The dense class flux of every bin.
    const unsigned int                 n_classes = shells.classes();
    std::vector<Eigen::MatrixXd>       flux(n_bins, Eigen::MatrixXd::Zero(n_classes, n_classes));
    std::unique_ptr<MisfitFormFactor> form_factor;
    if (strained)
      form_factor = std::make_unique<MisfitFormFactor>(normal, dislocations, sigma, report.normal_cells);
    double dense_flux = 0;
    for (const auto &[bin, modes] : dense)
      for (const ArrivingMode &mode : modes)
        dense_flux += mode.flux;
    add_dense_flux(dense, shells, form_factor.get(), channel_width, dislocations.keep_parallel_momentum, flux,
                   report, communicator);
    ModeCoupling coupling = carry_class_flux(a, b, bin_a, bin_b, normal, transport, shells, flux, report.carried);
    report.divide_fluxes_by(dense_flux);
    return coupling;
  }
} // namespace kapitza
