#pragma once
// The misfit dislocations of a semi-coherent interface and the Fourier sum of their strain
// field that the strain mismatch model (interface/strain_mismatch.h) couples phonons with.

#include <Eigen/Dense>

#include <map>
#include <tuple>
#include <vector>

namespace kapitza
{
  /// Momentum-matching Gaussians (the strain field's and the parallel-momentum background's)
  /// are cut this many widths from their centre, where they have fallen to exp(-18).
  constexpr double gaussian_reach = 6;

  struct MisfitDislocations
  {
    double          spacing = 0;       // D [m]
    double          burgers = 0;       // |b| [m]
    double          poisson = 0.21;    // nu
    double          gruneisen_a = 1, gruneisen_b = 1;
    unsigned int    arrays = 2;        // 1, 2 crossed at right angles, 3 at 120 degrees; 0: none
    Eigen::Vector3d line{0, 0, 0};     // direction of the first array's lines (0: any in plane)
    double          momentum_resolution = 0; // [1/m]; 0: from the mode spacing
    bool            keep_parallel_momentum = true; // background: q_par kept (true) or diffuse (DMM)
  };

  /// Unit in-plane directions of the reciprocal vectors G_m of each array (perpendicular to
  /// its lines; the first array's lines along `line` projected into the plane of normal n).
  std::vector<Eigen::Vector3d> array_directions(const Eigen::Vector3d &n, const MisfitDislocations &d);

  /// Half the extent along the normal of the q-mesh cell that each side's modes stand for
  /// (0: the form factor at the mode's own Q_n).
  struct NormalCells
  {
    double half_a = 0, half_b = 0;
    double of(bool side_a) const { return side_a ? half_a : half_b; }
  };

  /// F(Q) = sum_m 4 A^2 Q_n^2 / (G_m^2 + Q_n^2)^2 (2 pi)^2 g(Q_par - G_m), m != 0, over the
  /// harmonics of every array within 6 sigma of Q_par (g: the 2D Gaussian of width sigma,
  /// A = b (1 - 2 nu) / (2 D (1 - nu))).
  /// With cells (half extents h_i, h_k of the two modes' cells along the normal), the factor
  /// Q_n^2 / (G_m^2 + Q_n^2)^2 is its exact mean over Q_n + u + v, |u| <= h_i, |v| <= h_k:
  /// it peaks at Q_n ~ G_m, far narrower than a q-mesh step for the first harmonics, so
  /// its values at the modes' own Q_n hit or miss the peak (the golden rule then moves with
  /// the mesh), while the cell means sum over a mesh to its integral.
  class MisfitFormFactor
  {
  public:
    MisfitFormFactor(const Eigen::Vector3d &normal, const MisfitDislocations &dislocations, double sigma,
                     NormalCells cells = {});

    /// F(q_i + q_k) for modes i and k of side a or b, the normal factor averaged over their
    /// cells. Modes whose q_n is a multiple of their half cell take it from a table of the
    /// harmonics, one row per pair of such multiples (the cell means cost four atan and
    /// four log each); others compute it.
    double operator()(const Eigen::Vector3d &q_i, const Eigen::Vector3d &q_k, bool i_on_a, bool k_on_a) const;

    /// F with the normal factor at Q_n itself.
    double operator()(const Eigen::Vector3d &Q) const;

    /// The same sum with one exp per harmonic and the factor computed for each (the
    /// reference of the recurrence and of the table).
    double direct(const Eigen::Vector3d &Q, double half_i = 0, double half_k = 0) const;

  private:
    // factor(m): the normal factor of harmonic m (m != 0).
    template <typename Factor>
    double harmonic_sum(const Eigen::Vector3d &Q, const Factor &factor) const;
    template <typename Factor>
    double array_sum(double along, const Factor &factor) const;

    // The normal factor of harmonics 1 .. at least `harmonics` for Q_n = j_i half_i + j_k half_k.
    const std::vector<double> &table_row(bool i_on_a, long j_i, bool k_on_a, long j_k, long harmonics) const;

    Eigen::Vector3d              normal;
    std::vector<Eigen::Vector3d> directions;
    double                       sigma, g_unit, reach, prefactor;
    // exp(-g_unit^2 / sigma^2): the ratio of consecutive ratios of the Gaussians at G_m.
    double                       ratio_step;
    bool                         recurrence; // harmonics denser than sigma (see array_sum)
    NormalCells                  cells;
    // Filled as pairs of normal mesh indices come up (a cache: the values do not depend on
    // the order of the calls).
    mutable std::map<std::tuple<bool, long, bool, long>, std::vector<double>> rows;
  };

  /// Q_n^2 / (g^2 + Q_n^2)^2 averaged over Q_n + u + v, |u| <= half_i, |v| <= half_k (either
  /// half extent may be 0; g != 0): the second (first) difference of its second (first)
  /// antiderivative in closed form.
  double normal_factor_mean(double q_n, double g, double half_i, double half_k);

  /// The factor itself, Q_n^2 / (g^2 + Q_n^2)^2, from the squares.
  inline double normal_factor(double q_n2, double g2)
  {
    return q_n2 / ((g2 + q_n2) * (g2 + q_n2));
  }

  /// The median over points of the distance to the nearest other in-plane point: the
  /// in-plane q-mesh spacing of a mode set (wavevectors q, plane of normal n). Points whose
  /// projections lie within 1e-9 of the largest |q| of each other are one in-plane point
  /// (modes of other bands or other q_n); 0 if there are fewer than two in-plane points.
  double median_inplane_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n);

  /// The median over wavevectors of the distance along n to the nearest other wavevector
  /// with the same in-plane point (merged as in median_inplane_spacing): the q-mesh step
  /// along the normal; 0 if no in-plane point holds two normal components.
  double median_normal_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n);
} // namespace kapitza
