#pragma once
// A crystal whose three-phonon physics is known in closed form: simple cubic, one atom,
// nearest-neighbour bonds with the energy K/2 d^2 + K3/6 d^3 of the bond stretch
// d = (u_l - u_0) . n. Polarizations are the Cartesian axes with
//   omega_a(q)^2 = (2K/m)(1 - cos 2 pi q_a),
// and only three phonons polarized along the same axis a interact:
//   |V|^2 = K3^2 hbar^3 prod_i 4 sin^2(pi q_i,a) / (8 N m^3 w0 w1 w2).

#include "scattering/ab_initio/force_constants.h"
#include "scattering/ab_initio/harmonic_phonons.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kapitza::testing
{
  struct CubicModel
  {
    double a = 3e-10, mass = 4.66e-26, k2 = 10.0, k3 = -2e11; // m, kg, J/m^2, J/m^3

    phonons::Structure cell(int n) const
    {
      phonons::Structure s;
      s.lattice = a * n * Eigen::Matrix3d::Identity();
      s.fractional.resize(n * n * n, 3);
      for (int i = 0; i < n * n * n; ++i)
        s.fractional.row(i) << double(i % n) / n, double((i / n) % n) / n, double(i / (n * n)) / n;
      s.symbols.assign(n * n * n, "Si");
      s.masses = Eigen::VectorXd::Constant(n * n * n, mass);
      return s;
    }

    /// Compact fc3 of the bonds of atom 0 in a 3x3x3 supercell (neighbours have one image).
    phonons::ForceConstants force_constants() const
    {
      phonons::ForceConstants fc;
      fc.primitive                   = cell(1);
      fc.fc3_supercell.structure     = cell(3);
      fc.fc3_supercell.matrix        = 3 * Eigen::Matrix3i::Identity();
      fc.fc3_supercell.primitive_to_supercell = {0};
      fc.fc3_supercell.supercell_to_primitive.assign(27, 0);
      fc.fc2_supercell = fc.fc3_supercell;
      fc.fc3.assign(27 * 27 * 27, 0.0);
      for (int axis = 0; axis < 3; ++axis)
        for (int sign : {-1, 1})
          {
            int offset[3] = {0, 0, 0};
            offset[axis]  = (3 + sign) % 3;
            const int l   = offset[0] + 3 * offset[1] + 9 * offset[2];
            // d^3 derivatives: K3 n_a n_b n_c s_i s_j s_k with s_0 = -1, s_l = +1.
            for (int j : {0, l})
              for (int k : {0, l})
                {
                  const double s = -1.0 * (j == 0 ? -1 : 1) * (k == 0 ? -1 : 1);
                  fc.fc3[((0 * 27 + j) * 27 + k) * 27 + axis * 13] += k3 * sign * s;
                }
          }
      return fc;
    }

    double frequency(double q, int) const
    {
      return std::sqrt(2 * k2 / mass * (1 - std::cos(2 * M_PI * q)));
    }

    /// Gamma-centred n^3 mesh with branches sorted by frequency.
    phonons::PhononMesh mesh(int n) const
    {
      phonons::PhononMesh m;
      m.size = {{n, n, n}};
      const int n_q = n * n * n;
      m.q_fractional.resize(n_q, 3);
      m.omega.resize(n_q, 3);
      for (int q = 0; q < n_q; ++q)
        {
          const int address[3] = {q % n, (q / n) % n, q / (n * n)};
          Eigen::Vector3d f;
          for (int d = 0; d < 3; ++d)
            {
              int x = address[d];
              if (2 * x > n)
                x -= n;
              f[d] = double(x) / n;
            }
          m.q_fractional.row(q) = f.transpose();
          std::array<int, 3> order{{0, 1, 2}};
          std::sort(order.begin(), order.end(), [&](int i, int j) {
            return frequency(f[i], i) < frequency(f[j], j);
          });
          Eigen::MatrixXcd e = Eigen::MatrixXcd::Zero(3, 3);
          phonons::Positions v(3, 3);
          v.setZero();
          for (int s = 0; s < 3; ++s)
            {
              const int    axis = order[s];
              const double w    = frequency(f[axis], axis);
              m.omega(q, s)     = w;
              e(axis, s)        = 1;
              if (w > 0)
                v(s, axis) = k2 / mass * std::sin(2 * M_PI * f[axis]) * a / w; // K a sin / (m w)
            }
          m.eigenvectors.push_back(e);
          m.velocity.push_back(v);
        }
      return m;
    }

    /// Polarization axis of branch s at q.
    static int axis(const phonons::PhononMesh &m, unsigned int q, unsigned int s)
    {
      int best = 0;
      m.eigenvectors[q].col(s).cwiseAbs().maxCoeff(&best);
      return best;
    }
  };
} // namespace kapitza::testing
