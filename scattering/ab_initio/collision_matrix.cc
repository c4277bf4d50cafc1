#include "scattering/ab_initio/collision_matrix.h"

#include "scattering/ab_initio/collision_sums.h"
#include "scattering/ab_initio/isotope_scattering.h"
#include "scattering/ab_initio/three_phonon.h"
#include "scattering/formatted.h"

#include <spglib.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      using constants::boltzmann;
      using constants::hbar;

      Eigen::Matrix3d reciprocal_rows(const Structure &structure)
      {
        return structure.lattice.transpose().inverse();
      }

      // Degenerate modes share their mean rate, as symmetry requires.
      void average_degenerate(const Eigen::VectorXd &omega, Eigen::VectorXd &rate)
      {
        for (const auto &[first, last] : degenerate_sets(omega))
          rate.segment(first, last - first).setConstant(rate.segment(first, last - first).mean());
      }

      // Replaces the (rows x columns) row-major block g by its means over the products of
      // row and column sets.
      void average_blocks(double *g, unsigned int columns, const BranchSets &row_sets,
                          const BranchSets &column_sets)
      {
        for (const auto &[r0, r1] : row_sets)
          for (const auto &[c0, c1] : column_sets)
            {
              if (r1 - r0 == 1 && c1 - c0 == 1)
                continue;
              double sum = 0;
              for (unsigned int r = r0; r < r1; ++r)
                for (unsigned int c = c0; c < c1; ++c)
                  sum += g[r * columns + c];
              const double mean = sum / ((r1 - r0) * (c1 - c0));
              for (unsigned int r = r0; r < r1; ++r)
                for (unsigned int c = c0; c < c1; ++c)
                  g[r * columns + c] = mean;
            }
      }

      // The coset of the sub-mesh `sub` that q-point q of `mesh` lies in (0: the sub-mesh
      // itself): its address modulo the sub-mesh's steps, numbered like grid points.
      unsigned int coset_of(const PhononMesh &mesh, const std::array<int, 3> &sub, unsigned int q)
      {
        const std::array<int, 3> a = mesh.address(q);
        unsigned int             coset = 0;
        for (int d = 2; d >= 0; --d)
          coset = coset * (mesh.size[d] / sub[d]) + a[d] % (mesh.size[d] / sub[d]);
        return coset;
      }

      // The partner points of the sums: the whole mesh, or the sub-mesh options.partner_mesh
      // (every size divides the mesh's) in its own grid order, so that column j is grid point
      // j of the sub-mesh and its delta weights come from the sub-mesh's tetrahedra.
      std::vector<unsigned int> partner_points(const PhononMesh &mesh, const std::array<int, 3> &partner_mesh)
      {
        std::vector<unsigned int> points;
        for (int i2 = 0; i2 < partner_mesh[2]; ++i2)
          for (int i1 = 0; i1 < partner_mesh[1]; ++i1)
            for (int i0 = 0; i0 < partner_mesh[0]; ++i0)
              points.push_back(mesh.index({{i0 * mesh.size[0] / partner_mesh[0], i1 * mesh.size[1] / partner_mesh[1],
                                            i2 * mesh.size[2] / partner_mesh[2]}}));
        return points;
      }

      // Everything one q-point (a row of the collision matrix) scatters with: |V|^2 of
      // the triplets (q0, k, -q0-k) for the partner points k = columns[j] and the delta
      // weights of the three process types
      //   g1: w0 = w1 + w2,  g2: w0 + w1 = w2,  g3: w0 + w2 = w1,
      // all laid out (j, s0, s1, s2); isotope rates (j, s1, s0).
      class RowScattering
      {
      public:
        RowScattering(const ForceConstants &fc, const PhononMesh &mesh,
                      const CollisionOptions &options, MPI_Comm comm)
          : mesh(mesh)
          , options(options)
          , partner_size(partner_mesh(mesh.size, options.partner_mesh))
          , interaction(fc, mesh, options.r0_average, options.frequency_cutoff, comm, partner_size != mesh.size)
          , delta(options.smearing, partner_size, reciprocal_rows(fc.primitive))
          , nb(mesh.n_branch())
          , n_q(mesh.n_q())
          , columns(partner_points(mesh, partner_size))
          , n_columns(columns.size())
          , partner(n_columns)
        {
          set_temperature(options.temperature);
          if (options.isotopes)
            for (const std::string &symbol : fc.primitive.symbols)
              mass_variance_per_atom.push_back(mass_variance(symbol));
          for (unsigned int q = 0; q < n_q; ++q)
            degenerate.push_back(degenerate_sets(mesh.omega.row(q).transpose()));
        }

        /// The equilibrium occupations and weights w at `temperature`: the only inputs of
        /// rates() and for_each_process() that depend on it (|V|^2, the delta weights and
        /// the elastic isotope rates of compute() do not), so one compute() serves many.
        void set_temperature(double temperature)
        {
          occupation.setZero(n_q, nb);
          weight.setZero(n_q, nb);
          const double kT = boltzmann * temperature;
          for (unsigned int q = 0; q < n_q; ++q)
            for (unsigned int s = 0; s < nb; ++s)
              if (mesh.omega(q, s) >= options.frequency_cutoff)
                {
                  const double x = hbar * mesh.omega(q, s) / kT;
                  const double n = options.statistics == Statistics::bose ? 1 / std::expm1(x) : 1 / x;
                  occupation(q, s) = n;
                  weight(q, s) = options.statistics == Statistics::bose ? n * (n + 1) : n * n;
                }
        }

        void compute(unsigned int q0)
        {
          row = q0;
          for (unsigned int j = 0; j < n_columns; ++j)
            partner[j] = interaction.third(q0, columns[j]);
          if (n_columns == n_q)
            interaction.strength(q0, strength); // columns[j] = j: halved when fc3 allows
          else
            interaction.strength(q0, columns, strength);
          const std::size_t size = strength.size();
          for (auto *g : {&g1, &g2, &g3})
            g->assign(size, 0.0);
          std::vector<double> targets(2 * nb), plus(n_columns), minus(n_columns), buffer_plus, buffer_minus;
          for (unsigned int s = 0; s < nb; ++s)
            {
              targets[s]      = mesh.omega(q0, s);
              targets[nb + s] = -mesh.omega(q0, s);
            }
          const bool gradients = delta.uses_gradient();
          Positions  gradient_plus(gradients ? n_columns : 0, 3), gradient_minus(gradients ? n_columns : 0, 3);
          for (unsigned int s1 = 0; s1 < nb; ++s1)
            for (unsigned int s2 = 0; s2 < nb; ++s2)
              {
                for (unsigned int j = 0; j < n_columns; ++j)
                  {
                    const unsigned int k = columns[j], q2 = partner[j];
                    plus[j]  = mesh.omega(k, s1) + mesh.omega(q2, s2);
                    minus[j] = -mesh.omega(k, s1) + mesh.omega(q2, s2);
                    if (gradients)
                      {
                        gradient_plus.row(j)  = mesh.velocity[k].row(s1) - mesh.velocity[q2].row(s2);
                        gradient_minus.row(j) = -mesh.velocity[k].row(s1) - mesh.velocity[q2].row(s2);
                      }
                  }
                buffer_plus.assign(std::size_t(n_columns) * nb, 0.0);
                buffer_minus.assign(std::size_t(n_columns) * 2 * nb, 0.0);
                delta.add_weights(plus.data(), gradients ? &gradient_plus : nullptr, targets.data(),
                                  nb, buffer_plus.data());
                delta.add_weights(minus.data(), gradients ? &gradient_minus : nullptr,
                                  targets.data(), 2 * nb, buffer_minus.data());
                for (unsigned int j = 0; j < n_columns; ++j)
                  for (unsigned int s0 = 0; s0 < nb; ++s0)
                    {
                      const std::size_t at = index(j, s0, s1, s2);
                      g1[at] = buffer_plus[j * nb + s0];
                      g2[at] = buffer_minus[j * 2 * nb + s0];
                      g3[at] = buffer_minus[j * 2 * nb + nb + s0];
                    }
              }
          average_over_degenerate_partners();
          if (options.isotopes)
            compute_isotopes(q0, targets);
        }

        /// The delta weights of a degenerate partner set depend on which basis the
        /// branches' energy surfaces come from (branches are ordered by energy), so each
        /// (s1, s2) block of degenerate partners at k and q2 gets its mean: the rates then
        /// depend on |V|^2 only through its basis-independent sum over the block.
        void average_over_degenerate_partners()
        {
          for (unsigned int j = 0; j < n_columns; ++j)
            {
              const BranchSets &at_k = degenerate[columns[j]], &at_q2 = degenerate[partner[j]];
              if (at_k.size() == nb && at_q2.size() == nb)
                continue;
              for (auto *g : {&g1, &g2, &g3})
                for (unsigned int s0 = 0; s0 < nb; ++s0)
                  average_blocks(&(*g)[index(j, s0, 0, 0)], nb, at_k, at_q2);
            }
        }

        std::size_t index(unsigned int j, unsigned int s0, unsigned int s1, unsigned int s2) const
        {
          return ((std::size_t(j) * nb + s0) * nb + s1) * nb + s2;
        }

        /// 1 + n1 + n2 (Bose) or n1 + n2 (classical) of the decay into (k, s1), (q2, s2).
        double decay_occupation(unsigned int k, unsigned int s1, unsigned int q2,
                                unsigned int s2) const
        {
          const double sum = occupation(k, s1) + occupation(q2, s2);
          return options.statistics == Statistics::bose ? 1 + sum : sum;
        }

        /// Calls visit(q2, s0, s1, s2, at) for every triplet of column j of this row with a
        /// non-zero interaction strength (q2 completes q_row + columns[j] + q2 = G).
        template <typename Visit>
        void for_each_triplet(unsigned int j, const Visit &visit) const
        {
          const unsigned int q2 = partner[j];
          for (unsigned int s0 = 0; s0 < nb; ++s0)
            for (unsigned int s1 = 0; s1 < nb; ++s1)
              for (unsigned int s2 = 0; s2 < nb; ++s2)
                {
                  const std::size_t at = index(j, s0, s1, s2);
                  if (strength[at] != 0)
                    visit(q2, s0, s1, s2, at);
                }
        }

        /// phono3py's linewidth 2 Gamma = 1/tau of the modes at the current row.
        Eigen::VectorXd rates() const
        {
          Eigen::VectorXd rate = Eigen::VectorXd::Zero(nb);
          for (unsigned int j = 0; j < n_columns; ++j)
            {
              const unsigned int k = columns[j];
              for_each_triplet(j, [&](unsigned int q2, unsigned int s0, unsigned int s1, unsigned int s2,
                                      std::size_t at) {
                const double n1 = occupation(k, s1), n2 = occupation(q2, s2);
                rate[s0] += M_PI / (hbar * hbar) * strength[at] *
                            (decay_occupation(k, s1, q2, s2) * g1[at] + (n1 - n2) * (g2[at] - g3[at]));
              });
              for (unsigned int s1 = 0; s1 < nb && options.isotopes; ++s1)
                for (unsigned int s0 = 0; s0 < nb; ++s0)
                  rate[s0] += isotope[(std::size_t(j) * nb + s1) * nb + s0];
            }
          return rate;
        }

        /// Calls add(Q, modes, coefficients, count) with the rate of every process this
        /// row's modes take part in (decay, or coalescence with a partner mode), as their own
        /// linewidths count it: a third of it for the mean of views (the three rows of a
        /// process together give the mean of the three views), all of it for the own view.
        /// Negative views (off-shell smearing) are dropped from the mean (each Q u u^T then
        /// stays positive semidefinite) and kept in the own view (its rows are then exactly
        /// the linewidths of rates()).
        template <typename Add>
        void for_each_process(const Add &add) const
        {
          const bool   own_view = options.assembly == CollisionAssembly::own_view;
          const double third    = M_PI / ((own_view ? 1 : 3) * hbar * hbar);
          const double pair     = own_view ? 1 : 0.5; // an isotope pair is seen from both rows
          const auto   taken    = [own_view](double rate) { return own_view ? rate != 0 : rate > 0; };
          for (unsigned int j = 0; j < n_columns; ++j)
            {
              const unsigned int k = columns[j], mk = interaction.minus(k);
              for_each_triplet(j, [&](unsigned int q2, unsigned int s0, unsigned int s1, unsigned int s2,
                                      std::size_t at) {
                const unsigned int mq2 = interaction.minus(q2);
                const double common = third * strength[at] * weight(row, s0);
                const double n1 = occupation(k, s1), n2 = occupation(q2, s2);
                const unsigned int a = row * nb + s0;
                const double       decay = common * g1[at] * decay_occupation(k, s1, q2, s2);
                const double       with_k  = common * g2[at] * (n1 - n2); // a + (k,s1) -> (-q2,s2)
                const double       with_q2 = common * g3[at] * (n2 - n1); // a + (q2,s2) -> (-k,s1)
                if (taken(decay))
                  {
                    const unsigned int modes[3] = {a, mk * nb + s1, mq2 * nb + s2};
                    const double       u[3]     = {-1, 1, 1};
                    add(decay, modes, u, 3);
                  }
                if (taken(with_k))
                  {
                    const unsigned int modes[3] = {a, k * nb + s1, mq2 * nb + s2};
                    const double       u[3]     = {1, 1, -1};
                    add(with_k, modes, u, 3);
                  }
                if (taken(with_q2))
                  {
                    const unsigned int modes[3] = {a, q2 * nb + s2, mk * nb + s1};
                    const double       u[3]     = {1, 1, -1};
                    add(with_q2, modes, u, 3);
                  }
              });
              for (unsigned int s1 = 0; s1 < nb && options.isotopes; ++s1)
                for (unsigned int s0 = 0; s0 < nb; ++s0)
                  {
                    const double rate = isotope[(std::size_t(j) * nb + s1) * nb + s0];
                    if (rate == 0 || (k == row && s1 == s0 && !own_view)) // the own view keeps a -> a in its linewidth
                      continue;
                    const unsigned int modes[2]        = {row * nb + s0, k * nb + s1};
                    const double       coefficients[2] = {1, -1};
                    add(pair * weight(row, s0) * rate, modes, coefficients, 2);
                  }
            }
        }

        const Eigen::MatrixXd &weights() const { return weight; }

      private:
        void compute_isotopes(unsigned int q0, const std::vector<double> &targets)
        {
          std::vector<double> energy(n_columns), deltas(std::size_t(nb) * n_columns * nb, 0.0);
          Positions           gradient(n_columns, 3);
          for (unsigned int s1 = 0; s1 < nb; ++s1)
            {
              for (unsigned int j = 0; j < n_columns; ++j)
                {
                  energy[j]       = mesh.omega(columns[j], s1);
                  gradient.row(j) = mesh.velocity[columns[j]].row(s1);
                }
              delta.add_weights(energy.data(), &gradient, targets.data(), nb,
                                &deltas[std::size_t(s1) * n_columns * nb]);
            }
          // As for three phonons: one weight per degenerate partner set at k.
          for (unsigned int j = 0; j < n_columns; ++j)
            for (const auto &[first, last] : degenerate[columns[j]])
              for (unsigned int s0 = 0; s0 < nb && last - first > 1; ++s0)
                {
                  double sum = 0;
                  for (unsigned int s1 = first; s1 < last; ++s1)
                    sum += deltas[(std::size_t(s1) * n_columns + j) * nb + s0];
                  for (unsigned int s1 = first; s1 < last; ++s1)
                    deltas[(std::size_t(s1) * n_columns + j) * nb + s0] = sum / (last - first);
                }
          isotope.assign(std::size_t(n_columns) * nb * nb, 0.0);
          add_isotope_rates(mesh, q0, columns, mass_variance_per_atom, deltas, options.frequency_cutoff,
                            isotope);
        }

        const PhononMesh       &mesh;
        const CollisionOptions &options;
        std::array<int, 3>      partner_size; // the whole mesh's size, or the sub-mesh's
        ThreePhononInteraction  interaction;
        DeltaFunction           delta;
        unsigned int            nb, n_q;
        std::vector<unsigned int> columns; // partner points k (mesh indices)
        unsigned int            n_columns, row = 0;
        std::vector<unsigned int> partner; // q2 = -q_row - columns[j] of every column j
        std::vector<BranchSets>   degenerate; // degenerate sets of every q-point
        Eigen::MatrixXd         occupation, weight;
        std::vector<double>     mass_variance_per_atom;
        std::vector<double>     strength, g1, g2, g3, isotope;
      };

      // Runs over this rank's share of `rows` (every n_ranks-th, or with `in_blocks` one
      // contiguous block: rows ordered by coset keep each coset on few ranks): compute() once
      // per row, then for every temperature set_temperature() and per_temperature(t, row);
      // times both parts.
      template <typename PerTemperature>
      void scatter_rows(RowScattering &scattering, const std::vector<unsigned int> &rows,
                        const std::vector<double> &temperatures, MPI_Comm comm, RateTimes &times,
                        ProgressReport *progress, const PerTemperature &per_temperature, bool in_blocks = false)
      {
        int rank, n_ranks;
        MPI_Comm_rank(comm, &rank);
        MPI_Comm_size(comm, &n_ranks);
        const std::size_t first  = in_blocks ? rows.size() * rank / n_ranks : rank;
        const std::size_t end    = in_blocks ? rows.size() * (rank + 1) / n_ranks : rows.size();
        const std::size_t stride = in_blocks ? 1 : n_ranks;
        if (progress)
          progress->start((end - first + stride - 1) / stride);
        for (std::size_t r = first; r < end; r += stride)
          {
            double start = MPI_Wtime();
            scattering.compute(rows[r]);
            times.strengths += MPI_Wtime() - start;
            start = MPI_Wtime();
            for (std::size_t t = 0; t < temperatures.size(); ++t)
              {
                scattering.set_temperature(temperatures[t]);
                per_temperature(t, rows[r]);
              }
            times.occupations += MPI_Wtime() - start;
            if (progress)
              progress->advance();
          }
      }

      // Each time of `own` replaced by its largest over the ranks.
      RateTimes largest_over_ranks(const RateTimes &own, MPI_Comm comm)
      {
        double largest[3] = {own.strengths, own.occupations, own.assembly};
        MPI_Allreduce(MPI_IN_PLACE, largest, 3, MPI_DOUBLE, MPI_MAX, comm);
        return RateTimes{largest[0], largest[1], largest[2]};
      }
    } // namespace

    // Invariant under the point group when every star lies wholly in the sub-mesh or outside.
    void require_symmetric_partners(const PhononMesh &mesh, const std::array<int, 3> &sub,
                                    const std::vector<unsigned int> &representative)
    {
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        if ((coset_of(mesh, sub, q) == 0) != (coset_of(mesh, sub, representative[q]) == 0))
          throw std::runtime_error(formatted("the partner mesh %d %d %d does not have the crystal's symmetry on the "
                                             "q-mesh %d %d %d (equivalent q-points would see different partners): "
                                             "give symmetry-equivalent axes equal sizes",
                                             sub[0], sub[1], sub[2], mesh.size[0], mesh.size[1], mesh.size[2]));
    }

    std::array<int, 3> partner_mesh(const std::array<int, 3> &mesh, const std::array<int, 3> &partners)
    {
      if (partners == std::array<int, 3>{{0, 0, 0}})
        return mesh;
      for (int d = 0; d < 3; ++d)
        if (partners[d] < 1 || mesh[d] % partners[d] != 0)
          throw std::runtime_error(formatted("the partner mesh %d %d %d is not a sub-mesh of the q-mesh %d %d %d "
                                             "(each of its sizes must divide the q-mesh's)",
                                             partners[0], partners[1], partners[2], mesh[0], mesh[1], mesh[2]));
      return partners;
    }

    std::vector<unsigned int> scattering_modes(const PhononMesh &mesh, double frequency_cutoff)
    {
      std::vector<unsigned int> modes;
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        for (unsigned int s = 0; s < mesh.n_branch(); ++s)
          if (mesh.omega(q, s) >= frequency_cutoff)
            modes.push_back(q * mesh.n_branch() + s);
      return modes;
    }

    std::string to_string(CollisionAssembly assembly)
    {
      return assembly == CollisionAssembly::own_view ? "own-view" : "mean-of-views";
    }

    CollisionAssembly parse_collision_assembly(const std::string &word)
    {
      for (const CollisionAssembly assembly : {CollisionAssembly::mean_of_views, CollisionAssembly::own_view})
        if (word == to_string(assembly))
          return assembly;
      throw std::runtime_error("the collision matrix's assembly is mean-of-views or own-view, not '" + word + "'");
    }

    std::vector<unsigned int> irreducible_representatives(const Structure   &primitive,
                                                          const PhononMesh  &mesh,
                                                          const std::string &origin)
    {
      // spglib works in Angstrom with phonopy's tolerance; atoms differ by symbol and mass.
      double lattice[3][3];
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          lattice[i][j] = primitive.lattice(j, i) * 1e10; // columns are the lattice vectors
      const unsigned int                  n = primitive.n_atoms();
      std::vector<std::array<double, 3>> position(n);
      std::vector<int>                    type(n);
      std::map<std::pair<std::string, double>, int> kinds;
      for (unsigned int a = 0; a < n; ++a)
        {
          for (int d = 0; d < 3; ++d)
            position[a][d] = primitive.fractional(a, d);
          type[a] = kinds.emplace(std::make_pair(primitive.symbols.at(a), primitive.masses[a]),
                                  kinds.size() + 1)
                      .first->second;
        }
      const int                          size[3]  = {mesh.size[0], mesh.size[1], mesh.size[2]};
      const int                          shift[3] = {0, 0, 0};
      std::vector<std::array<int, 3>>    grid(mesh.n_q());
      std::vector<int>                   map(mesh.n_q());
      const int n_ir = spg_get_ir_reciprocal_mesh(reinterpret_cast<int(*)[3]>(grid.data()),
                                                  map.data(), size, shift, 1, lattice,
                                                  reinterpret_cast<double(*)[3]>(position.data()),
                                                  type.data(), n, 1e-5);
      if (n_ir <= 0)
        throw std::runtime_error(origin + ": spglib found no irreducible q-points");
      std::vector<unsigned int> representative(mesh.n_q());
      for (unsigned int g = 0; g < mesh.n_q(); ++g)
        representative[grid_index(mesh.size, grid[g])] = grid_index(mesh.size, grid[map[g]]);
      return representative;
    }

    std::vector<Eigen::MatrixXd> relaxation_rates(const ForceConstants &force_constants,
                                                  const PhononMesh &mesh, const CollisionOptions &options,
                                                  const std::vector<double> &temperatures,
                                                  const std::vector<unsigned int> &representative,
                                                  MPI_Comm comm, RateTimes *times,
                                                  ProgressReport *progress)
    {
      std::vector<unsigned int> rows(representative);
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      // With sub-mesh partners, rows of one coset of the sub-mesh share the interaction's
      // tables (three_phonon.h): ordered by coset and dealt in blocks, each rank tabulates
      // about its share of the cosets.
      const std::array<int, 3> sub = partner_mesh(mesh.size, options.partner_mesh);
      require_symmetric_partners(mesh, sub, representative);
      std::stable_sort(rows.begin(), rows.end(), [&](unsigned int p, unsigned int q) {
        return coset_of(mesh, sub, p) < coset_of(mesh, sub, q);
      });
      const bool in_blocks = sub != mesh.size;

      RowScattering scattering(force_constants, mesh, options, comm);
      std::vector<Eigen::MatrixXd> rate(temperatures.size(),
                                        Eigen::MatrixXd::Zero(mesh.n_q(), mesh.n_branch()));
      RateTimes own;
      scatter_rows(scattering, rows, temperatures, comm, own, progress, [&](std::size_t t, unsigned int row) {
        Eigen::VectorXd row_rate = scattering.rates();
        average_degenerate(mesh.omega.row(row).transpose(), row_rate);
        rate[t].row(row) = row_rate.transpose();
      }, in_blocks);
      MPI_Barrier(comm); // waiting for the slowest rank's rows is no part of the assembly
      const double                 start = MPI_Wtime();
      std::vector<Eigen::MatrixXd> result;
      for (Eigen::MatrixXd &r : rate)
        {
          MPI_Allreduce(MPI_IN_PLACE, r.data(), r.size(), MPI_DOUBLE, MPI_SUM, comm);
          result.emplace_back(mesh.n_q(), mesh.n_branch());
          for (unsigned int q = 0; q < mesh.n_q(); ++q)
            result.back().row(q) = r.row(representative.at(q));
        }
      own.assembly = MPI_Wtime() - start;
      if (times)
        *times = largest_over_ranks(own, comm);
      return result;
    }

    Eigen::MatrixXd relaxation_rates(const ForceConstants &force_constants,
                                     const PhononMesh &mesh, const CollisionOptions &options,
                                     const std::vector<unsigned int> &representative,
                                     MPI_Comm comm)
    {
      return relaxation_rates(force_constants, mesh, options, {options.temperature},
                              representative, comm)
        .front();
    }

    std::vector<CollisionMatrix> collision_matrix(const ForceConstants &force_constants,
                                                  const PhononMesh &mesh, const CollisionOptions &options,
                                                  const std::vector<double> &temperatures, MPI_Comm comm,
                                                  RateTimes *times, ProgressReport *progress)
    {
      if (partner_mesh(mesh.size, options.partner_mesh) != mesh.size)
        throw std::runtime_error("the full collision matrix couples every mode of its mesh: a partner mesh "
                                 "applies to the relaxation rates only");
      const std::vector<unsigned int> scattering_modes = phonons::scattering_modes(mesh, options.frequency_cutoff);
      Eigen::VectorXd omega(scattering_modes.size());
      for (std::size_t row = 0; row < scattering_modes.size(); ++row)
        omega[row] = mesh.omega(scattering_modes[row] / mesh.n_branch(), scattering_modes[row] % mesh.n_branch());
      std::vector<CollisionSums> sums;
      sums.reserve(temperatures.size()); // constructed in place: one N x N each, no copies
      for (std::size_t t = 0; t < temperatures.size(); ++t)
        sums.emplace_back(scattering_modes, omega, std::size_t(mesh.n_q()) * mesh.n_branch(), options.assembly);

      RowScattering scattering(force_constants, mesh, options, comm);
      std::vector<unsigned int> rows(mesh.n_q());
      std::iota(rows.begin(), rows.end(), 0u);
      RateTimes own;
      scatter_rows(scattering, rows, temperatures, comm, own, progress, [&](std::size_t t, unsigned int) {
        CollisionSums &sum = sums[t];
        scattering.for_each_process([&sum](double q, const unsigned int *modes, const double *u, int count) {
          sum.add(q, modes, u, count);
        });
      });
      MPI_Barrier(comm); // as for the rates
      const double                 start = MPI_Wtime();
      std::vector<CollisionMatrix> result;
      for (std::size_t t = 0; t < temperatures.size(); ++t)
        {
          scattering.set_temperature(temperatures[t]); // the weights W of this matrix
          result.push_back(sums[t].assemble(scattering.weights(), comm));
        }
      own.assembly = MPI_Wtime() - start;
      if (times)
        *times = largest_over_ranks(own, comm);
      return result;
    }

    CollisionMatrix collision_matrix(const ForceConstants &force_constants,
                                     const PhononMesh &mesh, const CollisionOptions &options,
                                     MPI_Comm comm, ProgressReport *progress)
    {
      return std::move(collision_matrix(force_constants, mesh, options, {options.temperature}, comm,
                                        nullptr, progress)
                         .front());
    }
  } // namespace phonons
} // namespace kapitza
