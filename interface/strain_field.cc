#include "interface/strain_field.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace kapitza
{
  namespace
  {
    constexpr double two_pi = 2 * M_PI;
    // Projections closer than this fraction of the largest |q| are the same in-plane point.
    constexpr double same_point = 1e-9;
    // A normal component within this fraction of a step from a multiple of it is on the mesh.
    constexpr double off_mesh = 1e-9;
  } // namespace

  std::vector<Eigen::Vector3d> array_directions(const Eigen::Vector3d &n, const MisfitDislocations &d)
  {
    Eigen::Vector3d line = d.line - d.line.dot(n) * n;
    line = line.norm() > 1e-12 ? line.normalized() : Eigen::Vector3d(n.unitOrthogonal());
    // The lines of array k are the first array's turned by k pi / arrays about n: 90 degrees
    // for two arrays, 60 (equivalently 120, lines have no sense) for three.
    std::vector<Eigen::Vector3d> directions;
    for (unsigned int k = 0; k < d.arrays; ++k)
      directions.push_back(n.cross(Eigen::AngleAxisd(k * M_PI / d.arrays, n) * line));
    return directions;
  }

  MisfitFormFactor::MisfitFormFactor(const Eigen::Vector3d &normal, const MisfitDislocations &d, double sigma,
                                     NormalCells cells)
    : normal(normal)
    , directions(array_directions(normal, d))
    , sigma(sigma)
    , g_unit(two_pi / d.spacing)
    , reach(gaussian_reach * sigma)
    , cells(cells)
  {
    const double amplitude = d.burgers * (1 - 2 * d.poisson) / (2 * d.spacing * (1 - d.poisson));
    prefactor  = 4 * amplitude * amplitude * two_pi * two_pi / (two_pi * sigma * sigma);
    ratio_step = std::exp(-g_unit * g_unit / (sigma * sigma));
    // With harmonics denser than sigma (coarse q-meshes: ~12 sigma / g_unit of them per array)
    // the Gaussians at consecutive G_m follow from two multiplications, exact to round-off;
    // the factors stay within exp(+-25) there. Sparser harmonics take one exp each.
    recurrence = g_unit <= sigma;
  }

  double normal_factor_mean(double q_n, double g, double half_i, double half_k)
  {
    // In x = Q_n / |g|: f = x^2 / (1 + x^2)^2 / g^2, f = psi' / g^2, psi = phi'.
    const double scale = std::abs(g), x = q_n / scale;
    double       a = half_i / scale, b = half_k / scale;
    if (a < b)
      std::swap(a, b);
    if (a == 0)
      return normal_factor(q_n * q_n, g * g);
    const auto psi = [](double y) { return 0.5 * (std::atan(y) - y / (1 + y * y)); };
    if (b == 0)
      return (psi(x + a) - psi(x - a)) / (2 * a * g * g);
    const auto phi = [](double y) { return 0.5 * (y * std::atan(y) - std::log1p(y * y)); };
    return (phi(x + a + b) - phi(x + a - b) - phi(x - a + b) + phi(x - a - b)) / (4 * a * b * g * g);
  }

  template <typename Factor>
  double MisfitFormFactor::array_sum(double along, const Factor &factor) const
  {
    const long   first = std::lround(std::floor((along - reach) / g_unit));
    const long   last  = std::lround(std::ceil((along + reach) / g_unit));
    const double two_sigma2 = 2 * sigma * sigma;
    double       sum = 0;
    // x = along - G_m; gauss = exp(-x^2 / 2 sigma^2); ratio = gauss(m + 1) / gauss(m). With
    // harmonics denser than sigma the recurrence is exact to round-off (see the constructor).
    const double x     = along - first * g_unit;
    double       gauss = std::exp(-x * x / two_sigma2);
    double       ratio = recurrence ? std::exp((2 * x * g_unit - g_unit * g_unit) / two_sigma2) : 1;
    for (long m = first; m <= last; ++m)
      {
        if (!recurrence)
          gauss = std::exp(-(along - m * g_unit) * (along - m * g_unit) / two_sigma2);
        if (m != 0) // the mean misfit strain: no momentum transfer
          sum += gauss * factor(m);
        gauss *= ratio;
        ratio *= ratio_step;
      }
    return sum;
  }

  template <typename Factor>
  double MisfitFormFactor::harmonic_sum(const Eigen::Vector3d &Q, const Factor &factor) const
  {
    const Eigen::Vector3d q_par = Q - Q.dot(normal) * normal;
    double                sum   = 0;
    for (const Eigen::Vector3d &e : directions)
      {
        const double along = q_par.dot(e), across = (q_par - along * e).norm();
        if (across <= reach)
          sum += std::exp(-across * across / (2 * sigma * sigma)) * array_sum(along, factor);
      }
    return prefactor * sum;
  }

  double MisfitFormFactor::operator()(const Eigen::Vector3d &Q) const
  {
    const double q_n2 = Q.dot(normal) * Q.dot(normal);
    return harmonic_sum(Q, [&](long m) { return normal_factor(q_n2, m * g_unit * m * g_unit); });
  }

  const std::vector<double> &MisfitFormFactor::table_row(bool i_on_a, long j_i, bool k_on_a, long j_k,
                                                         long harmonics) const
  {
    std::vector<double> &row    = rows[{i_on_a, j_i, k_on_a, j_k}];
    const double         half_i = cells.of(i_on_a), half_k = cells.of(k_on_a);
    const double         q_n    = j_i * half_i + j_k * half_k;
    for (long m = row.size() + 1; m <= harmonics; ++m)
      row.push_back(normal_factor_mean(q_n, m * g_unit, half_i, half_k));
    return row;
  }

  double MisfitFormFactor::operator()(const Eigen::Vector3d &q_i, const Eigen::Vector3d &q_k, bool i_on_a,
                                      bool k_on_a) const
  {
    const double          half_i = cells.of(i_on_a), half_k = cells.of(k_on_a);
    const Eigen::Vector3d Q      = q_i + q_k;
    if (half_i == 0 && half_k == 0)
      return (*this)(Q);
    // Normal components in half steps: the points along one normal line sit at multiples of
    // the step, on some meshes at odd multiples of half of it (fcc along [100], on alternate
    // in-plane points). A mode off these by more than round-off computes its factors.
    const auto on_mesh = [&](const Eigen::Vector3d &q, double half, long &j) {
      if (!(half > 0))
        return false;
      const double steps = q.dot(normal) / half;
      j                  = std::lround(steps);
      return std::abs(steps - j) <= off_mesh;
    };
    long j_i = 0, j_k = 0;
    if (!on_mesh(q_i, half_i, j_i) || !on_mesh(q_k, half_k, j_k))
      return direct(Q, half_i, half_k);
    const double               q_par     = (Q - Q.dot(normal) * normal).norm();
    const long                 harmonics = std::lround(std::ceil((q_par + reach) / g_unit)) + 1;
    const std::vector<double> &row       = table_row(i_on_a, j_i, k_on_a, j_k, harmonics);
    return harmonic_sum(Q, [&](long m) { return row[std::abs(m) - 1]; });
  }

  double MisfitFormFactor::direct(const Eigen::Vector3d &Q, double half_i, double half_k) const
  {
    const double          q_n   = Q.dot(normal);
    const Eigen::Vector3d q_par = Q - q_n * normal;
    double                sum   = 0;
    for (const Eigen::Vector3d &e : directions)
      {
        const double along = q_par.dot(e), across = (q_par - along * e).norm();
        if (across > reach)
          continue;
        const long first = std::lround(std::floor((along - reach) / g_unit));
        const long last  = std::lround(std::ceil((along + reach) / g_unit));
        for (long m = first; m <= last; ++m)
          if (m != 0)
            {
              const double g = m * g_unit, miss2 = std::pow(along - g, 2) + across * across;
              sum += std::exp(-miss2 / (2 * sigma * sigma)) * normal_factor_mean(q_n, g, half_i, half_k);
            }
      }
    return prefactor * sum;
  }

  namespace
  {
    // Wavevectors by in-plane point: projections onto the plane of n merged by a rounding
    // key of `same_point` of the largest |q| (twins the rounding splits stay within that
    // distance of each other; the spacings below skip them).
    struct InplanePoints
    {
      double                                  same = 0;
      std::vector<Eigen::Vector2d>            points;
      std::vector<std::vector<unsigned int>> members;
    };

    InplanePoints inplane_points(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n)
    {
      InplanePoints result;
      for (const Eigen::Vector3d &p : q)
        result.same = std::max(result.same, same_point * p.norm());
      if (!(result.same > 0))
        return result;
      const Eigen::Vector3d u = n.unitOrthogonal(), w = n.cross(u);
      std::map<std::pair<long long, long long>, unsigned int> index;
      for (unsigned int i = 0; i < q.size(); ++i)
        {
          const Eigen::Vector2d x(q[i].dot(u), q[i].dot(w));
          const auto [it, inserted] = index.emplace(
            std::make_pair(std::llround(x[0] / result.same), std::llround(x[1] / result.same)), result.points.size());
          if (inserted)
            result.points.push_back(x), result.members.emplace_back();
          result.members[it->second].push_back(i);
        }
      return result;
    }

    double median(std::vector<double> values)
    {
      if (values.empty())
        return 0;
      std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
      return values[values.size() / 2];
    }
  } // namespace

  double median_inplane_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n)
  {
    const InplanePoints in_plane = inplane_points(q, n);
    const auto         &points = in_plane.points;
    const double        same   = in_plane.same;
    // Nearest neighbours by a sweep along the first coordinate.
    std::vector<unsigned int> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](unsigned int i, unsigned int k) { return points[i][0] < points[k][0]; });
    std::vector<double> nearest;
    for (long i = 0; i < long(order.size()); ++i)
      {
        const Eigen::Vector2d &x    = points[order[i]];
        double                 best = std::numeric_limits<double>::infinity();
        for (const long step : {-1L, 1L})
          for (long k = i + step; k >= 0 && k < long(order.size()); k += step)
            {
              const Eigen::Vector2d &y = points[order[k]];
              if ((y[0] - x[0]) * (y[0] - x[0]) >= best * best)
                break;
              const double distance = (y - x).norm();
              if (distance > same)
                best = std::min(best, distance);
            }
        if (std::isfinite(best))
          nearest.insert(nearest.end(), in_plane.members[order[i]].size(), best);
      }
    return median(nearest);
  }

  double median_normal_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n)
  {
    const InplanePoints in_plane = inplane_points(q, n);
    std::vector<double> nearest;
    for (const std::vector<unsigned int> &members : in_plane.members)
      {
        // The distinct normal components of this in-plane point (within `same`), with how
        // many wavevectors share each; each takes the smaller gap to its neighbours.
        std::vector<double> q_n;
        for (const unsigned int i : members)
          q_n.push_back(q[i].dot(n));
        std::sort(q_n.begin(), q_n.end());
        std::vector<std::pair<double, unsigned int>> distinct;
        for (const double value : q_n)
          if (!distinct.empty() && value - distinct.back().first <= in_plane.same)
            ++distinct.back().second;
          else
            distinct.push_back({value, 1});
        for (unsigned int k = 0; k < distinct.size() && distinct.size() > 1; ++k)
          {
            const double below = k > 0 ? distinct[k].first - distinct[k - 1].first : INFINITY;
            const double above = k + 1 < distinct.size() ? distinct[k + 1].first - distinct[k].first : INFINITY;
            nearest.insert(nearest.end(), distinct[k].second, std::min(below, above));
          }
      }
    return median(nearest);
  }
} // namespace kapitza
