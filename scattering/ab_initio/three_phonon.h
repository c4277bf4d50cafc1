#pragma once
// Three-phonon interaction strength from third-order force constants (phono3py's
// formalism, Togo et al., PRB 91, 094306 (2015)):
//   V(l0, l1, l2) = (1/sqrt N) sqrt(hbar^3 / (8 w0 w1 w2)) sum_{k a} Phi_{a0 a1 a2}(q0 k0, q1 k1, q2 k2)
//                   e_{k0 a0}(l0) e_{k1 a1}(l1) e_{k2 a2}(l2) / sqrt(m_k0 m_k1 m_k2)
// for triplets q0 + q1 + q2 = G on the mesh, with the reciprocal fc3
//   Phi(q0 k0, q1 k1, q2 k2) = e^{2 pi i G.(x_k0 - x_0)}
//       sum_{j in k1, l in k2} Phi(k0, j, l) <e^{2 pi i q1.r_k0j}> <e^{2 pi i q2.r_k0l}>,
// where <.> averages over the equally short images r of a supercell atom relative to the
// home atom k0 (minimum image with multiplicity). With `r0_average` (phono3py's
// make_r0_average) Phi is the mean of the three sums that put each of the three atoms in
// the home cell, which makes |V|^2 symmetric under permutations of the triplet. Without it
// the lifetimes of Si-PBEsol match phono3py 2.5.1 better (mean deviation 0.3 % vs 0.9 %).
// |V|^2 enters the rates as 1/tau_l0 = (pi / hbar^2) sum_{q1 l1 l2} |V|^2 {...}.

#include "scattering/ab_initio/force_constants.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/node_shared_array.h"

