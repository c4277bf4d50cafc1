#pragma once
// The sums that make the collision matrix of one temperature (collision_matrix.h): with the
// mean of views every process adds Q u u^T, u projected onto the energy-conserving vectors
// of its modes, to a = W Omega (up to the constant density); with the own view it adds its
// row mode's view Q u_0 u^T to that mode's row alone, and the assembly symmetrizes and
// projects the whole. The ranks' sums meet on rank 0, which forms Omega = W^-1 a. The
// matrix spans only the modes that scatter (at or above the frequency cutoff), so that it
// is the database's matrix as it stands and is never copied to drop the others. One
// object per temperature lets one computation of |V|^2 and the delta weights feed the
// matrices of several temperatures.

#include "scattering/ab_initio/collision_matrix.h"

#include <Eigen/Dense>
#include <mpi.h>

#include <stdexcept>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    class CollisionSums
    {
    public:
      /// `mesh_mode`: the mesh modes q * n_branch + s that scatter (ascending), the rows of
      /// the matrix; `omega` [rad/s] of each of them; `n_mesh_modes` all the mesh's modes.
      /// Both vectors must outlive this object.
      CollisionSums(const std::vector<unsigned int> &mesh_mode, const Eigen::VectorXd &omega,
                    std::size_t n_mesh_modes, CollisionAssembly assembly);

      /// Adds a process of rate q on `count` mesh modes with the coefficients u; the first
      /// mode is one of the current row. Every mode must scatter.
      void add(double q, const unsigned int *mesh_modes, const double *coefficients, int count)
      {
        unsigned int modes[3];
        for (int i = 0; i < count; ++i)
          modes[i] = row_of(mesh_modes[i]);
        if (assembly == CollisionAssembly::own_view)
          add_own_view(q, modes, coefficients, count);
        else
          add_mean_of_views(q, modes, coefficients, count);
      }

      /// Sums the ranks' contributions onto rank 0 and forms the matrix there, with the
      /// weights w (n_q, n_branch) of this temperature; releases this
      /// rank's sums. Every rank of `comm` calls it; only rank 0's result holds the matrix.
      CollisionMatrix assemble(const Eigen::MatrixXd &weight, MPI_Comm comm);

    private:
      unsigned int row_of(unsigned int mode) const
      {
        const int row = matrix_row[mode];
        if (row < 0)
          throw std::logic_error("a scattering process includes a mode below the frequency cutoff");
        return row;
      }
      // Repeated modes merged, u projected, added to all the process's rows.
      void add_mean_of_views(double q, const unsigned int *modes, const double *coefficients, int count);
      // To the first mode's row only, each listed mode's coefficient (a repeated mode adds
      // on): the linearized gain and loss of that mode.
      void add_own_view(double q, const unsigned int *modes, const double *coefficients, int count);
      // (I - e e^T) a (I - e e^T), e = omega / |omega|.
      void project_energy();

      const std::vector<unsigned int> &mesh_mode;
      const Eigen::VectorXd           &omega;
      std::vector<int>                 matrix_row; // of every mesh mode; -1: does not scatter
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
