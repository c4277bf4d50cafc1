#pragma once
// The misfit dislocations of a semi-coherent interface and the Fourier sum of their strain
// field that the strain mismatch model (interface/strain_mismatch.h) couples phonons with.

#include <Eigen/Dense>

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

  /// F(Q) = sum_m 4 A^2 Q_n^2 / (G_m^2 + Q_n^2)^2 (2 pi)^2 g(Q_par - G_m), m != 0, over the
  /// harmonics of every array within 6 sigma of Q_par (g: the 2D Gaussian of width sigma,
  /// A = b (1 - 2 nu) / (2 D (1 - nu))).
  class MisfitFormFactor
  {
  public:
    MisfitFormFactor(const Eigen::Vector3d &normal, const MisfitDislocations &dislocations, double sigma);

    double operator()(const Eigen::Vector3d &Q) const;

    /// The same sum with one exp per harmonic (the reference of the recurrence).
    double direct(const Eigen::Vector3d &Q) const;

  private:
    double array_sum(double along, double q_n2) const;

    Eigen::Vector3d              normal;
    std::vector<Eigen::Vector3d> directions;
    double                       sigma, g_unit, reach, prefactor;
    // exp(-g_unit^2 / sigma^2): the ratio of consecutive ratios of the Gaussians at G_m.
    double                       ratio_step;
    bool                         recurrence; // harmonics denser than sigma (see operator())
  };

  /// The median over points of the distance to the nearest other in-plane point: the
  /// in-plane q-mesh spacing of a mode set (wavevectors q, plane of normal n). Points whose
  /// projections lie within 1e-9 of the largest |q| of each other are one in-plane point
  /// (modes of other bands or other q_n); 0 if there are fewer than two in-plane points.
  double median_inplane_spacing(const std::vector<Eigen::Vector3d> &q, const Eigen::Vector3d &n);
} // namespace kapitza
