#pragma once
// Acoustic mismatch (AMM) between anisotropic (ab initio) mode sets at a coherent interface
// with normal n: specular and elastic, conserving the frequency (the interface's channels)
// and the wavevector along the interface, q_par, modulo the in-plane reciprocal lattice (the
// interface is periodic with the common in-plane lattice of both crystals).
//
// Arriving modes are grouped into classes (channel, q_par folded into the in-plane zone);
// their entering partners are time reverses (mode_coupling.h): arriving i sends flux into
// -q_k of arriving k with q_k,par = -q_i,par. Within a class the modes are ordered by their
// normal acoustic impedance Z = rho |v|^2 / |v.n| (rho v / cos(theta) for nondispersive
// bands, the impedance of the Swartz-Pohl AMM; group velocities for dispersive ones), and
//  - transmission: the arriving flux of class p on side a and of class -p on side b are
//    paired in order of Z (the monotone coupling: slow with slow, like with like, so for
//    isotropic bands polarization with polarization); each paired amount F_ik transmits
//    S_ik = tau_ik F_ik, tau_ik = 4 Z_i Z_k / (Z_i + Z_k)^2 (Swartz and Pohl, Rev. Mod.
//    Phys. 61, 605 (1989), eq. 3.9, with Z / cos(theta) as Z_i). Flux of the side with more
//    flux in the class and the largest impedances stays unpaired: Snell's total reflection;
//  - reflection: what each mode does not transmit is paired the same way with the residuals
//    of the same side's class -p (for p = -p: with itself, i.e. into -q_i);
//  - a residual without a partner (classes p and -p of unequal flux: without a symmetry
//    q_par -> -q_par, or, with one, because near-degenerate modes of the two classes carry
//    velocities from different bases of their subspaces) is sent back into -q_i (S_ii), and
//    its fraction reported; so are modes whose v.n vanishes by symmetry but arrives with a
//    round-off sign (standing, |v.n| < 1e-9 of the largest |v|), outside the report.
// S is symmetric by construction (detailed balance) and its rows are W (energy flux
// conservation); both are checked to round-off on return. Two identical materials give
// tau = 1 for every paired amount and equal class fluxes: every mode transmits fully.
// Needs wavevectors and cells with one in-plane lattice and the same in-plane q-mesh on
// both sides (a coherent interface; a semi-coherent one is smm's). With `pseudomorphic`,
// in-plane lattices that differ by a uniform scale s are taken as both strained onto one
// lattice (an epitaxial, coherently strained interface): q_par is conserved in in-plane
// reduced coordinates (b's basis is s times a's), while each side keeps the modes of its
// unstrained crystal, so the strain's shift of the bands is neglected; s - 1 is reported.

#include "interface/mode_coupling.h"

#include <string>
#include <utility>
#include <vector>

namespace kapitza
{
  struct AnisotropicMismatchReport
  {
    double transmitted  = 0; // fraction of the arriving flux (both sides) that crosses
    double back_scattered = 0; // fraction sent into -q_i for lack of a class partner
    double asymmetry    = 0; // max |S_ik - S_ki| / max S
    double conservation = 0; // max |sum_k S_ik - W_i| / W_i
    unsigned int classes = 0; // (channel, q_par) classes with arriving modes
    double arriving     = 0; // arriving flux per kelvin, both sides (the fractions' reference)
    double misfit       = 0; // b's in-plane lattice over a's, minus 1 (nonzero only if pseudomorphic)
  };

  using InPlaneLattice = Eigen::Matrix<double, 3, 2>; // columns: a reduced basis [m]

  /// The lattice vectors of `modes` (its cell) in the plane normal to n, as a reduced basis
  /// (its two shortest independent vectors); refused in one line if n is not normal to a
  /// lattice plane.
  InPlaneLattice in_plane_lattice(const ModeSet &modes, const Eigen::Vector3d &n);

  /// For each mode, its time reverse on the q-mesh: the mode at -q (modulo the reciprocal
  /// lattice) of the same channel with velocity -v, one to one (an involution); an error
  /// naming a mode without one. Needs wavevectors and the cell.
  std::vector<int> time_reversed_on_mesh(const ModeSet &modes, const std::vector<int> &channel);

  /// The summary-line words for a construction: classes, transmitted flux, the flux sent back
  /// for lack of a partner, and the checks of detailed balance and energy.
  std::string describe(const AnisotropicMismatchReport &report);

  /// A mode arriving at the interface, as the construction sees it.
  struct AmmArrival
  {
    bool   side_a;
    int    mode;
    double flux;      // W [per kelvin]
    double impedance; // rho |v|^2 / |v.n|
    bool   standing;  // v.n at round-off: sent back into -q, outside the classes
  };

  /// S over arriving modes (indices), both orders: ((i, k), S_ik) sorted by (i, k), one entry
  /// per pair (a sorted list: a third of a map's memory on refined dense sets).
  using FluxMatrix = std::vector<std::pair<std::pair<int, int>, double>>;

  /// The construction's flux matrix over the arriving modes of both sides (checked:
  /// symmetric, rows W).
  struct AnisotropicFlux
  {
    std::vector<AmmArrival> arriving;
    FluxMatrix              S;
  };

  AnisotropicFlux anisotropic_mismatch_flux(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                                            const std::vector<int> &channel_b, const Eigen::Vector3d &normal,
                                            double density_a, double density_b, bool pseudomorphic,
                                            AnisotropicMismatchReport &report);

  /// The construction's flux matrix as a coupling of the modes (arriving into the time
  /// reverses of arriving ones).
  ModeCoupling anisotropic_acoustic_mismatch(const ModeSet &a, const ModeSet &b, const std::vector<int> &channel_a,
                                             const std::vector<int> &channel_b, const Eigen::Vector3d &normal,
                                             double density_a, double density_b, bool pseudomorphic,
                                             AnisotropicMismatchReport &report);
} // namespace kapitza
