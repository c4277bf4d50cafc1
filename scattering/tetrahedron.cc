#include "scattering/tetrahedron.h"

#include <algorithm>
#include <numeric>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      // Vertices of the reference tetrahedron.
      const Eigen::Vector3d reference_vertex[4] = {Eigen::Vector3d(0, 0, 0),
                                                   Eigen::Vector3d(1, 0, 0),
                                                   Eigen::Vector3d(0, 1, 0),
                                                   Eigen::Vector3d(0, 0, 1)};

      // A point of the level set on the edge between two vertices (original numbering)
      // and its barycentric share of the upper vertex.
      struct EdgePoint
      {
        int    lower, upper;
        double t;
      };
    } // namespace

    std::array<double, 4> tetrahedron_delta_weights(const std::array<double, 4> &e,
                                                    double value)
    {
      std::array<double, 4> w{{0, 0, 0, 0}};
      std::array<int, 4>    order{{0, 1, 2, 3}};
      std::sort(order.begin(), order.end(), [&](int a, int b) { return e[a] < e[b]; });
      const double e0 = e[order[0]], e1 = e[order[1]], e2 = e[order[2]], e3 = e[order[3]];
      if (!(value > e0 && value <= e3))
        return w;

      auto point = [&](int a, int b) {
        return EdgePoint{order[a], order[b], (value - e[order[a]]) / (e[order[b]] - e[order[a]])};
      };
      // The level set E = value: a triangle, or a quadrilateral cut into two triangles.
      std::array<std::array<EdgePoint, 3>, 2> triangles;
      int                                     n_triangles = 1;
      if (value <= e1)
        triangles[0] = {{point(0, 1), point(0, 2), point(0, 3)}};
      else if (value <= e2)
        {
          const EdgePoint p02 = point(0, 2), p03 = point(0, 3), p13 = point(1, 3),
                          p12 = point(1, 2);
          triangles   = {{{{p02, p03, p13}}, {{p02, p13, p12}}}};
          n_triangles = 2;
        }
      else
        triangles[0] = {{point(0, 3), point(1, 3), point(2, 3)}};

      // delta(value - E) restricted to a plane of constant E has the surface density
      // 1 / |grad E|; a linear f integrates over a triangle to area * f(centroid).
      const Eigen::Vector3d gradient(e[1] - e[0], e[2] - e[0], e[3] - e[0]);
      const double          inverse_slope = 1.0 / gradient.norm();
      for (int n = 0; n < n_triangles; ++n)
        {
          const auto     &triangle = triangles[n];
          Eigen::Vector3d position[3];
          for (int c = 0; c < 3; ++c)
            position[c] = (1 - triangle[c].t) * reference_vertex[triangle[c].lower] +
                          triangle[c].t * reference_vertex[triangle[c].upper];
          const double measure =
            0.5 * (position[1] - position[0]).cross(position[2] - position[0]).norm() *
            inverse_slope;
          for (const EdgePoint &p : triangle)
            {
              w[p.lower] += measure * (1 - p.t) / 3;
              w[p.upper] += measure * p.t / 3;
            }
        }
      return w;
    }

    TetrahedronMesh::TetrahedronMesh(const std::array<int, 3> &size,
                                     const Eigen::Matrix3d &reciprocal)
      : n_grid(size[0] * size[1] * size[2])
    {
      // Main diagonals of a grid cell in phonopy's order; the shortest one is shared.
      const int diagonals[4][3] = {{1, 1, 1}, {-1, 1, 1}, {1, -1, 1}, {1, 1, -1}};
      int       best            = 0;
      double    best_length     = 0;
      for (int d = 0; d < 4; ++d)
        {
          Eigen::Vector3d v = Eigen::Vector3d::Zero();
          for (int i = 0; i < 3; ++i)
            v += diagonals[d][i] * reciprocal.row(i).transpose() / size[i];
          if (d == 0 || v.norm() < best_length - 1e-12 * best_length)
            {
              best        = d;
              best_length = v.norm();
            }
        }
      const int *direction = diagonals[best];
      std::array<int, 3> start;
      for (int i = 0; i < 3; ++i)
        start[i] = direction[i] > 0 ? 0 : 1;

      // The six paths start -> +axis a -> +axis b -> end along the diagonal.
      std::vector<std::array<std::array<int, 3>, 4>> offsets;
      std::array<int, 3>                             axes{{0, 1, 2}};
      do
        {
          std::array<std::array<int, 3>, 4> tetra;
          tetra[0] = start;
          for (int step = 0; step < 3; ++step)
            {
              tetra[step + 1] = tetra[step];
              tetra[step + 1][axes[step]] += direction[axes[step]];
            }
          offsets.push_back(tetra);
        }
      while (std::next_permutation(axes.begin(), axes.end()));

      auto index = [&](int i0, int i1, int i2) {
        i0 = ((i0 % size[0]) + size[0]) % size[0];
        i1 = ((i1 % size[1]) + size[1]) % size[1];
        i2 = ((i2 % size[2]) + size[2]) % size[2];
        return static_cast<unsigned int>(i0 + size[0] * (i1 + size[1] * i2));
      };
      corners.reserve(6 * n_grid);
      for (int i2 = 0; i2 < size[2]; ++i2)
        for (int i1 = 0; i1 < size[1]; ++i1)
          for (int i0 = 0; i0 < size[0]; ++i0)
            for (const auto &tetra : offsets)
              {
                std::array<unsigned int, 4> vertex;
                for (int c = 0; c < 4; ++c)
                  vertex[c] = index(i0 + tetra[c][0], i1 + tetra[c][1], i2 + tetra[c][2]);
                corners.push_back(vertex);
              }
    }

    void TetrahedronMesh::add_delta_weights(const double *energy, const double *targets,
                                            unsigned int n_targets, double *weights) const
    {
      for (const auto &vertex : corners)
        {
          const std::array<double, 4> e{
            {energy[vertex[0]], energy[vertex[1]], energy[vertex[2]], energy[vertex[3]]}};
          const double low  = std::min({e[0], e[1], e[2], e[3]});
          const double high = std::max({e[0], e[1], e[2], e[3]});
          for (unsigned int j = 0; j < n_targets; ++j)
            {
              if (!(targets[j] > low && targets[j] <= high))
                continue;
              const std::array<double, 4> w = tetrahedron_delta_weights(e, targets[j]);
              for (int c = 0; c < 4; ++c)
                weights[vertex[c] * n_targets + j] += w[c];
            }
        }
    }
  } // namespace phonons
} // namespace kapitza
