#pragma once
// Linear tetrahedron method on a periodic Gamma-centred q-grid: integration weights
// g_k with sum_k g_k f_k = N_q / V_BZ * integral over the Brillouin zone of
// f(q) delta(value - E(q)) dq, where E and f are linearly interpolated inside each
// tetrahedron. Each grid parallelepiped is cut into six tetrahedra sharing its shortest
// main diagonal (phonopy's choice). No Bloechl correction: the weights are
// non-negative, and sum_k g_k (value - E_k) = 0 holds exactly, tetrahedron by tetrahedron.

#include <Eigen/Dense>

#include <array>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// Weights w_i of the vertices of one tetrahedron for the integral of
    /// delta(value - E) f over the reference tetrahedron (volume 1/6) with vertex values
    /// `e`: integral = sum_i w_i f_i. Zero outside [min e, max e].
    std::array<double, 4> tetrahedron_delta_weights(const std::array<double, 4> &e,
                                                    double value);

    class TetrahedronMesh
    {
    public:
      /// `reciprocal`: rows b_1, b_2, b_3 of the primitive reciprocal lattice; grid
      /// index = i0 + n0 (i1 + n1 i2) as in PhononMesh.
      TetrahedronMesh(const std::array<int, 3> &size, const Eigen::Matrix3d &reciprocal);

      unsigned int n_points() const { return n_grid; }
      unsigned int n_tetrahedra() const { return corners.size(); }
      const std::array<unsigned int, 4> &tetrahedron(unsigned int t) const
      {
        return corners[t];
      }

      /// Adds the weights of delta(target_j - E) for all targets at once:
      /// weights[k * n_targets + j] += g_k(target_j). `energy` has one value per grid point.
      void add_delta_weights(const double *energy, const double *targets,
                             unsigned int n_targets, double *weights) const;

    private:
      unsigned int                             n_grid;
      std::vector<std::array<unsigned int, 4>> corners;
    };
  } // namespace phonons
} // namespace kapitza
