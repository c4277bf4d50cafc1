#pragma once
// Mode-resolved interface scattering (AMM, SMM): for every mode arriving at a planar
// interface, the entering modes of both sides that its energy flux goes to, with
// fractions. Such couplings are built from a symmetric flux matrix S over the arriving
// modes of both sides: S_ik is the energy flux (per kelvin of a uniform shift) that
// arriving mode i sends into the entering partner of arriving mode k (its mirror image
// for specular models, its time reverse -q for SMM). S = S^T is detailed balance
// (reciprocity), and rows summing to W_i (the flux a 1 K shift carries in mode i) is
// energy conservation; together they keep a uniform temperature uniform exactly.

#include "scattering/mode_set.h"

#include <utility>
#include <vector>

namespace kapitza
{
  /// A coupling between groups of modes (smm with class-resolved re-emission): the energy
  /// flux arriving in group g goes to group h with fraction(g)[h], and h's entering modes
  /// share what it receives in fixed proportions. Held per group and per mode, never per
  /// pair of modes. The flux from arriving i into the entering partner of arriving k is
  /// W_i fraction(g_i, g_k) W_k / W_(g_k): symmetric when W_g fraction(g, h) is.
  struct GroupCoupling
  {
    std::vector<int>  arriving_a, arriving_b; // per mode: group of an arriving mode, -1 otherwise
    std::vector<bool> on_a;                   // per group: its modes are on side a
    std::vector<std::vector<std::pair<int, double>>> fraction; // per group: (group, fraction)
    std::vector<std::vector<std::pair<int, double>>> entering; // per group: (mode, share)
    std::vector<double> crossing; // per group: the fraction of its flux that crosses (set_crossing)

    bool empty() const { return fraction.empty(); }
    /// The fraction of group g's arriving flux that crosses to the other side (the solver asks
    /// per mode and trace at every transmission, so it is summed once by set_crossing).
    double transmitted(int g) const { return crossing[g]; }
    void set_crossing();
  };

  struct ModeCoupling
  {
    // Per arriving mode of a (b): (entering mode, fraction of its energy flux) on the
    // other side (transmission) and on its own side (reflection).
    std::vector<std::vector<std::pair<int, double>>> a_to_b, b_to_a, a_to_a, b_to_b;
    // Or, with no lists, between groups of modes.
    GroupCoupling groups;
  };

  /// The per-mode lists of a group coupling (for inspection and tests: they hold the
  /// product of the modes of every pair of groups that exchange flux).
  void expand_groups(ModeCoupling &coupling);

  /// The flux each arriving mode carries per kelvin of a uniform shift, |v.n| e s,
  /// for the modes arriving at a plane whose normal `out` points away from their side
  /// (zero for the others).
  Eigen::VectorXd arriving_flux_weight(const ModeSet &modes, const Eigen::Vector3d &out);

  /// For each mode, the mode of the same channel with the opposite velocity (time
  /// reversal, -q); an error naming the mode when there is none within 1e-6 |v|.
  std::vector<int> reversed_modes(const ModeSet &modes, const std::vector<int> &channel);
} // namespace kapitza
