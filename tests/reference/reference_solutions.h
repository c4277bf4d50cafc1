#pragma once
// Exact and reference solutions of the gray phonon Boltzmann transport equation,
// used by the tests as independent yardsticks for the solver. Header-only and
// built on the C++17 standard library alone, so that a test never depends on
// the numerics it is meant to check.
//
// Contents:
//   expint_En                  exponential integrals E_n(x)
//   heaslet_warming            gray slab between black walls (cross-plane)
//   fuchs_sondheimer           in-plane film conductivity, diffuse walls
//   ballistic_sphere_exterior  non-scattering medium outside a black sphere

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace kapitza
{
  namespace reference
  {
    namespace internal
    {
      constexpr double euler_gamma = 0.57721566490153286061;
      constexpr double pi          = 3.14159265358979323846;

      /// Power series of E_n(x) for 0 < x < 1 (A&S 5.1.12). The term k = n-1
      /// carries the logarithm; all other terms are plain powers.
      inline double expint_series(const int n, const double x)
      {
        const int nm1    = n - 1;
        double    result = (nm1 != 0) ? 1.0 / nm1 : -std::log(x) - euler_gamma;
        double    factor = 1.0; // (-x)^k / k!
        for (int k = 1; k < 1000; ++k)
          {
            factor *= -x / k;
            double term;
            if (k != nm1)
              term = -factor / (k - nm1);
            else
              {
                double psi = -euler_gamma; // digamma(n)
                for (int j = 1; j <= nm1; ++j)
                  psi += 1.0 / j;
                term = factor * (psi - std::log(x));
              }
            result += term;
            if (std::abs(term) < std::abs(result) * 1e-17)
              break;
          }
        return result;
      }

      /// Continued fraction of E_n(x) for x >= 1 (A&S 5.1.22), evaluated by the
      /// modified Lentz algorithm in its even form, which converges fast there.
      inline double expint_continued_fraction(const int n, const double x)
      {
        const double tiny = 1e-300;
        double       b    = x + n;
        double       c    = 1.0 / tiny;
        double       d    = 1.0 / b;
        double       h    = d;
        for (int i = 1; i < 1000; ++i)
          {
            const double a = -static_cast<double>(i) * (n - 1 + i);
            b += 2.0;
            d = 1.0 / (a * d + b);
            c = b + a / c;
            const double delta = c * d;
            h *= delta;
            if (std::abs(delta - 1.0) < 1e-16)
              break;
          }
        return h * std::exp(-x);
      }
    } // namespace internal



    /// Exponential integral E_n(x) = int_1^inf exp(-x t) / t^n dt for n >= 0 and
    /// x >= 0, to about 1e-15 relative. The slab kernels need n = 1..4 and the
    /// Fuchs-Sondheimer integral n = 3, 5. E_1(0) = inf, E_n(0) = 1/(n-1).
    inline double expint_En(const int n, const double x)
    {
      if (n < 0 || !(x >= 0.0))
        throw std::domain_error("expint_En: needs n >= 0 and x >= 0");
      if (n == 0)
        return (x == 0.0) ? std::numeric_limits<double>::infinity() :
                            std::exp(-x) / x;
      if (x == 0.0)
        return (n == 1) ? std::numeric_limits<double>::infinity() :
                          1.0 / (n - 1);
      return (x < 1.0) ? internal::expint_series(n, x) :
                         internal::expint_continued_fraction(n, x);
    }



    /// Gray slab between black walls (Heaslet & Warming 1965; Modest,
    /// "Radiative Heat Transfer", gray slab in radiative equilibrium). With
    /// optical coordinate t in (0, tau_L), hot wall at t = 0, cold wall at
    /// t = tau_L and phi = (T - T2)/(T1 - T2):
    ///   phi(t) = E2(t)/2 + 1/2 int_0^tau_L E1(|t - t'|) phi(t') dt',
    ///   Q = q / q_ballistic = 1 - 2 int_0^tau_L phi(t') E2(t') dt',
    /// with q_ballistic = C |v| (T1 - T2) / 4 for phonons.
    struct SlabSolution
    {
      double              flux              = 0; // Q
      double              phi_at_left_wall  = 0; // phi(0+): medium next to the hot wall
      double              phi_at_right_wall = 0; // phi(tau_L-)
      std::vector<double> t;                     // nodes, graded toward both walls
      std::vector<double> phi;                   // phi at the nodes
    };

    namespace internal
    {
      /// Nodes on [0, tau] with t(xi) = tau (xi - sin(2 pi xi) / (2 pi)): cubic
      /// grading toward both walls, where phi has a t log t singularity, and
      /// uniform-like spacing in the middle. The second half mirrors the first
      /// so that the discrete problem keeps the symmetry phi(t) + phi(tau - t) = 1.
      inline std::vector<double> graded_slab_mesh(const double tau, const int n)
      {
        std::vector<double> t(n);
        for (int i = 0; i <= (n - 1) / 2; ++i)
          {
            const double xi = static_cast<double>(i) / (n - 1);
            t[i]            = tau * (xi - std::sin(2 * pi * xi) / (2 * pi));
            t[n - 1 - i]    = tau - t[i];
          }
        if (n % 2 == 1)
          t[n / 2] = 0.5 * tau;
        return t;
      }

      /// Product integration of the kernel E_m(s) times the two linear shape
      /// functions over an element seen at distances d_near < d_far from the
      /// collocation point, h = d_far - d_near. With E_{m+1}' = -E_m,
      ///   M0 = int E_m(s) ds             = E_{m+1}(d_near) - E_{m+1}(d_far),
      ///   M1 = int (s - d_near) E_m(s) ds = E_{m+2}(d_near) - E_{m+2}(d_far)
      ///                                   - h E_{m+1}(d_far),
      /// so the log singularity of E_1 at s = 0 is integrated exactly. The
      /// arguments are E_{m+1} and E_{m+2} at both ends; returns the weights
      /// {near node, far node}.
      inline std::pair<double, double>
      linear_element_weights(const double h,
                             const double e1_near, const double e1_far,
                             const double e2_near, const double e2_far)
      {
        const double m0 = e1_near - e1_far;
        const double m1 = e2_near - e2_far - h * e1_far;
        return {m0 - m1 / h, m1 / h};
      }

      /// Weights w_j such that int_0^tau E_m(|x - t'|) phi(t') dt' = sum_j w_j phi_j
      /// for piecewise-linear phi, x = t[i] a node. en1[j], en2[j] hold
      /// E_{m+1}, E_{m+2} at |x - t[j]|.
      inline std::vector<double> kernel_row(const std::vector<double> &t,
                                            const std::size_t          i,
                                            const std::vector<double> &en1,
                                            const std::vector<double> &en2)
      {
        std::vector<double> w(t.size(), 0.0);
        for (std::size_t e = 0; e + 1 < t.size(); ++e)
          {
            // Elements left of the node are seen from their right end.
            const std::size_t near = (e >= i) ? e : e + 1;
            const std::size_t far  = (e >= i) ? e + 1 : e;
            const auto        wts  = linear_element_weights(
              t[e + 1] - t[e], en1[near], en1[far], en2[near], en2[far]);
            w[near] += wts.first;
            w[far] += wts.second;
          }
        return w;
      }

      /// Gaussian elimination with partial pivoting on a dense row-major
      /// matrix; overwrites b with the solution. The slab matrix I - A/2 is
      /// diagonally dominant, so pivoting is a safeguard only.
      inline void solve_dense(std::vector<double> &a, std::vector<double> &b)
      {
        const std::size_t n = b.size();
        for (std::size_t k = 0; k < n; ++k)
          {
            std::size_t p = k;
            for (std::size_t r = k + 1; r < n; ++r)
              if (std::abs(a[r * n + k]) > std::abs(a[p * n + k]))
                p = r;
            if (p != k)
              {
                for (std::size_t c = 0; c < n; ++c)
                  std::swap(a[k * n + c], a[p * n + c]);
                std::swap(b[k], b[p]);
              }
            for (std::size_t r = k + 1; r < n; ++r)
              {
                const double f = a[r * n + k] / a[k * n + k];
                for (std::size_t c = k + 1; c < n; ++c)
                  a[r * n + c] -= f * a[k * n + c];
                b[r] -= f * b[k];
              }
          }
        for (std::size_t k = n; k-- > 0;)
          {
            double s = b[k];
            for (std::size_t c = k + 1; c < n; ++c)
              s -= a[k * n + c] * b[c];
            b[k] = s / a[k * n + k];
          }
      }

      /// Q from the flux averaged over the slab. In radiative equilibrium the
      /// flux q(t) = 2 E3(t) + 2 int phi(t') sgn(t - t') E2(|t - t'|) dt' is
      /// constant, and int_0^tau q dt gives
      ///   tau Q = 2/3 - 2 E4(tau) + 2 int_0^tau phi(t') [E3(t') - E3(tau - t')] dt'.
      /// For thick slabs this is far better conditioned than the wall formula
      /// Q = 1 - 2 int phi E2 dt', a difference of O(1) terms that leaves
      /// Q ~ 4/(3 tau): the error of phi near the wall enters Q relatively
      /// amplified by tau there, but only by O(1) here.
      inline double slab_flux(const std::vector<double> &t,
                              const std::vector<double> &phi)
      {
        const std::size_t   n   = t.size();
        const double        tau = t.back();
        std::vector<double> e4_left(n), e5_left(n), e4_right(n), e5_right(n);
        for (std::size_t j = 0; j < n; ++j)
          {
            e4_left[j]  = expint_En(4, t[j]);
            e5_left[j]  = expint_En(5, t[j]);
            e4_right[j] = expint_En(4, tau - t[j]);
            e5_right[j] = expint_En(5, tau - t[j]);
          }
        const std::vector<double> w_left  = kernel_row(t, 0, e4_left, e5_left);
        const std::vector<double> w_right = kernel_row(t, n - 1, e4_right, e5_right);
        double                    integral = 0;
        for (std::size_t j = 0; j < n; ++j)
          integral += (w_left[j] - w_right[j]) * phi[j];
        return (2.0 / 3.0 - 2.0 * expint_En(4, tau) + 2.0 * integral) / tau;
      }
    } // namespace internal



    /// Solves the Heaslet-Warming equation by Nystrom product integration:
    /// phi piecewise linear on n_nodes nodes graded toward both walls,
    /// collocation at the nodes, E1 kernel integrated analytically per
    /// element. Collocation at t = 0 and tau_L gives the medium values next to
    /// the walls (phi jumps there: phi(0+) < 1, phi(tau_L-) > 0). The error is
    /// O(n_nodes^-2); 400 nodes give Q to about 2e-6 relative and phi to about
    /// 1e-6 for tau_L in [0.01, 100], at O(n_nodes^3) cost (0.1 s).
    inline SlabSolution heaslet_warming(const double tau_L, const int n_nodes = 400)
    {
      if (!(tau_L > 0.0) || n_nodes < 3)
        throw std::domain_error("heaslet_warming: needs tau_L > 0, n_nodes >= 3");
      const std::size_t n = n_nodes;

      SlabSolution solution;
      solution.t = internal::graded_slab_mesh(tau_L, n_nodes);
      const std::vector<double> &t = solution.t;

      // Row i: phi_i - 1/2 sum_j A_ij phi_j = E2(t_i)/2.
      std::vector<double> matrix(n * n), rhs(n), e2(n), e3(n);
      for (std::size_t i = 0; i < n; ++i)
        {
          for (std::size_t j = 0; j < n; ++j)
            {
              e2[j] = expint_En(2, std::abs(t[i] - t[j]));
              e3[j] = expint_En(3, std::abs(t[i] - t[j]));
            }
          const std::vector<double> w = internal::kernel_row(t, i, e2, e3);
          for (std::size_t j = 0; j < n; ++j)
            matrix[i * n + j] = (i == j ? 1.0 : 0.0) - 0.5 * w[j];
          rhs[i] = 0.5 * expint_En(2, t[i]);
        }
      internal::solve_dense(matrix, rhs);

      solution.phi               = rhs;
      solution.flux              = internal::slab_flux(t, solution.phi);
      solution.phi_at_left_wall  = solution.phi.front();
      solution.phi_at_right_wall = solution.phi.back();
      return solution;
    }



    /// In-plane conductivity of a film of thickness d with fully diffuse walls
    /// (Fuchs-Sondheimer), delta = d / mfp:
    ///   kappa_film / kappa_bulk
    ///     = 1 - 3/(2 delta) int_1^inf (1/t^3 - 1/t^5)(1 - exp(-delta t)) dt
    ///     = 1 - 3/(2 delta) [1/4 - E3(delta) + E5(delta)],
    /// since int_1^inf exp(-delta t) / t^n dt = E_n(delta). The bracket cancels
    /// down to 2 delta/3, so the absolute error is ~1e-16/delta: below 1e-12
    /// for delta >= 1e-4.
    inline double fuchs_sondheimer(const double delta)
    {
      if (!(delta > 0.0))
        throw std::domain_error("fuchs_sondheimer: needs delta > 0");
      const double bracket = 0.25 - expint_En(3, delta) + expint_En(5, delta);
      return 1.0 - 1.5 / delta * bracket;
    }



    /// Fraction of directions that see a black sphere of radius R from
    /// distance r >= R, i.e. (solid angle)/(4 pi) = [1 - sqrt(1 - R^2/r^2)]/2.
    /// In a gray non-scattering medium around a sphere at unit (emissive)
    /// temperature, with the far boundary at 0, this is the equivalent
    /// equilibrium temperature at r. Written as x / (2 (1 + sqrt(1 - x))),
    /// x = R^2/r^2, so the far field R^2/(4 r^2) keeps full precision.
    inline double ballistic_sphere_exterior(const double R, const double r)
    {
      if (!(R > 0.0) || !(r >= R))
        throw std::domain_error("ballistic_sphere_exterior: needs 0 < R <= r");
      const double x = (R / r) * (R / r);
      return 0.5 * x / (1.0 + std::sqrt(1.0 - x));
    }
  } // namespace reference
} // namespace kapitza
