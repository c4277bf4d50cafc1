#pragma once
// Class-resolved re-emission of the strain mismatch model (Interfaces/Re-emission = classes).
// The mode-resolved kernel (strain_mismatch.h) shares the flux among the transport modes by
// their own wavevectors; on a transport q-mesh whose in-plane spacing is several times the
// misfit harmonic 2 pi / D that sharing is a property of the mesh, and SMM's interface drop
// moved by 13 % between the main job's meshes and the finest ones while DMM's, whose
// spectra come from dense sets, stayed within 2 % (docs/roadmap.md). Here the whole
// interface is computed on the dense final-state sets (Interfaces/Spectral files) and only
// coarse-grained onto the transport modes, as spectral DMM does:
// 1. Classes: per frequency bin, the side and the shell of |q_par| (width `class width`;
//    q_par as the mode sets store q, the same cell for both sides of a basal interface).
// 2. On the dense sets, per bin: the golden-rule kernel S_ik of strain_mismatch.h gives
//    each dense mode's expected events P_i and its scattered flux W_i (1 - exp(-P_i));
//    summed by class, E and T, the strain flux between classes is X = d E d with rows T
//    (symmetric balancing). The rest r = M - X 1 (M: class capacities) goes through the
//    background: `parallel momentum` keeps |q_par|, so within each shell the two sides
//    share it as DMM does, r r^T / (r_a + r_b); `diffuse` shares it over the whole bin,
//    r r^T / sum r (exactly spectral DMM when there are no dislocations). F = X + Y is
//    symmetric with rows M.
// 3. Onto the transport modes: carry_class_flux (class_reemission.h) joins bins into
//    channels and shells into groups the transport modes can carry, exactly balanced.

#include "interface/strain_mismatch.h"

#include <mpi.h>

namespace kapitza
{
  /// The group coupling of the transport sets a, b (bins: frequency bin of every mode, both
  /// sides on common bins; the final states' bins in `finals`). The golden rule among the
  /// dense modes is split over the ranks of `communicator` by bin (the result is the same on
  /// every rank). class_width 0: a quarter of
  /// the dense sets' in-plane q-mesh spacing (each dense mode's |q_par| is spread by a Gaussian
  /// of that spacing over the shells).
  ModeCoupling strain_mismatch_classes(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                       const std::vector<int> &bin_b, double channel_width,
                                       const Eigen::Vector3d &normal, const MisfitDislocations &dislocations,
                                       const GoldenRuleFinalStates &finals, double class_width,
                                       StrainMismatchReport &report, MPI_Comm communicator = MPI_COMM_SELF);
} // namespace kapitza
