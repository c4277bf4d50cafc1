#pragma once
// Linearized three-phonon (and isotope) collision operator on a full q-mesh
// (DESIGN.md section 1: n = nbar + w psi, v.grad psi = -Omega psi).
//
// Every process is a decay c -> b + b' (equivalently the coalescence b + b' -> c) with an
// equilibrium rate Q; linearizing its gain and loss terms gives the contribution
//   w_mu (Omega psi)_mu += Q u_mu (u . psi),   u = -1 at c, +1 at b and b',
// to the rows of all three modes, so W Omega = sum_processes Q u u^T is symmetric and
// positive semidefinite by construction, and sum_mu' Omega_mu,mu' hbar omega_mu' is
// proportional to u . omega = omega_b + omega_b' - omega_c, which vanishes for exact
// delta functions. Q is the mean of the three views of the process that phono3py's
// linewidths take: the decay term of c,
//   (pi / hbar^2) |V|^2 w_c (1 + n_b + n_b') g_c        (classical: n_b + n_b'),
// and the coalescence terms of b and b', (pi / hbar^2) |V|^2 w_b (n_b' - n_c) g_b etc.,
// each with the delta weight g seen from that mode (tetrahedra or Gaussians over the mesh
// of its partners). With exact deltas the three agree; on a mesh they differ, and using
// one mean for all three rows is what makes the matrix symmetric and conserving.
// The weights of the partners are averaged over each set of degenerate modes at q1 and at
// q2 (which set of energy surfaces a mode of such a set follows is an arbitrary choice),
// so that rates and matrix depend on |V|^2 only through its basis-independent sums.
// Since a mesh triplet never conserves energy exactly, each u is replaced by the nearest
// energy-conserving vector u - (u.omega / |omega|^2) omega on its modes (the documented
// per-process projection; its effect on the diagonal is reported), after which the
// identities hold to round-off. Isotope scattering adds elastic pairs u = e_a - e_b with
// Q = w (rate a -> b) / 2 from both rows, treated alike. The other assembly, the default
// (CollisionAssembly::own_view, phono3py's: nearer the q-mesh limit at equal mesh), gives
// each row its own mode's view and projects the symmetrized matrix as a whole.
//
// The relaxation-time rates (relaxation_rates) are phono3py's per-mode linewidths:
// decay and coalescence terms with the delta weights seen from that mode, averaged over
// degenerate modes; they need only the irreducible q-points.

#include "scattering/ab_initio/delta_function.h"
#include "scattering/ab_initio/force_constants.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/progress_report.h"
#include "scattering/mode_set.h"

#include <mpi.h>

