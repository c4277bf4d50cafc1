#pragma once
// Mode Grueneisen parameters from second- and third-order force constants (the
// perturbative formula of phono3py's phonon3/gruneisen.py, Fabian and Allen 1997):
//   gamma_s(q) = -(1 / (6 omega_s^2)) e_s^+ (dD/d eps) e_s,
//   dD/d eps(q)_{ka,k'b} = sum_{l'} [sum_{l''k''} Phi_abg(0k, l'k', l''k'') d_g(l''k'')]
//                          / sqrt(m_k m_k') exp(i 2 pi q . (r_l'k' - r_0k)),
// the change of the dynamical matrix under a uniform isotropic strain eps (every length
// times 1 + eps): atom l''k'' moves by eps d(l''k''), d = r_l''k'' - r_0k (minimum image
// from the home atom, averaged over equally short images) plus the internal relaxation of
// its sublattice (non-zero where the site symmetry allows it, e.g. the u parameter of
// wurtzite; phono3py's X, its default). gamma = -d ln omega / d ln V with V = V0 (1 + eps)^3.
// The phase is that of DynamicalMatrix (harmonic_phonons.h), so that its eigenvectors can
// be used. Within a degenerate set (degenerate_sets) every mode gets the mean over the set
// (the trace: independent of the basis); the acoustic modes at Gamma (omega below
// degeneracy_frequency) get 0 and are left out of means. The strain dependence of the
// dipole-dipole term of polar crystals is not included (fc3 only, as phono3py).

#include "scattering/ab_initio/dynamical_matrix.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "scattering/ab_initio/three_phonon.h"

#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// Internal displacement of each primitive atom per unit isotropic strain [m] (rows):
    /// the relaxation that makes the forces of the strained crystal vanish, from fc2 at
    /// Gamma (pseudo-inverse over the optical modes, no centre-of-mass motion).
    Positions internal_strain(const ForceConstants &fc);

    /// The net force per unit isotropic strain on each primitive atom [N] (rows) with the
    /// sublattices displaced by `internal` (internal_strain: zero force).
    Positions strain_force(const ForceConstants &fc, const Positions &internal);

    class GruneisenParameters
    {
    public:
      /// Needs fc3 (fc.fc3 not empty); throws otherwise.
      explicit GruneisenParameters(const ForceConstants &fc);

      /// dD/d eps at q (reciprocal primitive basis, without 2 pi) [1/s^2].
      Eigen::MatrixXcd strain_derivative(const Eigen::Vector3d &q_fractional) const;

      /// gamma of every branch of the phonons (omega, eigenvectors) at q.
      Eigen::VectorXd at(const Eigen::Vector3d &q_fractional, const Eigen::VectorXd &omega,
                         const Eigen::MatrixXcd &eigenvectors) const;

      /// (n_q, n_branch) gamma on a mesh of these force constants.
      Eigen::MatrixXd on_mesh(const PhononMesh &mesh) const;

    private:
      // dPhi/d eps of one (primitive atom i, fc3-supercell atom j) pair over sqrt(m_i m_j).
      struct Pair
      {
        unsigned int    i, j;
        Eigen::Matrix3d block; // [1/s^2]
      };
      unsigned int      n_atoms;
      std::vector<int>  supercell_to_primitive; // of the fc3 supercell
      std::vector<Pair> pairs;
      SupercellImages   images; // of the fc3 supercell, fractional
    };

    /// Heat-capacity-weighted mean of gamma (the thermodynamic Grueneisen parameter):
    /// sum C gamma / sum C over the given modes.
    double thermodynamic_gruneisen(const Eigen::VectorXd &gamma, const Eigen::VectorXd &heat_capacity);

    /// Sets modes.gruneisen of every set from mesh-ordered gamma (n_q, n_branch); returns
    /// one line per set with the thermodynamic mean at its T0.
    std::string attach_gruneisen(const Eigen::MatrixXd &gamma, std::vector<MeshModeSet> &sets);

    /// Database provenance key `thermodynamic_gruneisen` (the mean at the set's T0) of a
    /// set with Grueneisen parameters; nothing otherwise.
    void record_gruneisen(const ModeSet &modes, Provenance &provenance);
  } // namespace phonons
} // namespace kapitza
