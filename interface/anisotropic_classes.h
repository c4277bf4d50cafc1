#pragma once
// Acoustic mismatch on dense harmonic sets (Interfaces/Model = amm with Spectral files).
// On a transport q-mesh the (frequency channel, q_par) classes of the anisotropic AMM
// (anisotropic_mismatch.h) hold few partners, and the transmitted flux grows with the mesh
// (Si | Ge 301 / 359 / 453 MW/m^2K on 11 / 15 / 19^3, docs/roadmap.md). Here the
// construction runs on the dense sets of Interfaces/Spectral files, refined along the
// normal (normal_refinement.h), each refined mode in the bin of its own frequency; its flux
// matrix S (symmetric, rows W) is summed into classes of (bin, side, |q_par| shell) with
// the Gaussian shares of class_reemission.h, F = sum_ik shares_i S_ik shares_k^T, and
// carried by the transport modes' groups (carry_class_flux): energy conservation and
// detailed balance hold exactly on the transport modes, and the Landauer conductance is the
// dense sets'.

#include "interface/anisotropic_mismatch.h"
#include "interface/class_reemission.h"
#include "interface/spectral_capacity.h"

namespace kapitza
{
  struct AnisotropicClassesReport
  {
    AnisotropicMismatchReport dense;          // the construction on the refined dense sets
    ClassCarryReport          carried;        // onto the transport modes
    unsigned int              refined_a = 0, refined_b = 0; // refined dense modes per side
    double                    class_width = 0, spacing = 0; // shell width, dense in-plane spacing [1/m]
  };

  /// The dense sets of both sides (at the transport T0) and the transport sets a, b with
  /// every mode's bin (bins: the interface's frequency bins).
  ModeCoupling anisotropic_mismatch_classes(const ModeSet &a, const ModeSet &b, const std::vector<int> &bin_a,
                                            const std::vector<int> &bin_b, const ModeSet &dense_a,
                                            const ModeSet &dense_b, const FrequencyChannels &bins,
                                            const Eigen::Vector3d &normal, double density_a, double density_b,
                                            bool pseudomorphic, unsigned int refinement, double class_width,
                                            AnisotropicClassesReport &report);
} // namespace kapitza
