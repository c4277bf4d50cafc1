#pragma once
// The memory a kapitza-modes run will need, from its parameters alone (mesh, crystal,
// collision kind, temperatures), so that a run too large for the machine is refused before
// any q-mesh is built. The estimate adds the arrays the run holds at its peak: the
// harmonic phonons of the mesh, one mode set per temperature, and either the three-phonon
// tables and per-row arrays (three_phonon.h, collision_matrix.cc) with the N x N matrix of
// every temperature that each rank sums (full), or rank 0's matrices while they are
// attached, written and solved (all of them and two transient N x N copies).

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// What decides the memory of a run: known after reading the force constants, before
    /// the q-mesh.
    struct ModesRunSize
    {
      std::array<int, 3> mesh{{1, 1, 1}};
      unsigned int       n_atoms         = 1;      // primitive cell
      unsigned int       n_fc2_supercell = 1;      // atoms
      unsigned int       n_fc3_supercell = 1;      // atoms (0 without scattering)
      std::string        collision       = "none"; // none, rta or full
      unsigned int       n_temperatures  = 1;
      bool               isotopes        = false;
      unsigned int       partner_points  = 0;      // of a partner sub-mesh (0: the mesh's own)
    };

    struct MemoryEstimate
    {
      /// The parts [bytes] (name, size): what the run holds throughout, then the arrays of
      /// its largest step.
      std::vector<std::pair<std::string, double>> parts;
      double total() const;
      /// "name a GB, name b GB, ..." for the parts above 1 % of the total.
      std::string describe() const;
    };

    /// The peak memory [bytes] of one rank (`node_root`: the first rank of its node, which
    /// holds the node's shared third-atom sums). Every rank sums into full matrices; rank 0
    /// keeps them after the assembly without a copy, so it needs no more than the others.
    MemoryEstimate modes_memory(const ModesRunSize &run, bool node_root);
  } // namespace phonons
} // namespace kapitza
