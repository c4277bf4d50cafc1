#include "interface/strain_mismatch.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    constexpr double two_pi = 2 * M_PI;

    struct ArrivingMode
    {
      bool            side_a;
      int             mode;
      Eigen::Vector3d q;              // [1/m]
      double          weight;         // rho sqrt(c) omega gamma: one factor of S_ik
      double          flux;           // W: flux per kelvin
    };

    // In-plane directions of the reciprocal vectors G_m: perpendicular to the lines.
    std::vector<Eigen::Vector3d> array_directions(const Eigen::Vector3d &n, const MisfitDislocations &d)
    {
      Eigen::Vector3d line = d.line - d.line.dot(n) * n;
      line = line.norm() > 1e-12 ? line.normalized() : Eigen::Vector3d(n.unitOrthogonal());
      std::vector<Eigen::Vector3d> directions{n.cross(line)};
      if (d.arrays == 2)
        directions.push_back(line);
      return directions;
    }

    // sum_m 4 A^2 Q_n^2 / (G_m^2 + Q_n^2)^2 (2 pi)^2 g(Q_par - G_m), m != 0.
    double form_factor(const Eigen::Vector3d &Q, const Eigen::Vector3d &n,
                       const std::vector<Eigen::Vector3d> &directions, const MisfitDislocations &d,
                       double amplitude, double sigma)
    {
      const double          q_n   = Q.dot(n);
      const Eigen::Vector3d q_par = Q - q_n * n;
      const double          g_unit = two_pi / d.spacing, reach = 6 * sigma;
      double                sum = 0;
      for (const Eigen::Vector3d &e : directions)
        {
          const double along = q_par.dot(e), across = (q_par - along * e).norm();
          if (across > reach)
            continue;
          const long first = std::lround(std::floor((along - reach) / g_unit));
          const long last  = std::lround(std::ceil((along + reach) / g_unit));
          for (long m = first; m <= last; ++m)
            {
              if (m == 0)
                continue; // the mean misfit strain: no momentum transfer (see header)
              const double g = m * g_unit, miss2 = std::pow(along - g, 2) + across * across;
              const double gauss = std::exp(-miss2 / (2 * sigma * sigma)) / (two_pi * sigma * sigma);
              sum += 4 * amplitude * amplitude * q_n * q_n / std::pow(g * g + q_n * q_n, 2) * two_pi * two_pi * gauss;
            }
        }
      return sum;
    }

    // Median nearest-neighbour distance of the in-plane wavevectors of one side's modes.
    double median_spacing(const std::vector<ArrivingMode> &modes, bool side_a, const Eigen::Vector3d &n)
    {
      std::vector<double> nearest;
      for (const ArrivingMode &i : modes)
        {
          if (i.side_a != side_a)
            continue;
          double best = std::numeric_limits<double>::infinity();
          for (const ArrivingMode &k : modes)
            if (k.side_a == side_a)
              {
                const Eigen::Vector3d d = (i.q - k.q) - (i.q - k.q).dot(n) * n;
                if (d.norm() > 1e-9 * i.q.norm())
                  best = std::min(best, d.norm());
              }
          if (std::isfinite(best))
            nearest.push_back(best);
        }
      if (nearest.empty())
        return 0;
      std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
      return nearest[nearest.size() / 2];
    }

    // Symmetric Sinkhorn balancing: d with d_i sum_k K_ik d_k = W_i for rows of K that are
    // not zero. A channel whose kernel lacks total support (some modes couple only to
    // partners of different flux) has no exact solution: Sinkhorn then converges slowly to
    // a limit with vanishing entries. After `limit` iterations d is scaled down uniformly
    // so that no row exceeds W; the remainder W_i - d_i (K d)_i is retro-reflected (the
    // diagonal, symmetric by itself), keeping energy and detailed balance exact. Returns
    // the number of iterations; `remainder` holds the retro-reflected flux per mode.
    unsigned int balance(const Eigen::MatrixXd &K, const Eigen::VectorXd &W, Eigen::VectorXd &d,
                         Eigen::VectorXd &remainder)
    {
      constexpr unsigned int limit = 20000;
      d = Eigen::VectorXd::Ones(W.size());
      remainder = Eigen::VectorXd::Zero(W.size());
      for (unsigned int iteration = 1;; ++iteration)
        {
          const Eigen::VectorXd row = K * d;
          double worst = 0, excess = 1;
          for (int i = 0; i < W.size(); ++i)
            if (row[i] > 0)
              {
                worst  = std::max(worst, std::abs(d[i] * row[i] - W[i]) / W[i]);
                excess = std::max(excess, d[i] * row[i] / W[i]);
              }
          if (worst < 1e-14)
            return iteration;
          if (iteration == limit)
            {
              d /= std::sqrt(excess);
              const Eigen::VectorXd scaled = K * d;
              for (int i = 0; i < W.size(); ++i)
                if (scaled[i] > 0)
                  remainder[i] = std::max(0.0, W[i] - d[i] * scaled[i]);
              return iteration;
            }
          for (int i = 0; i < W.size(); ++i)
            if (row[i] > 0)
              d[i] = std::sqrt(d[i] * W[i] / row[i]);
        }
    }
  } // namespace

  ModeCoupling strain_mismatch(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                               const std::vector<int> &channel_b, double channel_width,
                               const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                               StrainMismatchReport &report)
  {
    for (const ModeSet *modes : {&a, &b})
      if (modes->wavevector.rows() != int(modes->size()))
        throw std::runtime_error("Interfaces/Model = smm needs wavevectors: '" + modes->material +
                                 "' has none (use an ab initio mode database)");
    if (!(dislocations.spacing > 0 && dislocations.burgers > 0))
      throw std::runtime_error("Interfaces/Model = smm needs a positive dislocation spacing and Burgers vector");
    const double amplitude = dislocations.burgers * (1 - 2 * dislocations.poisson) /
                             (2 * dislocations.spacing * (1 - dislocations.poisson));
    const auto directions = array_directions(normal, dislocations);

    // Arriving modes of both sides, grouped by frequency channel.
    std::map<int, std::vector<ArrivingMode>> channels;
    const auto collect = [&](const ModeSet &modes, const std::vector<int> &channel, bool side_a, double gamma) {
      const Eigen::Vector3d out = side_a ? normal : Eigen::Vector3d(-normal);
      const Eigen::VectorXd W   = arriving_flux_weight(modes, out);
      const Eigen::VectorXd c   = modes.heat_capacity().cwiseQuotient(modes.density);
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        if (W[mu] > 0)
          channels[channel[mu]].push_back({side_a, int(mu), modes.wavevector.row(mu).transpose(),
                                           modes.density[mu] * std::sqrt(c[mu]) * modes.omega[mu] * gamma, W[mu]});
    };
    collect(a, channel_a, true, dislocations.gruneisen_a);
    collect(b, channel_b, false, dislocations.gruneisen_b);
    const std::vector<int> reverse_a = reversed_modes(a, channel_a), reverse_b = reversed_modes(b, channel_b);

    ModeCoupling coupling;
    coupling.a_to_b.resize(a.size()), coupling.a_to_a.resize(a.size());
    coupling.b_to_a.resize(b.size()), coupling.b_to_b.resize(b.size());
    report = StrainMismatchReport();
    double total_flux = 0;
    for (const auto &[c, modes] : channels)
      {
        const unsigned int n = modes.size();
        double sigma = dislocations.momentum_resolution;
        if (sigma <= 0)
          sigma = std::max(median_spacing(modes, true, normal), median_spacing(modes, false, normal));
        if (sigma <= 0) // a single mode per side: its own wavevector scale
          sigma = 0.1 * modes.front().q.norm();
        report.momentum_resolution = std::max(report.momentum_resolution, sigma);
        Eigen::MatrixXd K(n, n);
        Eigen::VectorXd W(n);
        for (unsigned int i = 0; i < n; ++i)
          {
            W[i] = modes[i].flux;
            for (unsigned int k = 0; k <= i; ++k)
              K(i, k) = K(k, i) = two_pi * modes[i].weight * modes[k].weight / channel_width *
                                  form_factor(modes[i].q + modes[k].q, normal, directions, dislocations,
                                              amplitude, sigma);
          }
        const Eigen::VectorXd row = K.rowwise().sum();
        Eigen::VectorXd d, remainder;
        report.balancing_iterations =
          std::max(report.balancing_iterations, balance(K, W, d, remainder));
        for (unsigned int i = 0; i < n; ++i)
          {
            const ArrivingMode &from = modes[i];
            auto &across = from.side_a ? coupling.a_to_b[from.mode] : coupling.b_to_a[from.mode];
            auto &back   = from.side_a ? coupling.a_to_a[from.mode] : coupling.b_to_b[from.mode];
            total_flux += W[i];
            report.golden_rule_probability += row[i];
            if (row[i] <= 0)
              {
                report.unscattered_flux += W[i];
                back.push_back({from.side_a ? reverse_a[from.mode] : reverse_b[from.mode], 1.0});
                continue;
              }
            if (remainder[i] > 0)
              {
                report.retro_reflected_flux += remainder[i];
                back.push_back({from.side_a ? reverse_a[from.mode] : reverse_b[from.mode],
                                remainder[i] / W[i]});
              }
            for (unsigned int k = 0; k < n; ++k)
              {
                const double fraction = d[i] * K(i, k) * d[k] / W[i];
                if (fraction == 0)
                  continue;
                const ArrivingMode &to = modes[k];
                const int entering = to.side_a ? reverse_a[to.mode] : reverse_b[to.mode];
                (to.side_a == from.side_a ? back : across).push_back({entering, fraction});
              }
          }
      }
    report.golden_rule_probability /= total_flux;
    report.unscattered_flux /= total_flux;
    report.retro_reflected_flux /= total_flux;
    return coupling;
  }
} // namespace kapitza
