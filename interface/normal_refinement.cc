#include "interface/normal_refinement.h"

#include "interface/anisotropic_mismatch.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace kapitza
{
  namespace
  {
    constexpr int       basis_search   = 4;       // integer combinations of the cell searched
    constexpr long long key_resolution = 1000000; // in-plane points: 1e-6 of the in-plane zone
    constexpr double    step_tolerance = 1e-6;    // equal steps along a line, relative
    constexpr double    zero_frequency = 1e-3;    // acoustic at Gamma: below this x the largest frequency
    constexpr double    degenerate     = 1e-9;    // equal frequencies, relative to the largest

    /// Columns: the in-plane lattice basis and a lattice vector that completes it to a basis
    /// of the crystal (the shortest such), so that reduced coordinates x = R^T q / (2 pi)
    /// hold q_par in x_0, x_1 and the position along the line q_par + t n in x_2 (the
    /// reciprocal vector dual to the third column is normal to the plane).
    Eigen::Matrix3d line_basis(const ModeSet &modes, const Eigen::Vector3d &n)
    {
      const InPlaneLattice plane  = in_plane_lattice(modes, n);
      const double         volume = std::abs(modes.cell.determinant());
      Eigen::Matrix3d      basis;
      double               shortest = 0;
      for (int i = -basis_search; i <= basis_search; ++i)
        for (int j = -basis_search; j <= basis_search; ++j)
          for (int k = -basis_search; k <= basis_search; ++k)
            {
              const Eigen::Vector3d r = (double(i) * modes.cell.row(0) + double(j) * modes.cell.row(1) +
                                         double(k) * modes.cell.row(2)).transpose();
              Eigen::Matrix3d candidate;
              candidate << plane, r;
              if (std::abs(std::abs(candidate.determinant()) - volume) < 1e-9 * volume &&
                  (shortest == 0 || r.norm() < shortest))
                basis = candidate, shortest = r.norm();
            }
      if (shortest == 0)
        throw std::logic_error("normal refinement: no lattice vector completes the in-plane basis");
      return basis;
    }

    double fraction(double x)
    {
      return x - std::floor(x);
    }

    /// One point of a line: its position along it (x_2 in [0, 1)) and its modes by frequency.
    struct LinePoint
    {
      double           position;
      std::vector<int> modes;
      bool             gamma; // q is a reciprocal lattice vector
    };

    /// The lines of the mesh: per in-plane point (folded), the points along n in order.
    std::map<std::pair<long long, long long>, std::vector<LinePoint>> lines_of(const ModeSet &modes,
                                                                              const Eigen::Matrix3d &basis)
    {
      std::map<std::pair<long long, long long>, std::map<long long, std::vector<int>>> grouped;
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        {
          const Eigen::Vector3d x = basis.transpose() * modes.wavevector.row(mu).transpose() / (2 * M_PI);
          const auto key = [](double value) { return std::llround(fraction(value) * key_resolution) % key_resolution; };
          grouped[{key(x[0]), key(x[1])}][key(x[2])].push_back(mu);
        }
      std::map<std::pair<long long, long long>, std::vector<LinePoint>> lines;
      for (auto &[in_plane, points] : grouped)
        for (auto &[position, members] : points)
          {
            std::sort(members.begin(), members.end(),
                      [&](int x, int y) { return modes.omega[x] < modes.omega[y]; });
            lines[in_plane].push_back({double(position) / key_resolution, members,
                                       in_plane.first == 0 && in_plane.second == 0 && position == 0});
          }
      return lines;
    }

    /// Refuses a line whose points are not equally spaced over one period, or that holds
    /// different numbers of modes (but at Gamma, where a database leaves out the acoustic modes of zero
    /// frequency); returns the step (in x_2) and, in `bands`, the number of bands.
    double checked_step(const std::vector<LinePoint> &line, const ModeSet &modes, unsigned int &bands)
    {
      const double step = 1.0 / line.size();
      bands             = 0;
      for (const LinePoint &point : line)
        bands = std::max<unsigned int>(bands, point.modes.size());
      for (unsigned int p = 0; p < line.size(); ++p)
        {
          const double next = p + 1 < line.size() ? line[p + 1].position : line[0].position + 1;
          if (std::abs(next - line[p].position - step) > step_tolerance)
            throw std::runtime_error("Interfaces/Normal refinement: the q-mesh of '" + modes.material +
                                     "' is not equally spaced along the interface normal over one period at "
                                     "every in-plane point (use a Gamma-centred mesh whose lattice holds the "
                                     "normal's reciprocal vector)");
          if (line[p].modes.size() != bands && !line[p].gamma)
            throw std::runtime_error("Interfaces/Normal refinement: the mode set '" + modes.material +
                                     "' holds fewer modes at some q-points than at others (away from Gamma, "
                                     "where only acoustic modes of zero frequency may be left out)");
        }
      return step;
    }

    /// A band at one end of a step: its mode (-1: an acoustic band at Gamma), frequency, slope
    /// d omega / d u along the step and in-plane velocity.
    struct BandEnd
    {
      int             mode  = -1;
      double          omega = 0, slope = 0;
      Eigen::Vector3d in_plane = Eigen::Vector3d::Zero();
    };

    /// The bands at a point by frequency (`step`: d t / d u of the steps). The acoustic bands
    /// at Gamma (frequencies below zero_frequency x `largest`, or left out by the database)
    /// vanish with a kink (omega = v |t|): they get mode -1 and, once matched, the chord's
    /// slope instead of the one-sided velocity a database gives. A degenerate set shares the
    /// mean of its in-plane velocities: those of degenerate modes depend on the basis of their
    /// subspace, which differs from -q's, and the mean keeps the refined set symmetric.
    std::vector<BandEnd> band_ends(const LinePoint &point, unsigned int bands, const ModeSet &modes,
                                   const Eigen::Vector3d &normal, double step, double largest)
    {
      const unsigned int   missing = bands - point.modes.size();
      std::vector<BandEnd> ends(bands);
      for (unsigned int j = missing; j < bands; ++j)
        if (const int mode = point.modes[j - missing]; !(point.gamma && modes.omega[mode] < zero_frequency * largest))
          ends[j] = {mode, modes.omega[mode], modes.velocity.row(mode).dot(normal) * step, Eigen::Vector3d::Zero()};
      for (unsigned int first = 0; first < bands;)
        {
          unsigned int last = first + 1;
          while (last < bands && ends[first].mode >= 0 && ends[last].omega - ends[last - 1].omega <= degenerate * largest)
            ++last;
          Eigen::Vector3d mean = Eigen::Vector3d::Zero();
          for (unsigned int j = first; j < last && ends[j].mode >= 0; ++j)
            mean += modes.velocity.row(ends[j].mode).transpose() / (last - first);
          for (unsigned int j = first; j < last; ++j)
            ends[j].in_plane = mean - mean.dot(normal) * normal;
          first = last;
        }
      return ends;
    }

    /// The two ends of a step joined into branches: sorted bands cross between mesh points
    /// (their labels swap), so the ends are joined one to one into the smoothest cubics, the
    /// least bending integral of p''(u)^2 = 3 (2 (omega_0 - omega_1) + s_0 + s_1)^2 +
    /// (s_1 - s_0)^2 first (s: d omega / d u); near a crossing both branches pass close to
    /// one point, and the slopes tell them apart. The acoustic bands at Gamma join the lowest
    /// bands of the other end, in order, and take the chord as their slope. The cost is
    /// symmetric under q -> -q (the step reversed), so the refined set keeps that symmetry.
    std::vector<std::pair<BandEnd, BandEnd>> branches(std::vector<BandEnd> start, std::vector<BandEnd> end)
    {
      std::vector<std::pair<BandEnd, BandEnd>> joined;
      std::vector<bool> used_start(start.size(), false), used_end(end.size(), false);
      const auto        join = [&](unsigned int i, unsigned int k) {
        used_start[i] = used_end[k] = true;
        BandEnd &e0 = start[i], &e1 = end[k];
        if (e0.mode < 0 && e1.mode < 0)
          return; // both at zero frequency: a one-point line's Gamma
        if (e0.mode < 0 || e1.mode < 0)
          (e0.mode < 0 ? e0 : e1).slope = e1.omega - e0.omega;
        joined.push_back({e0, e1});
      };
      // Acoustic bands at Gamma (first in their list) with the lowest of the other end.
      for (unsigned int j = 0; j < start.size(); ++j)
        if (start[j].mode < 0 || end[j].mode < 0)
          join(j, j);
      std::vector<std::tuple<double, unsigned int, unsigned int>> candidates;
      for (unsigned int i = 0; i < start.size(); ++i)
        for (unsigned int k = 0; k < end.size(); ++k)
          if (!used_start[i] && !used_end[k])
            {
              // The bending of the joining cubic, the integral of p''(u)^2 over the step.
              const double d = 2 * (start[i].omega - end[k].omega) + start[i].slope + end[k].slope;
              candidates.emplace_back(3 * d * d + std::pow(end[k].slope - start[i].slope, 2), i, k);
            }
      std::sort(candidates.begin(), candidates.end());
      for (const auto &[cost, i, k] : candidates)
        if (!used_start[i] && !used_end[k])
          join(i, k);
      return joined;
    }
  } // namespace

  ModeSet refined_along_normal(const ModeSet &modes, const Eigen::Vector3d &normal, unsigned int factor)
  {
    if (modes.wavevector.rows() != int(modes.size()) || modes.cell.isZero(0))
      throw std::runtime_error("Interfaces/Normal refinement needs wavevectors and the crystal cell (an ab initio "
                               "mode database): '" + modes.material + "' has none");
    if (factor <= 1)
      return modes;
    const Eigen::Matrix3d basis = line_basis(modes, normal);
    // The reciprocal vector dual to the third column: one period of a line, normal to the plane.
    const Eigen::Vector3d period = 2 * M_PI * basis.inverse().row(2).transpose();
    const double          along  = period.dot(normal); // d t / d x_2
    const double          largest = modes.omega.maxCoeff();

    std::vector<double>          omega, density;
    std::vector<Eigen::Vector3d> velocity, wavevector;
    for (const auto &[in_plane, line] : lines_of(modes, basis))
      {
        unsigned int bands = 0;
        const double h     = checked_step(line, modes, bands); // in x_2
        std::vector<std::vector<BandEnd>> ends; // of every point, each the end of two steps
        for (const LinePoint &point : line)
          ends.push_back(band_ends(point, bands, modes, normal, along * h, largest));
        for (unsigned int p = 0; p < line.size(); ++p)
          {
            const LinePoint &from = line[p];
            for (const auto &[e0, e1] : branches(ends[p], ends[(p + 1) % line.size()]))
              {
                const double w0 = e0.omega, w1 = e1.omega, s0 = e0.slope, s1 = e1.slope; // d omega / d u
                const int    base = e0.mode < 0 ? e1.mode : e0.mode;
                for (unsigned int s = 0; s < factor; ++s)
                  {
                    const double u  = (s + 0.5) / factor;
                    const double w  = (2 * u * u * u - 3 * u * u + 1) * w0 + (u * u * u - 2 * u * u + u) * s0 +
                                     (-2 * u * u * u + 3 * u * u) * w1 + (u * u * u - u * u) * s1;
                    const double dw = (6 * u * u - 6 * u) * (w0 - w1) + (3 * u * u - 4 * u + 1) * s0 +
                                      (3 * u * u - 2 * u) * s1;
                    if (!(w > 0))
                      continue;
                    omega.push_back(w);
                    velocity.push_back((1 - u) * e0.in_plane + u * e1.in_plane + dw / (along * h) * normal);
                    density.push_back(modes.density[base] / factor);
                    wavevector.push_back(modes.wavevector.row(from.modes.front()).transpose() + u * h * period);
                  }
              }
          }
      }

    ModeSet refined;
    refined.material    = modes.material;
    refined.temperature = modes.temperature;
    refined.statistics  = modes.statistics;
    refined.cell        = modes.cell;
    const unsigned int n = omega.size();
    refined.omega   = Eigen::Map<const Eigen::VectorXd>(omega.data(), n);
    refined.density = Eigen::Map<const Eigen::VectorXd>(density.data(), n);
    refined.velocity.resize(n, 3), refined.wavevector.resize(n, 3);
    for (unsigned int mu = 0; mu < n; ++mu)
      refined.velocity.row(mu) = velocity[mu].transpose(), refined.wavevector.row(mu) = wavevector[mu].transpose();
    return refined;
  }
} // namespace kapitza
