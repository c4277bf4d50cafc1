#include "scattering/ab_initio/tetrahedron.h"

#include <algorithm>
#include <numeric>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      // Vertex numbers by ascending energy (a sorting network; ties in any order).
      std::array<int, 4> ascending(const std::array<double, 4> &e)
      {
        std::array<int, 4> order{{0, 1, 2, 3}};
        auto sort_pair = [&](int a, int b) {
          if (e[order[b]] < e[order[a]])
            std::swap(order[a], order[b]);
        };
        sort_pair(0, 1);
        sort_pair(2, 3);
        sort_pair(0, 2);
        sort_pair(1, 3);
        sort_pair(1, 2);
        return order;
      }

      // Weights w (in ascending numbering) of delta(value - E) over the reference
      // tetrahedron for sorted vertex energies s, s[0] < value <= s[3]. The level set
      // E = value is one triangle or a quadrilateral cut into two; a triangle with corners
      // on edges (lower, upper) at fractions t gives each corner measure / 3, shared
      // (1 - t, t) by the edge's ends. Its measure area / |grad E| is 3 Vol(corners, X) /
      // |E(X) - value| for any vertex X, where Vol = |det(barycentric coordinates)| / 6:
      // closed forms in energy differences only.
      void add_sorted_weights(const std::array<double, 4> &s, double value, double *w)
      {
        // Distances of the value from the vertex energies; each fraction t and 1 - t is
        // formed from them directly (no cancellation near a vertex energy).
        const double d0 = value - s[0], d1 = value - s[1], d2 = s[2] - value, d3 = s[3] - value;
        const double e10 = s[1] - s[0], e20 = s[2] - s[0], e30 = s[3] - s[0];
        if (value <= s[1]) // triangle (p01, p02, p03), X = vertex 0
          {
            const double third = d0 * d0 / (6 * e10 * e20 * e30);
            w[0] += third * ((s[1] - value) / e10 + d2 / e20 + d3 / e30);
            w[1] += third * d0 / e10;
            w[2] += third * d0 / e20;
            w[3] += third * d0 / e30;
          }
        else if (value <= s[2]) // (p02, p03, p13), X = vertex 0, and (p02, p13, p12), X = 1
          {
            const double e21 = s[2] - s[1], e31 = s[3] - s[1];
            const double a = d0 * d3 / (6 * e20 * e30 * e31);
            const double b = d2 * d1 / (6 * e20 * e21 * e31);
            w[0] += (a + b) * d2 / e20 + a * d3 / e30;
            w[1] += (a + b) * d3 / e31 + b * d2 / e21;
            w[2] += (a + b) * d0 / e20 + b * d1 / e21;
            w[3] += a * d0 / e30 + (a + b) * d1 / e31;
          }
        else // triangle (p03, p13, p23), X = vertex 3
          {
            const double e31 = s[3] - s[1], e32 = s[3] - s[2];
            const double third = d3 * d3 / (6 * e30 * e31 * e32);
            w[0] += third * d3 / e30;
            w[1] += third * d3 / e31;
            w[2] += third * d3 / e32;
            w[3] += third * (d0 / e30 + d1 / e31 + (value - s[2]) / e32);
          }
      }
    } // namespace

    std::array<double, 4> tetrahedron_delta_weights(const std::array<double, 4> &e,
                                                    double value)
    {
      std::array<double, 4> w{{0, 0, 0, 0}};
      const std::array<int, 4> order = ascending(e);
      const std::array<double, 4> s{{e[order[0]], e[order[1]], e[order[2]], e[order[3]]}};
      if (!(value > s[0] && value <= s[3]))
        return w;
      double sorted[4] = {0, 0, 0, 0};
      add_sorted_weights(s, value, sorted);
      for (int c = 0; c < 4; ++c)
        w[order[c]] = sorted[c];
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
      // Most tetrahedra reach no target: their range is checked before they are sorted.
      for (const auto &vertex : corners)
        {
          const std::array<double, 4> e{
            {energy[vertex[0]], energy[vertex[1]], energy[vertex[2]], energy[vertex[3]]}};
          const double low  = std::min(std::min(e[0], e[1]), std::min(e[2], e[3]));
          const double high = std::max(std::max(e[0], e[1]), std::max(e[2], e[3]));
          std::array<int, 4>    order{{0, 0, 0, 0}};
          std::array<double, 4> s{{0, 0, 0, 0}};
          bool                  sorted = false;
          for (unsigned int j = 0; j < n_targets; ++j)
            {
              if (!(targets[j] > low && targets[j] <= high))
                continue;
              if (!sorted)
                {
                  order  = ascending(e);
                  s      = {{e[order[0]], e[order[1]], e[order[2]], e[order[3]]}};
                  sorted = true;
                }
              double w[4] = {0, 0, 0, 0};
              add_sorted_weights(s, targets[j], w);
              for (int c = 0; c < 4; ++c)
                weights[vertex[order[c]] * n_targets + j] += w[c];
            }
        }
    }
  } // namespace phonons
} // namespace kapitza
