#pragma once
// A mode database (ModeSet, DESIGN.md section 1 and 5) from harmonic phonons on a full
// Gamma-centred mesh: every (q, branch) is a mode with density 1/(N_q V_cell), except the
// three acoustic modes at Gamma (omega = 0: they carry no heat and would have w -> inf).

#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/mode_set.h"

#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// The modes and, for each, the mesh point it comes from (its branch is
    /// modes.branch), so that lifetimes or a collision matrix computed on the mesh can be
    /// attached mode by mode.
    struct MeshModeSet
    {
      ModeSet                   modes;
      std::vector<unsigned int> q_index;
      double                    gamma_acoustic = 0; // largest |omega| of the dropped modes
    };

    /// Fills omega, velocity, density, wavevector (Cartesian, with 2 pi) [1/m], branch and
    /// labels, eigenvector, cell, masses and born_charges. Throws when a mode other than
    /// the acoustic ones at Gamma has omega <= 0 (unstable or non-invariant force constants).
    MeshModeSet mesh_mode_set(const ForceConstants &fc, const PhononMesh &mesh,
                              const std::string &material, double temperature,
                              Statistics statistics);

    /// cell, masses and born_charges of a mode set from the primitive cell.
    void set_crystal_fields(const ForceConstants &fc, ModeSet &modes);

    /// An error naming `origin` unless the set's masses and cell (in any orientation: the
    /// metric a a^T) are those of `primitive`.
    void check_cell_and_masses(const ModeSet &modes, const Structure &primitive, const std::string &origin);

    /// tau = 1 / rate of every mode from mesh-ordered rates (n_q, n_branch) [1/s]. A mode
    /// that does not scatter (rate 0: the delta weights found no partner on this mesh)
    /// has no finite lifetime: an error naming it and the remedies.
    void attach_relaxation_rates(const Eigen::MatrixXd &rates, MeshModeSet &set);

    /// Moves the collision matrix into the set (no copy: it is most of a large run's
    /// memory), tau = 1 / its diagonal. Its modes must be the set's (the set leaves out the
    /// acoustic modes at Gamma, the matrix the modes below the frequency cutoff); an error
    /// names the first that differs.
    void attach_collision_matrix(CollisionMatrix &&matrix, unsigned int n_branch, MeshModeSet &set);

    /// Throws naming the first row where the matrix's mesh modes `matrix_modes` differ from
    /// the set's (attach_collision_matrix's requirement, checkable before the matrix exists).
    void require_matrix_modes(const std::vector<unsigned int> &matrix_modes, unsigned int n_branch,
                              const MeshModeSet &set);

    /// Rotates every vector and tensor of the set (velocity, wavevector, cell,
    /// eigenvector, Born charges) so that the crystal's Cartesian `axis` (0, 1, 2 = x, y, z)
    /// becomes x, by the cyclic permutation of axes (a proper rotation): the solver's
    /// transport direction is x.
    void rotate_axis_to_x(unsigned int axis, ModeSet &modes);
  } // namespace phonons
} // namespace kapitza
