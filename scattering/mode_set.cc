#include "scattering/mode_set.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace kapitza
{
  Statistics parse_statistics(const std::string &name)
  {
    if (name == "bose")
      return Statistics::bose;
    if (name == "classical")
      return Statistics::classical;
    throw std::runtime_error("unknown statistics '" + name + "' (use bose or classical)");
  }

  std::string to_string(Statistics statistics)
  {
    return statistics == Statistics::bose ? "bose" : "classical";
  }

  Eigen::VectorXd ModeSet::relaxation_rate() const
  {
    if (has_collision())
      return collision.diagonal();
    return tau.cwiseInverse();
  }

  Eigen::VectorXd ModeSet::occupation_weight() const
  {
    const double    kT = constants::boltzmann * temperature;
    Eigen::VectorXd w(size());
    for (unsigned int mu = 0; mu < size(); ++mu)
      {
        const double x = constants::hbar * omega[mu] / kT;
        if (statistics == Statistics::classical)
          w[mu] = 1.0 / (x * x);
        else
          {
            // nbar (nbar + 1) = e^x / (e^x - 1)^2, written to stay finite for large x.
            const double em = std::exp(-x);
            w[mu]           = em / ((1.0 - em) * (1.0 - em));
          }
      }
    return w;
  }

  Eigen::VectorXd ModeSet::energy_weight() const
  {
    return constants::hbar * density.cwiseProduct(omega).cwiseProduct(occupation_weight());
  }

  Eigen::VectorXd ModeSet::uniform_shift() const
  {
    const double kT2 = constants::boltzmann * temperature * temperature;
    return (constants::hbar / kT2) * omega;
  }

  Eigen::VectorXd ModeSet::heat_capacity() const
  {
    return energy_weight().cwiseProduct(uniform_shift());
  }

  std::vector<int> ModeSet::frequency_groups(int &n_groups, unsigned int bins) const
  {
    if (bins > 0 && size() > 0)
      {
        const double lo = omega.minCoeff(), width = (omega.maxCoeff() - lo) / bins;
        std::vector<int> bin(size()), number(bins, -1);
        n_groups = 0;
        for (unsigned int mu = 0; mu < size(); ++mu)
          {
            const int b = width > 0 ? std::min<int>((omega[mu] - lo) / width, bins - 1) : 0;
            if (number[b] < 0)
              number[b] = n_groups++;
            bin[mu] = number[b];
          }
        return bin;
      }
    std::vector<unsigned int> order(size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](unsigned int a, unsigned int b) { return omega[a] < omega[b]; });
    std::vector<int> group(size(), -1);
    n_groups = 0;
    for (unsigned int k = 0; k < order.size(); ++k)
      {
        const bool same = k > 0 && std::abs(omega[order[k]] - omega[order[k - 1]]) <=
                                     1e-9 * omega[order[k]];
        if (!same)
          ++n_groups;
        group[order[k]] = n_groups - 1;
      }
    return group;
  }

  Eigen::Matrix3d rta_conductivity(const ModeSet &modes)
  {
    const Eigen::VectorXd c   = modes.heat_capacity();
    const Eigen::VectorXd tau = modes.relaxation_rate().cwiseInverse();
    Eigen::Matrix3d       kappa = Eigen::Matrix3d::Zero();
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        const Eigen::Vector3d v = modes.velocity.row(mu).transpose();
        kappa += c[mu] * tau[mu] * v * v.transpose();
      }
    return kappa;
  }
} // namespace kapitza
