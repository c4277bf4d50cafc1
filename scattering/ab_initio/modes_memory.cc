#include "scattering/ab_initio/modes_memory.h"

#include "scattering/memory_check.h"

#include <algorithm>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      constexpr double real = sizeof(double), complex = 2 * sizeof(double), index = sizeof(unsigned int);
      constexpr double megabyte = 1e6;
      /// The program with its libraries (deal.II, PETSc, MPI, HDF5, OpenBLAS) before it
      /// allocates anything of its own: the peak resident memory of a Si 2x2x2 harmonic
      /// run (/usr/bin/time: 166624 kB).
      constexpr double program_baseline = 170 * megabyte;
      /// Heap blocks and their headers per q-point of the harmonic mesh (an eigenvector
      /// matrix and a velocity matrix each) [bytes].
      constexpr double per_point_overhead = 2 * 64;
      /// The third-atom sums of three_phonon.h pad the 27 Cartesian triples to 28.
      constexpr double padded_27 = 28;
      /// Tetrahedra (6 per mesh cell, 4 corners each) and the irreducible map, per q-point.
      constexpr double tetrahedra_per_point = 6 * 4 * index + 2 * index;

      // The tables of ThreePhononInteraction for all q that every rank holds: phases, the
      // mass-scaled eigenvectors, and the mesh maps of the delta functions.
      double three_phonon_tables(double n_q, double n_atoms, double n_super)
      {
        const double n_branch = 3 * n_atoms;
        return n_q * (2 * n_atoms * n_super * complex + n_branch * n_branch * complex + tetrahedra_per_point);
      }

      // Its third-atom sums, held once per node (by the node's first rank).
      double third_atom_sums(double n_q, double n_atoms, double n_super)
      {
        return n_q * n_atoms * n_atoms * n_super * padded_27 * complex;
      }

      // One row's arrays over its n partner columns: the reciprocal fc3 and its first
      // contraction (complex; for half the columns when `halved`, fc3 being symmetric under
      // the exchange of its last two atoms), |V|^2 and the three delta weights (real), and
      // with isotopes the isotope rates and deltas.
      double three_phonon_row(double n, double n_branch, bool isotopes, bool halved)
      {
        const double triplets = n * n_branch * n_branch * n_branch;
        return triplets * ((halved ? 1 : 2) * complex + 4 * real) +
               (isotopes ? 2 * n * n_branch * n_branch * real : 0) + 2 * n * n_branch * real;
      }
    } // namespace

    double MemoryEstimate::total() const
    {
      double sum = 0;
      for (const auto &part : parts)
        sum += part.second;
      return sum;
    }

    std::string MemoryEstimate::describe() const
    {
      const double all = total();
      std::string  text;
      for (const auto &[name, bytes] : parts)
        if (bytes > 0.01 * all)
          text += (text.empty() ? "" : ", ") + name + " " + gigabytes(bytes);
      return text;
    }

    MemoryEstimate modes_memory(const ModesRunSize &run, bool node_root)
    {
      const double n_q      = double(run.mesh[0]) * run.mesh[1] * run.mesh[2];
      const double n_atoms  = run.n_atoms, n_branch = 3 * n_atoms;
      const double n_modes  = n_q * n_branch, matrix = n_modes * n_modes * real;
      const bool   scatters = run.collision != "none", full = run.collision == "full";
      const double fc3 = scatters ? n_atoms * double(run.n_fc3_supercell) * run.n_fc3_supercell * 27 * real : 0;
      using Parts      = std::vector<std::pair<std::string, double>>;

      MemoryEstimate estimate;
      estimate.parts.emplace_back("program", program_baseline);
      // fc3 three times: as read, copied by the interaction and regrouped by atom class.
      estimate.parts.emplace_back("force constants", n_atoms * run.n_fc2_supercell * 9 * real + 3 * fc3);
      // Per mode: omega, density, tau, velocity, wavevector, branch, mesh index, eigenvector.
      estimate.parts.emplace_back("mode sets", run.n_temperatures * n_modes * (9 * real + 3 * index + n_branch * complex));

      // The steps, each with what it holds besides the above; the largest is the peak.
      const Parts phonons = {
        {"harmonic phonons", n_q * ((3 + 4 * n_branch) * real + n_branch * n_branch * complex + per_point_overhead)}};
      std::vector<Parts> steps = {phonons, {{"writing", n_modes * n_branch * complex}}}; // eigenvectors in row order
      if (scatters)
        {
          Parts computing = phonons;
          computing.emplace_back("three-phonon tables", three_phonon_tables(n_q, n_atoms, run.n_fc3_supercell));
          // Sub-mesh partners: each rank tabulates one coset of the sub-mesh at a time.
          const double columns = run.partner_points > 0 ? run.partner_points : n_q;
          if (run.partner_points > 0)
            computing.emplace_back("third-atom sums of a coset",
                                   third_atom_sums(columns, n_atoms, run.n_fc3_supercell));
          else if (node_root)
            computing.emplace_back("third-atom sums (once per node)",
                                   third_atom_sums(n_q, n_atoms, run.n_fc3_supercell));
          const double setup = 2 * columns * run.n_fc3_supercell * 27 * real; // the tabulating product
          double       rows  = three_phonon_row(columns, n_branch, run.isotopes, run.partner_points == 0);
          rows += full ? 0 : 2 * run.n_temperatures * n_modes * real; // the rates
          // A coset's tabulation runs beside the previous row's arrays with sub-mesh partners.
          computing.emplace_back("three-phonon rows", run.partner_points > 0 ? setup + rows : std::max(setup, rows));
          // Every rank sums its rows into one N x N per temperature; rank 0's become the
          // databases' matrices (moved, written in blocks, solved by conjugate gradients):
          // never a second copy.
          if (full)
            computing.emplace_back("collision matrices", run.n_temperatures * matrix);
          steps.push_back(computing);
        }
      auto sum = [](const Parts &parts) {
        double bytes = 0;
        for (const auto &part : parts)
          bytes += part.second;
        return bytes;
      };
      const Parts &peak = *std::max_element(steps.begin(), steps.end(),
                                            [&](const Parts &a, const Parts &b) { return sum(a) < sum(b); });
      estimate.parts.insert(estimate.parts.end(), peak.begin(), peak.end());
      return estimate;
    }
  } // namespace phonons
} // namespace kapitza
