#pragma once
// The sums that make the collision matrix of one temperature (collision_matrix.h): with the
// mean of views every process adds Q u u^T, u projected onto the energy-conserving vectors
// of its modes, to a = W Omega (up to the constant density); with the own view it adds its
// row mode's view Q u_0 u^T to that mode's row alone, and the assembly symmetrizes and
// projects the whole. The ranks' sums meet on rank 0, which forms Omega = W^-1 a. One
// object per temperature lets one computation of |V|^2 and the delta weights feed the
// matrices of several temperatures.

#include "scattering/ab_initio/collision_matrix.h"

#include <Eigen/Dense>
#include <mpi.h>

namespace kapitza
{
  namespace phonons
  {
    class CollisionSums
    {
    public:
      /// `omega` [rad/s] of every mesh mode q * n_branch + s; it must outlive this object.
      CollisionSums(const Eigen::VectorXd &omega, CollisionAssembly assembly);

      /// Adds a process of rate q on `count` modes with the coefficients u; the first mode
      /// is one of the current row.
      void add(double q, const unsigned int *modes, const double *coefficients, int count)
      {
        if (assembly == CollisionAssembly::own_view)
          add_own_view(q, modes, coefficients, count);
        else
          add_mean_of_views(q, modes, coefficients, count);
      }

      /// Sums the ranks' contributions onto rank 0 and forms the matrix there, with the
      /// weights w (n_q, n_branch) of this temperature (zero below the cutoff); releases this
      /// rank's sums. Every rank of `comm` calls it; only rank 0's result holds the matrix.
      CollisionMatrix assemble(const Eigen::MatrixXd &weight, MPI_Comm comm);

    private:
      // Repeated modes merged, u projected, added to all the process's rows.
      void add_mean_of_views(double q, const unsigned int *modes, const double *coefficients, int count);
      // To the first mode's row only, each listed mode's coefficient (a repeated mode adds
      // on): the linearized gain and loss of that mode.
      void add_own_view(double q, const unsigned int *modes, const double *coefficients, int count);
      // (I - e e^T) a (I - e e^T), e = omega / |omega| over the modes that scatter.
      void project_energy(const Eigen::MatrixXd &weight);

      const Eigen::VectorXd  &omega;
      const CollisionAssembly assembly;
      // Every process includes a mode of the current row (listed first), so its pairs with
      // that mode go to the row mode's column (contiguous) and the pair of its two partners
      // to one entry, their diagonals to a vector: one distant cache line per process instead
      // of six. `a` holds each off-diagonal pair once, in either slot, until the assembly
      // sums the two slots.
      Eigen::MatrixXd a;
      Eigen::VectorXd raw_diagonal;     // without the energy projection
      Eigen::VectorXd partner_diagonal; // of the modes after the first
    };

    // Inline: called for every process in the innermost loop of the assembly.
    inline void CollisionSums::add_own_view(double q, const unsigned int *modes, const double *coefficients,
                                            int count)
    {
      // Column m0 holds row m0's entries; the assembly adds each off-diagonal slot to its
      // transpose, so half of each gives the mean of the two modes' views.
      double      *home = &a(0, modes[0]);
      const double own  = q * coefficients[0];
      raw_diagonal[modes[0]] += own * coefficients[0];
      home[modes[0]] += own * coefficients[0];
      for (int i = 1; i < count; ++i)
        home[modes[i]] += (modes[i] == modes[0] ? 1 : 0.5) * own * coefficients[i];
    }

    inline void CollisionSums::add_mean_of_views(double q, const unsigned int *modes, const double *coefficients,
                                                 int count)
    {
      // Merge repeated modes, then project u onto omega^perp on these modes.
      unsigned int m[3];
      double       u[3];
      int          n = 0;
      for (int i = 0; i < count; ++i)
        {
          int j = 0;
          while (j < n && m[j] != modes[i])
            ++j;
          if (j == n)
            {
              m[n]   = modes[i];
              u[n++] = 0;
            }
          u[j] += coefficients[i];
        }
      double dot = 0, norm = 0;
      for (int i = 0; i < n; ++i)
        {
          dot += u[i] * omega[m[i]];
          norm += omega[m[i]] * omega[m[i]];
          raw_diagonal[m[i]] += q * u[i] * u[i];
        }
      for (int i = 0; i < n; ++i)
        u[i] -= dot / norm * omega[m[i]];
      double *home = &a(0, m[0]);
      home[m[0]] += q * u[0] * u[0];
      for (int i = 1; i < n; ++i)
        {
          home[m[i]] += q * u[0] * u[i];
          partner_diagonal[m[i]] += q * u[i] * u[i];
        }
      if (n == 3)
        a(m[1], m[2]) += q * u[1] * u[2];
    }
  } // namespace phonons
} // namespace kapitza
