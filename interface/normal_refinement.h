#pragma once
// A dense harmonic set refined along the interface normal (Interfaces/Normal refinement of
// amm on dense sets). An acoustic-mismatch class (frequency bin, q_par) holds the modes of
// one in-plane point whose frequencies fall in the bin; along the normal one q-mesh step dq
// moves a band by v_n dq, often more than a bin on meshes of a few tens of points, so exact
// classes sample each band's crossing of a bin by a point or none, and the transmitted flux
// grows with the mesh (docs/roadmap.md, AMM). Here every line q_par + t n of the mesh (one
// period of the reciprocal lattice along n) is refined. Across each step the modes of its
// two ends are joined into branches (sorted bands cross between mesh points, so the ends are
// joined one to one into the least bending cubics, see branches() in the .cc), each
// branch is the cubic Hermite polynomial of its frequencies and normal group velocities
// (d omega / dt = v . n), and the step is split into `factor` equal sub-cells. A refined
// mode sits at each sub-cell's midpoint with the cubic's frequency and derivative (its
// v . n), the in-plane velocity interpolated linearly (the mean of a degenerate set's), the
// wavevector q_par + t n of its step's in-plane component, and 1 / factor of the point's
// density. The sum of C v_n density over a branch's sub-cells is then the midpoint rule of
// the integral of C d omega along it: a bin's capacity converges as the sub-cells shrink,
// not only as the mesh does. Sub-cells where the cubic is not positive are left out. The
// acoustic bands at Gamma vanish with a kink: next to Gamma they take the chord's slope,
// not the one-sided velocity a database gives them there. Joining, means and chords keep
// the refined set symmetric under q -> -q.

#include "scattering/mode_set.h"

namespace kapitza
{
  /// The refined set (frequencies, velocities, densities, wavevectors, cell; T0 and the
  /// statistics of `modes`); factor 1 returns the points themselves. Refused in one line if
  /// the set has no wavevectors or cell, if n is not normal to a lattice plane, or if a line
  /// of its q-mesh along n is not equally spaced over one period with the same number of
  /// modes at every point.
  ModeSet refined_along_normal(const ModeSet &modes, const Eigen::Vector3d &normal, unsigned int factor);
} // namespace kapitza