#include <complex>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// Minimum-image vectors of a supercell: for primitive atom i (the supercell atom
    /// p2s[i]) and supercell atom j, every vector r_j - r_p2s[i] + L (L a supercell
    /// lattice vector) whose length is within `tolerance` [m] of the shortest, in
    /// fractional coordinates of the primitive lattice.
    struct SupercellImages
    {
      unsigned int                              n_supercell = 0;
      std::vector<std::vector<Eigen::Vector3d>> vectors; // index i * n_supercell + j

      const std::vector<Eigen::Vector3d> &operator()(unsigned int i, unsigned int j) const
      {
        return vectors[i * n_supercell + j];
      }
    };

    SupercellImages shortest_vectors(const Structure &primitive, const Supercell &supercell,
                                     double tolerance = 1e-5 * 1e-10);

    class ThreePhononInteraction
    {
    public:
      /// Modes below `frequency_cutoff` [rad/s] (acoustic modes at Gamma) do not interact.
      /// Collective over `comm` (every rank builds the same interaction): the ranks of a node
      /// hold the third-atom sums of every q2 once, and each tabulates a share of them. With
      /// `sub_mesh_partners` only the partner strength() below is available, and each rank
      /// tabulates the sums of the q2 its current row needs (one coset of the sub-mesh, its
      /// size): memory of the sub-mesh, not of the mesh.
      ThreePhononInteraction(const ForceConstants &force_constants, const PhononMesh &mesh,
                             bool r0_average, double frequency_cutoff, MPI_Comm comm,
                             bool sub_mesh_partners = false);

      /// |V(q0 s0, k s1, q2 s2)|^2 [J^2] with q2 = -q0 - k for every k of the mesh,
      /// row-major (k, s0, s1, s2).
      void strength(unsigned int q0, std::vector<double> &result) const;

      /// The same for the partners k = partners[j] only (a sub-mesh of the mesh: the rates
      /// of kapitza-modes --partner-mesh), row-major (j, s0, s1, s2). The 1/N of the sum
      /// over partners is 1/partners.size(), so that the strengths pair with delta weights
      /// of the sub-mesh. `partners` must be a sub-mesh (a subgroup of the mesh) when the
      /// interaction was built for sub-mesh partners: rows of one coset share their tables.
      void strength(unsigned int q0, const std::vector<unsigned int> &partners, std::vector<double> &result);

      /// Mesh index of q2 = -q0 - k.
      unsigned int third(unsigned int q0, unsigned int k) const;
      /// Mesh index of -q.
      unsigned int minus(unsigned int q) const { return minus_of[q]; }

      const PhononMesh &phonons() const { return mesh; }

      /// Whether strength() computes half the columns (exchange_symmetric below).
      bool computes_half_the_columns() const { return exchange_symmetric; }

    private:
      using Complex = std::complex<double>;

      /// Reciprocal fc3 Phi for the k of `columns`, layout x0 + nb (x2 + nb (x1 + nb j)),
      /// j the position of k in `columns`.
      void reciprocal_fc3(unsigned int q0, const std::vector<unsigned int> &q2_of,
                          const std::vector<unsigned int> &columns, std::vector<Complex> &phi) const;
      /// |V|^2 of `columns` from Phi: column c goes to slot slot_of[c] of `result` (n_slots
      /// slots of nb^3), with the exchanged column q2 too when `exchanged`; 1/N = 1/n_slots.
      void contract(unsigned int q0, const std::vector<unsigned int> &q2_of,
                    const std::vector<unsigned int> &columns, const std::vector<unsigned int> &slot_of,
                    unsigned int n_slots, bool exchanged, std::vector<double> &result) const;
      void add_home_leg(const std::vector<unsigned int> &q2_of, const std::vector<unsigned int> &columns,
                        const std::vector<Complex> &pre, std::vector<Complex> &phi) const;
      void add_partner_legs(unsigned int q0, const std::vector<unsigned int> &q2_of,
                            const std::vector<unsigned int> &columns, const std::vector<Complex> &pre,
                            std::vector<Complex> &phi) const;
      void tabulate_third_atom_sums(const std::vector<unsigned int> &points, int share, int shares,
                                    double *sums_real, double *sums_imag) const;
      void coset_tables(const std::vector<unsigned int> &q2_of, const std::vector<unsigned int> &partners);
      Complex phase(unsigned int i, unsigned int j, unsigned int q) const
      {
        return phases[(i * n_super + j) * n_q + q];
      }
      /// Offset of the third-atom sums of (table slot of q2, home atom i, third class c2,
      /// second class c1).
      std::size_t third_atom_sum_index(unsigned int slot, unsigned int i, unsigned int c2,
                                       unsigned int c1) const
      {
        return (((std::size_t(slot) * n_atoms + i) * n_atoms + c2) * n_atoms + c1) * class_size *
               padded_27;
      }
      /// The 27 Cartesian triples abc padded to 28, so that the vectorized loops over
      /// them need no remainder.
      static constexpr unsigned int padded_27 = 28;

      const PhononMesh &mesh;
      bool              r0_average;
      /// fc3(i, j, l, abc) = fc3(i, l, j, acb) (to 1e-12 of its largest value): then
      /// |V(q0 s0, k s1, q2 s2)|^2 = |V(q0 s0, q2 s2, k s1)|^2, and strength() computes only
      /// the k with k <= q2 and copies the rest (half the work; the same values otherwise).
      bool              exchange_symmetric = false;
      double            frequency_cutoff;
      unsigned int      n_atoms, n_super, n_q, n_band, class_size;
      std::vector<std::array<int, 3>> address;
      std::vector<unsigned int>       minus_of;      // mesh index of -q
      std::vector<double>             fc3;           // (i, j, l, abc) [J/m^3]
      std::vector<std::vector<int>>   class_atoms;   // supercell atoms imaging each primitive atom
      std::vector<Complex>            phases;        // <e^{2 pi i q.r_ij}>: (i, j, q)
      std::vector<Eigen::Vector3d>    basis_offset;  // x_i - x_0, fractional
      /// The home leg's sum over the third atom, the same for every q0 and so tabulated
      /// once for all q2 (n_q n_atoms^2 n_super 28 complex numbers: 150 MB for Si 11^3,
      /// 790 MB for AlN 13x13x9, 9.5 GB for 4H-SiC 24x24x8), held once per node:
      /// S(q2, i, c2, j, abc) = sum_{l in class c2} fc3(i, j, l, abc) <e^{2 pi i q2.r_il}>,
      /// j the m-th atom of class c1 (third_atom_sum_index + padded_27 m + abc); real parts
      /// first, then the imaginary parts (at + n_third_sums), so that the per-row sum over j
      /// vectorizes.
      NodeSharedArray third_sums;
      std::size_t     n_third_sums = 0;
      /// Where the sums of the present tables start (third_sums, or own_sums), and the slot
      /// of each q2 in them (n_q: not tabulated).
      const double             *sums_real = nullptr;
      std::vector<unsigned int> table_slot;
      /// Sub-mesh partners: fc3 of home atom i restricted to third atoms of class c (rows
      /// (j, abc), columns the class atoms; index i * n_atoms + c), kept to tabulate each
      /// coset's sums into this rank's own_sums, and the q2 tabulated there (ascending).
      /// Empty otherwise.
      std::vector<std::vector<double>> fc3_by_class;
      std::vector<double>              own_sums;
      std::vector<unsigned int>        tabulated;
      /// <e^{2 pi i q1.r_ij}> by (q1, i, c1, m), j the m-th atom of class c1.
      std::vector<double> second_phase_real, second_phase_imag;
      /// Mass-scaled eigenvectors e_{k a}(q, s) / sqrt(m_k) of every q-point.
      std::vector<Eigen::MatrixXcd> scaled_eigenvectors;
    };
  } // namespace phonons
} // namespace kapitza
