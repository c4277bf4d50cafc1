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

  MisfitFormFactor::MisfitFormFactor(const Eigen::Vector3d &normal, const MisfitDislocations &d, double sigma)
    : normal(normal)
    , directions(array_directions(normal, d))
    , sigma(sigma)
    , g_unit(two_pi / d.spacing)
    , reach(gaussian_reach * sigma)
  {
    const double amplitude = d.burgers * (1 - 2 * d.poisson) / (2 * d.spacing * (1 - d.poisson));
    prefactor  = 4 * amplitude * amplitude * two_pi * two_pi / (two_pi * sigma * sigma);
    ratio_step = std::exp(-g_unit * g_unit / (sigma * sigma));
    // With harmonics denser than sigma (coarse q-meshes: ~12 sigma / g_unit of them per array)
    // the Gaussians at consecutive G_m follow from two multiplications, exact to round-off;
    // the factors stay within exp(+-25) there. Sparser harmonics take one exp each.
    recurrence = g_unit <= sigma;
  }

  double MisfitFormFactor::array_sum(double along, double q_n2) const
  {
    const long   first = std::lround(std::floor((along - reach) / g_unit));
    const long   last  = std::lround(std::ceil((along + reach) / g_unit));
    const double two_sigma2 = 2 * sigma * sigma;
    double       sum = 0;
    // x = along - G_m; gauss = exp(-x^2 / 2 sigma^2); ratio = gauss(m + 1) / gauss(m).
    const double x     = along - first * g_unit;
    double       gauss = std::exp(-x * x / two_sigma2);
    double       ratio = recurrence ? std::exp((2 * x * g_unit - g_unit * g_unit) / two_sigma2) : 1;
    for (long m = first; m <= last; ++m)
      {
        const double g = m * g_unit;
        if (!recurrence)
          gauss = std::exp(-(along - g) * (along - g) / two_sigma2);
        if (m != 0) // the mean misfit strain: no momentum transfer
          sum += gauss / ((g * g + q_n2) * (g * g + q_n2));
        gauss *= ratio;
        ratio *= ratio_step;
      }
    return sum;
  }

  double MisfitFormFactor::operator()(const Eigen::Vector3d &Q) const
  {
    const double          q_n   = Q.dot(normal);
    const Eigen::Vector3d q_par = Q - q_n * normal;
    double                sum   = 0;
    for (const Eigen::Vector3d &e : directions)
      {
        const double along = q_par.dot(e), across = (q_par - along * e).norm();
        if (across <= reach)
          sum += std::exp(-across * across / (2 * sigma * sigma)) * array_sum(along, q_n * q_n);
      }
    return prefactor * q_n * q_n * sum;
  }

  double MisfitFormFactor::direct(const Eigen::Vector3d &Q) const
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
              sum += std::exp(-miss2 / (2 * sigma * sigma)) / std::pow(g * g + q_n * q_n, 2);
            }
      }
    return prefactor * q_n * q_n * sum;
  }

  double median_inplane_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n)
  {
    double largest = 0;
    for (const Eigen::Vector3d &p : q)
      largest = std::max(largest, p.norm());
    const double same = same_point * largest;
    if (!(same > 0))
      return 0;
    // The distinct in-plane points and how many wavevectors project onto each (merged by a
    // rounding key; twins the rounding splits stay within `same` and are skipped below).
    const Eigen::Vector3d u = n.unitOrthogonal(), w = n.cross(u);
    std::map<std::pair<long long, long long>, unsigned int> index;
    std::vector<Eigen::Vector2d>                            points;
    std::vector<unsigned int>                               count;
    for (const Eigen::Vector3d &p : q)
      {
        const Eigen::Vector2d x(p.dot(u), p.dot(w));
        const auto [it, inserted] = index.emplace(std::make_pair(std::llround(x[0] / same), std::llround(x[1] / same)),
                                                  points.size());
        if (inserted)
          points.push_back(x), count.push_back(0);
        ++count[it->second];
      }
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
          nearest.insert(nearest.end(), count[order[i]], best);
      }
    if (nearest.empty())
      return 0;
    std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
    return nearest[nearest.size() / 2];
  }
} // namespace kapitza
