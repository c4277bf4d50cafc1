#pragma once
// Energy conservation of scattering processes on a q-mesh: weights g_k that replace
// delta(target - E(q_k)) in sums over the mesh, by the linear tetrahedron method or by
// Gaussian smearing of fixed or adaptive width.

#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/tetrahedron.h"

#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    struct Smearing
    {
      enum class Method
      {
        tetrahedron,
        gaussian
      };
      Method method = Method::tetrahedron;
      /// Gaussian standard deviation [rad/s]; 0 selects the adaptive width.
      double width = 0;

      std::string describe() const;
    };

    /// "tetrahedron", or "gaussian" with WIDTH [rad/s] or "adaptive"; throws on anything else.
    Smearing parse_smearing(const std::string &method, const std::string &width = "");

    /// Smallest adaptive width [rad/s] (0.01 THz): keeps flat bands finite.
    constexpr double minimum_adaptive_width = 0.01 * units::angular_terahertz;

    class DeltaFunction
    {
    public:
      /// `reciprocal`: rows b_i of the primitive reciprocal lattice [1/m, without 2 pi].
      DeltaFunction(const Smearing &smearing, const std::array<int, 3> &size,
                    const Eigen::Matrix3d &reciprocal);

      /// weights[k * n_targets + j] += g_k for delta(targets[j] - energy[k]) [s/rad].
      /// `gradient` (n_q, 3) [m/s] of the energy sets the adaptive Gaussian width
      /// sigma_k = sqrt(sum_i (grad E . 2 pi b_i / n_i)^2 / 12), the spread of E over
      /// one grid cell; it is not used by the other methods (may be null).
      void add_weights(const double *energy, const Positions *gradient, const double *targets,
                       unsigned int n_targets, double *weights) const;

      const Smearing &smearing() const { return method; }
      /// Whether add_weights uses the energy gradient (adaptive Gaussians only).
      bool uses_gradient() const
      {
        return method.method == Smearing::Method::gaussian && method.width == 0;
      }

    private:
      Smearing        method;
      TetrahedronMesh tetrahedra;
      Eigen::Matrix3d cell_steps; // rows 2 pi b_i / n_i [rad/m]
    };
  } // namespace phonons
} // namespace kapitza