#include <array>
#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// How the rows of the collision matrix take a process's rate (docs/results.md).
    enum class CollisionAssembly
    {
      /// Every process enters the rows of all three modes with the mean of its three
      /// views, u projected per process onto energy-conserving vectors: W Omega is a sum of
      /// Q u u^T, symmetric, conserving and positive semidefinite by construction.
      mean_of_views,
      /// phono3py's: each row from its own mode's view (the diagonal carries the mode's
      /// linewidth, the rta rate), W Omega symmetrized (an off-diagonal entry is the mean of
      /// its two modes' views) and then projected as a whole onto the energy-conserving
      /// vectors, (I - e e^T) W Omega (I - e e^T) with e = omega / |omega|. Not semidefinite
      /// by construction: the LBTE solve checks it (collision_conductivity).
      own_view
    };

    struct CollisionOptions
    {
      double     temperature = 300; // [K]
      Statistics statistics  = Statistics::bose;
      Smearing   smearing;
      bool       isotopes   = false;
      /// Mean over the three home atoms of the reciprocal fc3 (phono3py >= 3); off
      /// reproduces phono3py 2.5.1, which produced the shipped reference results.
      bool r0_average = false;
      /// Modes below this [rad/s] do not scatter (phono3py's 1e-4 THz).
      double frequency_cutoff = 1e-4 * units::angular_terahertz;
      /// Of the full matrix (the rates are always each mode's own view). The own view: it
      /// lies nearer the refined limit at every Si mesh from 9^3 to 19^3
      /// (validation/lbte_assembly/); it is not semidefinite by construction (on a coarse
      /// model mesh it is not, tests/test_three_phonon.cc), which the LBTE solve checks.
      CollisionAssembly assembly = CollisionAssembly::own_view;
      /// The relaxation rates' sums over partner q-points run over this sub-mesh of the
      /// q-mesh (every size divides the mesh's), with its own delta weights: each mode of
      /// a dense mesh gets its rate at its own q for (sub-mesh / mesh) of the work
      /// (kapitza-modes --partner-mesh). Zeros: the q-mesh itself. Not for the full matrix.
      std::array<int, 3> partner_mesh{{0, 0, 0}};
    };

    /// The partner mesh of `mesh` that `partners` asks for (zeros: the mesh itself); throws
    /// one line when a size does not divide the mesh's.
    std::array<int, 3> partner_mesh(const std::array<int, 3> &mesh, const std::array<int, 3> &partners);

    /// The rates of a q-point are copied to its star (relaxation_rates), so a partner sub-mesh
    /// `sub` of `mesh` must look the same from every point of a star: invariant under the
    /// point group (`representative`: irreducible_representatives of `mesh`, whose points
    /// suffice). Throws one line otherwise.
    void require_symmetric_partners(const PhononMesh &mesh, const std::array<int, 3> &sub,
                                    const std::vector<unsigned int> &representative);

    /// "mean-of-views" or "own-view" (the command line's and the provenance's words).
    std::string to_string(CollisionAssembly assembly);
    /// The inverse of to_string; throws naming the word otherwise.
    CollisionAssembly parse_collision_assembly(const std::string &word);

    /// Mesh index of the irreducible representative of every q-point (spglib, with time
    /// reversal). Throws naming `origin` when spglib fails.
    std::vector<unsigned int> irreducible_representatives(const Structure  &primitive,
                                                          const PhononMesh &mesh,
                                                          const std::string &origin);

    /// Relaxation rates 1/tau (n_q, n_branch) [1/s] of every mode; computed at the
    /// distinct representatives (distributed over the ranks of `comm`) and copied to the
    /// other q-points. Modes below the cutoff get 0. Every rank gets the result.
    Eigen::MatrixXd relaxation_rates(const ForceConstants &force_constants,
                                     const PhononMesh &mesh, const CollisionOptions &options,
                                     const std::vector<unsigned int> &representative,
                                     MPI_Comm comm);

    /// Seconds (the largest over the ranks) of relaxation_rates or collision_matrix at several
    /// temperatures: the temperature-independent part (|V|^2, delta weights, isotope rates),
    /// combining it with the occupations of all the temperatures (the rates, or the sums of
    /// each matrix), and the assembly of the results (the sums over the ranks and, for the
    /// matrices, their final form on rank 0).
    struct RateTimes
    {
      double strengths   = 0;
      double occupations = 0;
      double assembly    = 0;
    };

    /// The rates at each of `temperatures` (options.temperature is not used): |V|^2, the
    /// delta weights and the isotope rates do not depend on T, so each representative's are
    /// computed once and combined with every temperature's occupations. Each matrix equals
    /// that of a single-temperature call to round-off (it is the same arithmetic).
    /// `progress` (optional) follows this rank's representatives.
    std::vector<Eigen::MatrixXd> relaxation_rates(const ForceConstants &force_constants,
                                                  const PhononMesh &mesh, const CollisionOptions &options,
                                                  const std::vector<double> &temperatures,
                                                  const std::vector<unsigned int> &representative,
                                                  MPI_Comm comm, RateTimes *times = nullptr,
                                                  ProgressReport *progress = nullptr);

    /// The mesh modes q * n_branch + s at or above `frequency_cutoff` (ascending): those that
    /// scatter, the rows of the collision matrix.
    std::vector<unsigned int> scattering_modes(const PhononMesh &mesh, double frequency_cutoff);

    struct CollisionMatrix
    {
      /// The mesh modes q * n_branch + s of the rows (and columns), ascending: those at or
      /// above the frequency cutoff (the others do not scatter).
      std::vector<unsigned int> mesh_mode;
      /// Omega [1/s] over those modes. Only on rank 0 of the communicator.
      Eigen::MatrixXd omega;
      /// The linewidths before the energy projection [1/s]: the diagonal without the
      /// per-process projection (mean_of_views), each mode's own linewidth (own_view: the
      /// rta rate before the degenerate average; a process that repeats the mode adds to the
      /// diagonal beyond it).
      Eigen::VectorXd unprojected_rate;
      /// Size of the projection: sum_mu |change of (W Omega)_mu,mu| / sum_mu (W Omega)_mu,mu.
      double projection = 0;
    };

    /// The full collision matrix at options.temperature, q-rows distributed over the ranks of
    /// `comm`; `progress` (optional) follows this rank's rows.
    CollisionMatrix collision_matrix(const ForceConstants &force_constants,
                                     const PhononMesh &mesh, const CollisionOptions &options,
                                     MPI_Comm comm, ProgressReport *progress = nullptr);

    /// The matrices at each of `temperatures` (options.temperature is not used), as
    /// relaxation_rates at several temperatures: each row's |V|^2 and delta weights are
    /// computed once and its processes added to every temperature's sums, so each matrix is
    /// that of a single-temperature call (the same arithmetic). Every rank holds one N x N
    /// sum per temperature until the assembly.
    std::vector<CollisionMatrix> collision_matrix(const ForceConstants &force_constants,
                                                  const PhononMesh &mesh, const CollisionOptions &options,
                                                  const std::vector<double> &temperatures, MPI_Comm comm,
                                                  RateTimes *times = nullptr,
                                                  ProgressReport *progress = nullptr);
  } // namespace phonons
} // namespace kapitza
