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
  struct ModeCoupling
  {
    // Per arriving mode of a (b): (entering mode, fraction of its energy flux) on the
    // other side (transmission) and on its own side (reflection).
    std::vector<std::vector<std::pair<int, double>>> a_to_b, b_to_a, a_to_a, b_to_b;
  };

  /// The flux each arriving mode carries per kelvin of a uniform shift, |v.n| e s,
  /// for the modes arriving at a plane whose normal `out` points away from their side
  /// (zero for the others).
  Eigen::VectorXd arriving_flux_weight(const ModeSet &modes, const Eigen::Vector3d &out);

  /// For each mode, the mode of the same channel with the opposite velocity (time
  /// reversal, -q); an error naming the mode when there is none within 1e-6 |v|.
  std::vector<int> reversed_modes(const ModeSet &modes, const std::vector<int> &channel);
} // namespace kapitza
