#include "interface/wall_reflection.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  WallReflection::WallReflection(const ModeSet &modes, const ModeDistribution &distribution,
                                 const std::vector<TracePoint> &traces,
                                 const BoundaryConditions      &conditions)
    : modes(modes)
    , distribution(distribution)
    , traces(traces)
    , shift(modes.uniform_shift())
    , energy(modes.energy_weight())
    , group(modes.frequency_groups(n_groups, conditions.frequency_bins))
  {
    entering_norm = Eigen::MatrixXd::Zero(traces.size(), n_groups);
    bool any_specular = false;
    for (unsigned int t = 0; t < traces.size(); ++t)
      {
        // Interface points belong to the interface model: walls leave them alone.
        wall.push_back(traces[t].boundary_id == interface_id ? nullptr :
                                                               &conditions.at(traces[t].boundary_id));
        any_specular |= specularity(t) > 0;
        const Eigen::VectorXd vn = modes.velocity * traces[t].normal;
        for (unsigned int mu = 0; mu < modes.size(); ++mu)
          if (vn[mu] < 0)
            entering_norm(t, group[mu]) -= vn[mu] * energy[mu] * shift[mu];
      }
    if (any_specular)
      for (unsigned int t = 0; t < traces.size(); ++t)
        mirror.push_back(specularity(t) > 0 ? &mirror_modes(traces[t].normal) : nullptr);
  }

  bool WallReflection::reflects(unsigned int t) const
  {
    return wall[t] && wall[t]->specularity();
  }

  double WallReflection::specularity(unsigned int t) const
  {
    return reflects(t) ? *wall[t]->specularity() : 0.0;
  }

  std::vector<int> mirrored_modes(const ModeSet &modes, const std::vector<int> &group,
                                  const Eigen::Vector3d &normal)
  {
    // For each mode not parallel to the plane: the mode of the same frequency (and
    // branch) whose velocity is the mirror image. Exact for quadrature sets on planes of
    // symmetry; an error when nothing lies within 1e-6 |v|, since energy would leak.
    std::vector<int> mirror_of(modes.size(), -1);
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        const Eigen::Vector3d v = modes.velocity.row(mu).transpose();
        if (v.dot(normal) == 0)
          continue;
        const Eigen::Vector3d image = v - 2 * v.dot(normal) * normal;
        double best = 1e-6 * v.norm();
        for (unsigned int nu = 0; nu < modes.size(); ++nu)
          {
            if (group[nu] != group[mu] ||
                (modes.branch.size() > 0 && modes.branch[nu] != modes.branch[mu]))
              continue;
            const double d = (modes.velocity.row(nu).transpose() - image).norm();
            if (d <= best)
              best = d, mirror_of[mu] = nu;
          }
        if (mirror_of[mu] < 0)
          {
            std::ostringstream message;
            message << "mirror plane with normal (" << normal.transpose() << "): mode " << mu
                    << " of '" << modes.material << "' has no mirrored mode of the same frequency";
            throw std::runtime_error(message.str());
          }
      }
    return mirror_of;
  }

  const std::vector<int> &WallReflection::mirror_modes(const Eigen::Vector3d &normal) const
  {
    std::array<long long, 3> key;
    for (int d = 0; d < 3; ++d)
      key[d] = std::llround(normal[d] * 1e12);
    auto found = mirror_cache.find(key);
    if (found != mirror_cache.end())
      return found->second;
    return mirror_cache.emplace(key, mirrored_modes(modes, group, normal)).first->second;
  }

  void WallReflection::source_inflow(RowMatrix &inflow) const
  {
    const int first = distribution.local_begin();
    inflow.setZero(distribution.n_local(), traces.size());
    for (unsigned int t = 0; t < traces.size(); ++t)
      if (const auto temperature = wall[t] ? wall[t]->wall_temperature() : std::nullopt)
        for (int i = 0; i < distribution.n_local(); ++i)
          inflow(i, t) = shift[first + i] * (*temperature - modes.temperature);
  }

  void WallReflection::diffuse_emission(const RowMatrix &outgoing, Eigen::MatrixXd &emitted) const
  {
    // emitted(t, g): energy flux arriving in group g at trace t, divided by the flux
    // that a unit equilibrium-shaped emission into the entering modes would carry.
    const int       first = distribution.local_begin();
    Eigen::MatrixXd partial = Eigen::MatrixXd::Zero(traces.size(), n_groups);
    for (unsigned int t = 0; t < traces.size(); ++t)
      {
        if (!reflects(t) || specularity(t) == 1)
          continue;
        for (int i = 0; i < distribution.n_local(); ++i)
          {
            const double vn = modes.velocity.row(first + i).dot(traces[t].normal);
            if (vn > 0)
              partial(t, group[first + i]) += vn * energy[first + i] * outgoing(i, t);
          }
      }
    emitted.resize(traces.size(), n_groups);
    MPI_Allreduce(partial.data(), emitted.data(), partial.size(), MPI_DOUBLE, MPI_SUM,
                  distribution.communicator);
    for (int k = 0; k < emitted.size(); ++k)
      emitted.data()[k] = entering_norm.data()[k] > 0 ? emitted.data()[k] / entering_norm.data()[k] : 0;
  }

  void WallReflection::reflect(const RowMatrix &outgoing, RowMatrix &inflow) const
  {
    const int first = distribution.local_begin(), n_local = distribution.n_local();
    Eigen::MatrixXd emitted;
    diffuse_emission(outgoing, emitted);
    const RowMatrix all_outgoing = has_specular() ? gather_modes(outgoing, distribution) : RowMatrix();
    inflow.setZero(n_local, traces.size());
    for (unsigned int t = 0; t < traces.size(); ++t)
      {
        if (!reflects(t))
          continue;
        const double p = specularity(t);
        for (int i = 0; i < n_local; ++i)
          {
            const int mu = first + i;
            if (modes.velocity.row(mu).dot(traces[t].normal) >= 0)
              continue;
            double value = (1 - p) * shift[mu] * emitted(t, group[mu]);
            if (p > 0)
              value += p * all_outgoing((*mirror[t])[mu], t);
            inflow(i, t) = value;
          }
      }
  }
} // namespace kapitza
