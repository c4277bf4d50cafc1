#pragma once
// Mode databases of crystals with three-phonon scattering, built the way kapitza-modes
// builds them (harmonic mesh set + rates or collision matrix attached mode by mode).

#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "test_utilities.h"

#include <string>

namespace kapitza::testing
{
  struct AbInitioCase
  {
    phonons::ForceConstants   fc;
    phonons::PhononMesh       mesh;
    phonons::MeshModeSet      set;
    phonons::CollisionOptions options;
  };

  /// Harmonic modes of `material` on an n1 x n2 x n3 mesh; the scattering is attached by
  /// the caller (attach_relaxation_rates or attach_collision_matrix).
  inline AbInitioCase ab_initio_case(const std::string &material, const std::array<int, 3> &n,
                                     const phonons::CollisionOptions &options)
  {
    AbInitioCase c{phonons::read_phono3py(material_folder(material), true), {}, {}, options};
    c.mesh = phonons::harmonic_phonons(phonons::DynamicalMatrix(c.fc), n);
    c.set  = phonons::mesh_mode_set(c.fc, c.mesh, material, options.temperature,
                                    options.statistics);
    return c;
  }

  /// max |v| tau over the set: the length a slab must exceed many times to be diffusive.
  inline double longest_mean_free_path(const ModeSet &modes)
  {
    return modes.velocity.rowwise().norm().cwiseProduct(modes.tau).maxCoeff();
  }
} // namespace kapitza::testing
