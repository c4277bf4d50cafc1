#include "interface/anisotropic_mismatch.h"

#include "scattering/formatted.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace kapitza
{
  namespace
  {
    using ClassKey       = std::array<long long, 3>;    // channel, folded q_par (two integers)

    constexpr long long fold_resolution = 1000000; // q_par classes: 1e-6 of the in-plane zone
    constexpr int       lattice_search  = 4;       // integer combinations of the cell searched
    constexpr double    round_off       = 1e-12;   // relative; checks of S and of lattices
    constexpr double    standing_velocity = 1e-9;  // |v.n| below this x the largest |v|: standing (as reversed_modes)

    /// b's in-plane lattice vectors that correspond to a's basis `la`: la itself when both
    /// sides share one lattice; with `pseudomorphic`, s la when b's in-plane lattice is a's
    /// scaled by s (a uniform misfit, both strained onto one lattice). Refuses anything else.
    InPlaneLattice common_lattice(const InPlaneLattice &la, const InPlaneLattice &lb, const ModeSet &b,
                                  bool pseudomorphic, double &misfit)
    {
      // s^2 is the ratio of the cells' areas; b's basis in (s a)'s is then integral with a unit
      // determinant exactly when the two lattices are one up to the scale.
      const double scale = pseudomorphic ? std::pow((lb.transpose() * lb).determinant() /
                                                      (la.transpose() * la).determinant(), 0.25) : 1.0;
      const InPlaneLattice   scaled      = scale * la;
      const Eigen::Matrix2d coordinates = (scaled.transpose() * scaled).ldlt().solve(scaled.transpose() * lb);
      const bool integral = (coordinates - coordinates.array().round().matrix()).cwiseAbs().maxCoeff() < 1e-6;
      if (!integral || std::abs(std::abs(coordinates.determinant()) - 1) > 1e-6 ||
          (scaled * coordinates - lb).norm() > 1e-6 * lb.norm())
        throw std::runtime_error(pseudomorphic ?
          "Interfaces/Model = amm with Pseudomorphic = true needs in-plane lattices that differ only by a "
          "uniform scale; '" + b.material + "' differs otherwise" :
          "Interfaces/Model = amm with anisotropic bands needs one lattice along the interface on both "
          "sides (a coherent interface); '" + b.material + "' differs: set Interfaces/Pseudomorphic = true "
          "for a coherent interface strained onto one lattice, or use Interfaces/Model = smm for a "
          "semi-coherent one");
      misfit = scale - 1;
      return scaled;
    }

    /// q_par in the in-plane reciprocal basis, folded into [0, 1)^2 on a grid of 1/fold_resolution.
    std::array<long long, 2> folded(const Eigen::Vector3d &q, const InPlaneLattice &lattice)
    {
      std::array<long long, 2> key;
      for (int j = 0; j < 2; ++j)
        {
          const long long k = std::llround(q.dot(lattice.col(j)) / (2 * M_PI) * fold_resolution);
          key[j] = ((k % fold_resolution) + fold_resolution) % fold_resolution;
        }
      return key;
    }

    ClassKey opposite(const ClassKey &key)
    {
      return {{key[0], (fold_resolution - key[1]) % fold_resolution, (fold_resolution - key[2]) % fold_resolution}};
    }

    /// Reduced coordinates of q (in the reciprocal basis of the cell), folded into [0, 1)^3.
    std::array<long long, 3> mesh_key(const Eigen::Vector3d &q, const Eigen::Matrix3d &cell)
    {
      const Eigen::Vector3d f = cell * q / (2 * M_PI);
      std::array<long long, 3> key;
      for (int j = 0; j < 3; ++j)
        key[j] = ((std::llround(f[j] * fold_resolution) % fold_resolution) + fold_resolution) % fold_resolution;
      return key;
    }

    using Classes = std::map<ClassKey, std::vector<int>>; // arriving modes (indices) of one side

    struct Side
    {
      const ModeSet          &modes;
      const std::vector<int> &channel;
      Eigen::Vector3d         out; // normal pointing away from the side
      double                  density;
    };

    /// Arriving modes of one side, appended to `all`, and their classes (sorted by impedance).
    Classes collect(const Side &side, bool side_a, const InPlaneLattice &lattice, std::vector<AmmArrival> &all)
    {
      const Eigen::VectorXd W = arriving_flux_weight(side.modes, side.out);
      // Modes whose v.n vanishes by symmetry (zone-boundary planes) arrive with a round-off
      // v.n of either sign, which would unbalance the classes p and -p.
      const double standing = standing_velocity * side.modes.velocity.rowwise().norm().maxCoeff();
      Classes      classes;
      for (unsigned int mu = 0; mu < side.modes.size(); ++mu)
        if (W[mu] > 0)
          {
            const Eigen::Vector3d v  = side.modes.velocity.row(mu).transpose();
            const double          vn = v.dot(side.out);
            all.push_back({side_a, int(mu), W[mu], side.density * v.squaredNorm() / vn, vn <= standing});
            if (side.channel[mu] < 0 || vn <= standing)
              continue; // matched to nothing: sent back into -q (the residual below)
            const auto q = folded(side.modes.wavevector.row(mu).transpose(), lattice);
            classes[{{side.channel[mu], q[0], q[1]}}].push_back(all.size() - 1);
          }
      for (auto &[key, members] : classes)
        std::sort(members.begin(), members.end(), [&](int x, int y) {
          return std::make_tuple(all[x].impedance, all[x].flux, all[x].mode) <
                 std::make_tuple(all[y].impedance, all[y].flux, all[y].mode);
        });
      return classes;
    }

    /// The folded in-plane wavevectors that a mode set samples, sorted and unique.
    std::vector<std::array<long long, 2>> in_plane_mesh(const ModeSet &modes, const InPlaneLattice &lattice)
    {
      std::vector<std::array<long long, 2>> mesh;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        mesh.push_back(folded(modes.wavevector.row(mu).transpose(), lattice));
      std::sort(mesh.begin(), mesh.end());
      mesh.erase(std::unique(mesh.begin(), mesh.end()), mesh.end());
      return mesh;
    }


    /// The monotone coupling of the amounts `left` of two impedance-ordered lists, from the
    /// lowest impedance up; each paired amount, times `fraction`, enters S (both orders) and
    /// leaves `left`. x == y pairs each mode with itself.
    template <typename Fraction>
    void pair_in_order(const std::vector<int> &x, const std::vector<int> &y, Eigen::VectorXd &left,
                       const Fraction &fraction, FluxMatrix &S)
    {
      Eigen::VectorXd rest_x(x.size()), rest_y(y.size());
      for (unsigned int m = 0; m < x.size(); ++m)
        rest_x[m] = left[x[m]];
      for (unsigned int m = 0; m < y.size(); ++m)
        rest_y[m] = left[y[m]];
      for (unsigned int i = 0, k = 0; i < x.size() && k < y.size();)
        {
          const double amount = std::min(rest_x[i], rest_y[k]);
          const double flux   = amount * fraction(x[i], y[k]);
          if (flux > 0)
            {
              S.push_back({{x[i], y[k]}, flux});
              if (x[i] != y[k])
                S.push_back({{y[k], x[i]}, flux});
              left[x[i]] -= flux;
              if (x[i] != y[k])
                left[y[k]] -= flux;
            }
          rest_x[i] -= amount, rest_y[k] -= amount;
          if (rest_x[i] <= 0)
            ++i;
          if (rest_y[k] <= 0)
            ++k;
        }
    }

    /// The entries sorted by (row, column), those of one pair summed.
    FluxMatrix merged(FluxMatrix S)
    {
      std::stable_sort(S.begin(), S.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
      FluxMatrix result;
      for (const auto &entry : S)
        if (!result.empty() && result.back().first == entry.first)
          result.back().second += entry.second;
        else
          result.push_back(entry);
      return result;
    }

    /// Transmission (a class p with b class -p), then reflection (each side's class p with its
    /// class -p, residuals only), then the residual back into -q_i (its sum in `residual`).
    FluxMatrix flux_matrix(const std::vector<AmmArrival> &all, const Classes &ca, const Classes &cb, double &residual)
    {
      Eigen::VectorXd left(all.size());
      for (unsigned int i = 0; i < all.size(); ++i)
        left[i] = all[i].flux;
      FluxMatrix S;
      const auto tau = [&](int i, int k) {
        const double z_i = all[i].impedance, z_k = all[k].impedance;
        return 4 * z_i * z_k / ((z_i + z_k) * (z_i + z_k));
      };
      for (const auto &[key, members] : ca)
        if (const auto partner = cb.find(opposite(key)); partner != cb.end())
          pair_in_order(members, partner->second, left, tau, S);
      const auto whole = [](int, int) { return 1.0; };
      for (const Classes *classes : {&ca, &cb})
        for (const auto &[key, members] : *classes)
          {
            const ClassKey other = opposite(key);
            if (const auto partner = classes->find(other); partner != classes->end() && !(other < key))
              pair_in_order(members, partner->second, left, whole, S);
          }
      residual = 0;
      for (unsigned int i = 0; i < all.size(); ++i)
        if (left[i] > 0)
          {
            S.push_back({{int(i), int(i)}, left[i]});
            if (!all[i].standing)
              residual += left[i];
          }
      return merged(std::move(S));
    }

    /// Detailed balance and energy conservation of S, to round-off, into the report.
    void check(const FluxMatrix &S, const std::vector<AmmArrival> &all, AnisotropicMismatchReport &report)
    {
      Eigen::VectorXd row = Eigen::VectorXd::Zero(all.size());
      double          largest = 0, transmitted = 0, arriving = 0;
      for (const auto &[key, flux] : S)
        {
          const std::pair<int, int> reverse{key.second, key.first};
          const auto transpose = std::lower_bound(S.begin(), S.end(), reverse,
                                                  [](const auto &entry, const auto &k) { return entry.first < k; });
          report.asymmetry = std::max(report.asymmetry, transpose == S.end() || transpose->first != reverse ?
                                                          flux : std::abs(flux - transpose->second));
          largest = std::max(largest, flux);
          row[key.first] += flux;
          if (all[key.first].side_a != all[key.second].side_a)
            transmitted += flux;
        }
      for (unsigned int i = 0; i < all.size(); ++i)
        {
          report.conservation = std::max(report.conservation, std::abs(row[i] - all[i].flux) / all[i].flux);
          arriving += all[i].flux;
        }
      report.asymmetry /= largest;
      report.arriving    = arriving;
      report.transmitted = transmitted / arriving;
      if (report.asymmetry > round_off || report.conservation > round_off)
        throw std::logic_error(formatted("acoustic mismatch (anisotropic): the flux matrix violates detailed balance "
                                         "(%.2e) or energy conservation (%.2e) beyond round-off",
                                         report.asymmetry, report.conservation));
    }
  } // namespace

  /// The lattice vectors of `modes` in the plane normal to n, as a reduced basis (its two
  /// shortest independent vectors, the successive minima of a 2D lattice).
  InPlaneLattice in_plane_lattice(const ModeSet &modes, const Eigen::Vector3d &n)
  {
    std::vector<Eigen::Vector3d> in_plane;
    for (int i = -lattice_search; i <= lattice_search; ++i)
      for (int j = -lattice_search; j <= lattice_search; ++j)
        for (int k = -lattice_search; k <= lattice_search; ++k)
          {
            const Eigen::Vector3d r = (double(i) * modes.cell.row(0) + double(j) * modes.cell.row(1) +
                                       double(k) * modes.cell.row(2)).transpose();
            if (r.norm() > 0 && std::abs(r.dot(n)) < 1e-9 * r.norm())
              in_plane.push_back(r);
          }
    std::sort(in_plane.begin(), in_plane.end(),
              [](const Eigen::Vector3d &x, const Eigen::Vector3d &y) { return x.norm() < y.norm(); });
    for (const Eigen::Vector3d &second : in_plane)
      if (!in_plane.empty() && in_plane.front().cross(second).norm() > 1e-9 * second.squaredNorm())
        return (InPlaneLattice() << in_plane.front(), second).finished();
    throw std::runtime_error("Interfaces/Model = amm: the interface normal is not normal to a lattice plane of '" +
                             modes.material + "' (no two lattice vectors of the cell lie in the interface)");
  }

  std::string describe(const AnisotropicMismatchReport &report)
  {
    return formatted("%u (channel, q_par) classes, flux transmitted %.4f, sent back into -q for lack of a class "
                     "partner %.3e, detailed balance %.1e, energy %.1e",
                     report.classes, report.transmitted, report.back_scattered, report.asymmetry,
                     report.conservation);
  }

  std::vector<int> time_reversed_on_mesh(const ModeSet &modes, const std::vector<int> &channel)
  {
    using Key = std::array<long long, 3>;
    std::map<Key, std::vector<int>> at;
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      at[mesh_key(modes.wavevector.row(mu).transpose(), modes.cell)].push_back(mu);
    std::vector<int> reverse(modes.size(), -1);
    const auto velocity = [&](int mu) { return Eigen::Vector3d(modes.velocity.row(mu).transpose()); };
    for (const auto &[key, here] : at)
      {
        Key minus;
        for (int j = 0; j < 3; ++j)
          minus[j] = (fold_resolution - key[j]) % fold_resolution;
        const auto there = at.find(minus);
        if (there == at.end() || there->first < key)
          continue; // no partner (refused below), or the pair {q, -q} was done from -q
        // One to one, closest velocities first: degenerate modes at q and -q need not share
        // branch numbers (their subspace bases differ), so the velocity decides.
        std::vector<std::tuple<double, int, int>> candidates;
        for (const int x : here)
          for (const int y : there->second)
            if (channel[x] == channel[y])
              candidates.emplace_back((velocity(x) + velocity(y)).norm(), x, y);
        std::sort(candidates.begin(), candidates.end());
        for (const auto &[distance, x, y] : candidates)
          if (reverse[x] < 0 && reverse[y] < 0)
            reverse[x] = y, reverse[y] = x;
      }
    const double floor = 1e-9 * modes.velocity.rowwise().norm().maxCoeff();
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      if (reverse[mu] < 0 ||
          (velocity(mu) + velocity(reverse[mu])).norm() > std::max(1e-6 * velocity(mu).norm(), floor))
        throw std::runtime_error("Interfaces/Model = amm: mode " + std::to_string(mu) + " of '" + modes.material +
                                 "' has no time-reversed partner at -q (velocity -v, same frequency channel)");
    return reverse;
  }

  AnisotropicFlux anisotropic_mismatch_flux(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                                            const std::vector<int> &channel_b, const Eigen::Vector3d &normal,
                                            double density_a, double density_b, bool pseudomorphic,
                                            AnisotropicMismatchReport &report)
  {
    for (const ModeSet *modes : {&a, &b})
      if (modes->wavevector.rows() != int(modes->size()) || modes->cell.isZero(0))
        throw std::runtime_error("Interfaces/Model = amm with anisotropic bands needs wavevectors and the crystal "
                                 "cell (an ab initio mode database): '" + modes->material + "' has none");
    const InPlaneLattice lattice_a = in_plane_lattice(a, normal);
    double               misfit    = 0;
    const InPlaneLattice lattice_b = common_lattice(lattice_a, in_plane_lattice(b, normal), b, pseudomorphic, misfit);
    if (in_plane_mesh(a, lattice_a) != in_plane_mesh(b, lattice_b))
      throw std::runtime_error("Interfaces/Model = amm with anisotropic bands needs the same in-plane q-mesh on "
                               "both sides; '" + b.material + "' samples other parallel wavevectors than '" +
                               a.material + "'");

    AnisotropicFlux flux;
    const Classes   ca = collect({a, channel_a, normal, density_a}, true, lattice_a, flux.arriving);
    const Classes   cb = collect({b, channel_b, -normal, density_b}, false, lattice_b, flux.arriving);
    double          residual = 0;
    flux.S         = flux_matrix(flux.arriving, ca, cb, residual);
    report         = AnisotropicMismatchReport();
    report.classes = ca.size() + cb.size();
    check(flux.S, flux.arriving, report);
    report.back_scattered = residual / report.arriving;
    report.misfit         = misfit;
    return flux;
  }

  ModeCoupling anisotropic_acoustic_mismatch(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                                             const std::vector<int> &channel_b, const Eigen::Vector3d &normal,
                                             double density_a, double density_b, bool pseudomorphic,
                                             AnisotropicMismatchReport &report)
  {
    const AnisotropicFlux flux = anisotropic_mismatch_flux(a, b, channel_a, channel_b, normal, density_a, density_b,
                                                           pseudomorphic, report);
    const std::vector<AmmArrival> &all = flux.arriving;
    const FluxMatrix              &S   = flux.S;

    const std::vector<int> reverse_a = time_reversed_on_mesh(a, channel_a), reverse_b = time_reversed_on_mesh(b, channel_b);
    ModeCoupling coupling;
    coupling.a_to_b.resize(a.size()), coupling.a_to_a.resize(a.size());
    coupling.b_to_a.resize(b.size()), coupling.b_to_b.resize(b.size());
    for (const auto &[key, amount] : S)
      {
        const AmmArrival &from = all[key.first], &to = all[key.second];
        const int entering = to.side_a ? reverse_a[to.mode] : reverse_b[to.mode];
        auto &list = from.side_a ? (to.side_a ? coupling.a_to_a : coupling.a_to_b)[from.mode] :
                                   (to.side_a ? coupling.b_to_a : coupling.b_to_b)[from.mode];
        list.push_back({entering, amount / from.flux});
      }
    return coupling;
  }
} // namespace kapitza
