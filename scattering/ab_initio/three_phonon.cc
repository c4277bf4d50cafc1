#include "scattering/ab_initio/three_phonon.h"

#include "scattering/mode_set.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      constexpr double two_pi = 2 * M_PI;
    } // namespace

    namespace
    {
      // Is fc3 (i, j, l, abc) symmetric under the exchange of its last two atoms with their
      // Cartesian indices (to 1e-12 of its largest magnitude)?
      bool exchanges_last_two_atoms(const std::vector<double> &fc3, unsigned int n_atoms, unsigned int n_super)
      {
        double largest = 0, asymmetry = 0;
        for (double value : fc3)
          largest = std::max(largest, std::abs(value));
        for (unsigned int i = 0; i < n_atoms; ++i)
          for (unsigned int j = 0; j < n_super; ++j)
            for (unsigned int l = 0; l < n_super; ++l)
              for (int abc = 0; abc < 27; ++abc)
                {
                  const int         acb = 9 * (abc / 9) + 3 * (abc % 3) + (abc / 3) % 3;
                  const std::size_t at  = ((std::size_t(i) * n_super + j) * n_super + l) * 27;
                  const std::size_t swapped = ((std::size_t(i) * n_super + l) * n_super + j) * 27;
                  asymmetry = std::max(asymmetry, std::abs(fc3[at + abc] - fc3[swapped + acb]));
                }
        return asymmetry <= 1e-12 * largest;
      }
    } // namespace

    SupercellImages shortest_vectors(const Structure &primitive, const Supercell &supercell,
                                     double tolerance)
    {
      const Structure      &cell        = supercell.structure;
      const Eigen::Matrix3d to_primitive = primitive.lattice.transpose().inverse();
      SupercellImages       images;
      images.n_supercell = cell.n_atoms();
      for (unsigned int i = 0; i < primitive.n_atoms(); ++i)
        for (unsigned int j = 0; j < cell.n_atoms(); ++j)
          {
            // Start from the image nearest in supercell coordinates, then search the
            // surrounding supercells (enough for any reasonably reduced supercell).
            Eigen::Vector3d f = cell.fractional.row(j) -
                                cell.fractional.row(supercell.primitive_to_supercell[i]);
            f = f.array() - f.array().round();
            std::vector<Eigen::Vector3d> candidates;
            double                       shortest = std::numeric_limits<double>::max();
            for (int a = -2; a <= 2; ++a)
              for (int b = -2; b <= 2; ++b)
                for (int c = -2; c <= 2; ++c)
                  {
                    const Eigen::Vector3d d =
                      cell.lattice.transpose() * (f + Eigen::Vector3d(a, b, c));
                    candidates.push_back(d);
                    shortest = std::min(shortest, d.norm());
                  }
            std::vector<Eigen::Vector3d> &list = images.vectors.emplace_back();
            for (const Eigen::Vector3d &d : candidates)
              if (d.norm() - shortest < tolerance)
                list.push_back(to_primitive * d);
          }
      return images;
    }

    ThreePhononInteraction::ThreePhononInteraction(const ForceConstants &force_constants,
                                                   const PhononMesh     &mesh,
                                                   bool                  r0_average,
                                                   double                frequency_cutoff,
                                                   MPI_Comm              comm,
                                                   bool                  sub_mesh_partners)
      : mesh(mesh)
      , r0_average(r0_average)
      , frequency_cutoff(frequency_cutoff)
      , n_atoms(force_constants.primitive.n_atoms())
      , n_super(force_constants.fc3_supercell.structure.n_atoms())
      , n_q(mesh.n_q())
      , n_band(3 * n_atoms)
      , fc3(force_constants.fc3)
    {
      const Supercell &supercell = force_constants.fc3_supercell;
      if (fc3.size() != std::size_t(n_atoms) * n_super * n_super * 27)
        throw std::runtime_error("third-order force constants have " +
                                 std::to_string(fc3.size()) + " values, expected " +
                                 std::to_string(n_atoms * n_super * n_super * 27) +
                                 " (primitive x supercell^2 x 27)");
      if (mesh.n_branch() != n_band || mesh.eigenvectors.size() != n_q)
        throw std::runtime_error("phonon mesh does not match the force constants' primitive cell");

      for (unsigned int q = 0; q < n_q; ++q)
        {
          std::array<int, 3> a;
          for (int d = 0; d < 3; ++d)
            a[d] = static_cast<int>(std::lround(mesh.q_fractional(q, d) * mesh.size[d]));
          address.push_back(a);
        }
      for (const std::array<int, 3> &a : address)
        minus_of.push_back(grid_index(mesh.size, {{-a[0], -a[1], -a[2]}}));

      class_atoms.resize(n_atoms);
      for (unsigned int j = 0; j < n_super; ++j)
        class_atoms.at(supercell.supercell_to_primitive.at(j)).push_back(j);

      const SupercellImages images = shortest_vectors(force_constants.primitive, supercell);
      phases.resize(std::size_t(n_atoms) * n_super * n_q);
      for (unsigned int i = 0; i < n_atoms; ++i)
        for (unsigned int j = 0; j < n_super; ++j)
          for (unsigned int q = 0; q < n_q; ++q)
            {
              Complex sum = 0;
              for (const Eigen::Vector3d &r : images(i, j))
                sum += std::polar(1.0, two_pi * mesh.q_fractional.row(q).dot(r.transpose()));
              phases[(i * n_super + j) * n_q + q] = sum / double(images(i, j).size());
            }

      for (unsigned int i = 0; i < n_atoms; ++i)
        basis_offset.push_back((force_constants.primitive.fractional.row(i) -
                                force_constants.primitive.fractional.row(0))
                                 .transpose());

      // fc3 of home atom i restricted to third atoms of class c: rows (j, abc), columns
      // the class atoms (index i * n_atoms + c).
      class_size = n_super / n_atoms;
      for (const std::vector<int> &atoms : class_atoms)
        if (atoms.size() != class_size)
          throw std::runtime_error("fc3 supercell: primitive atoms have different numbers of images");
      fc3_by_class.resize(n_atoms * n_atoms);
      for (unsigned int i = 0; i < n_atoms; ++i)
        for (unsigned int c = 0; c < n_atoms; ++c)
          {
            const std::vector<int> &atoms = class_atoms[c];
            std::vector<double>    &block = fc3_by_class[i * n_atoms + c];
            block.resize(std::size_t(n_super) * 27 * class_size);
            for (unsigned int j = 0; j < n_super; ++j)
              for (int abc = 0; abc < 27; ++abc)
                for (unsigned int m = 0; m < class_size; ++m)
                  block[(j * 27 + abc) * class_size + m] =
                    fc3[((std::size_t(i) * n_super + j) * n_super + atoms[m]) * 27 + abc];
          }
      table_slot.resize(n_q);
      std::iota(table_slot.begin(), table_slot.end(), 0u);
      if (sub_mesh_partners)
        table_slot.assign(n_q, n_q); // no q2 tabulated until a row asks (coset_tables)
      else
        {
          // Every q2 of the mesh, once per node; the ranks of a node share the pairs (i, c2).
          n_third_sums = third_atom_sum_index(n_q, 0, 0, 0);
          third_sums   = NodeSharedArray(2 * n_third_sums, comm);
          sums_real    = third_sums.data();
          third_sums.fill([&](int share, int shares) {
            tabulate_third_atom_sums(table_slot, share, shares, third_sums.data(), third_sums.data() + n_third_sums);
          });
          fc3_by_class.clear();
        }
      exchange_symmetric = exchanges_last_two_atoms(fc3, n_atoms, n_super);

      second_phase_real.resize(std::size_t(n_q) * n_atoms * n_super);
      second_phase_imag.resize(std::size_t(n_q) * n_atoms * n_super);
      for (unsigned int q = 0; q < n_q; ++q)
        for (unsigned int i = 0; i < n_atoms; ++i)
          for (unsigned int c = 0; c < n_atoms; ++c)
            for (unsigned int m = 0; m < class_size; ++m)
              {
                const std::size_t at = ((std::size_t(q) * n_atoms + i) * n_atoms + c) * class_size + m;
                const Complex     p  = phase(i, class_atoms[c][m], q);
                second_phase_real[at] = p.real();
                second_phase_imag[at] = p.imag();
              }

      Eigen::VectorXd inverse_sqrt_mass(n_band);
      for (unsigned int k = 0; k < n_atoms; ++k)
        for (int a = 0; a < 3; ++a)
          inverse_sqrt_mass[3 * k + a] = 1.0 / std::sqrt(force_constants.primitive.masses[k]);
      for (unsigned int q = 0; q < n_q; ++q)
        scaled_eigenvectors.push_back(inverse_sqrt_mass.asDiagonal() * mesh.eigenvectors[q]);
    }

    // For each home atom i and third-atom class c2, one real-times-complex matrix product
    // (OpenBLAS) over the class atoms gives the sums for all `points` at once (q2 = points[p]
    // goes to slot p); pairs (i, c2) share, share + shares, ... of them, whose entries are
    // disjoint from the other shares'.
    void ThreePhononInteraction::tabulate_third_atom_sums(const std::vector<unsigned int> &points, int share,
                                                          int shares, double *sums_real, double *sums_imag) const
    {
      std::vector<unsigned int> class_of(n_super), position_in_class(n_super);
      for (unsigned int c = 0; c < n_atoms; ++c)
        for (unsigned int m = 0; m < class_size; ++m)
          {
            class_of[class_atoms[c][m]]          = c;
            position_in_class[class_atoms[c][m]] = m;
          }
      const unsigned int  n_points = points.size(), rows = n_super * 27, columns = 2 * n_points;
      std::vector<double> p2(std::size_t(class_size) * columns), product(std::size_t(rows) * columns);
      for (unsigned int pair = share; pair < n_atoms * n_atoms; pair += shares)
        {
          const unsigned int i = pair / n_atoms, c2 = pair % n_atoms;
          for (unsigned int m = 0; m < class_size; ++m)
            for (unsigned int p = 0; p < n_points; ++p)
              {
                const Complex phase_p          = phase(i, class_atoms[c2][m], points[p]);
                p2[m * columns + p]            = phase_p.real();
                p2[m * columns + n_points + p] = phase_p.imag();
              }
          cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, columns, class_size, 1.0,
                      fc3_by_class[pair].data(), class_size, p2.data(), columns, 0.0, product.data(), columns);
          for (unsigned int j = 0; j < n_super; ++j)
            for (int abc = 0; abc < 27; ++abc)
              {
                const double *row = &product[(std::size_t(j) * 27 + abc) * columns];
                for (unsigned int p = 0; p < n_points; ++p)
                  {
                    const std::size_t at =
                      third_atom_sum_index(p, i, c2, class_of[j]) + padded_27 * position_in_class[j] + abc;
                    sums_real[at] = row[p];
                    sums_imag[at] = row[n_points + p];
                  }
              }
        }
    }

    // The sums of the q2 = -q0 - k of a sub-mesh's partners k: one coset of the sub-mesh, the
    // same set for every row q0 of that coset (so rows are best taken coset by coset). The
    // set itself (sorted) decides whether the present tables serve, so any partner list is
    // served correctly, a subgroup or not.
    void ThreePhononInteraction::coset_tables(const std::vector<unsigned int> &q2_of,
                                              const std::vector<unsigned int> &partners)
    {
      std::vector<unsigned int> points;
      for (unsigned int k : partners)
        points.push_back(q2_of[k]);
      std::sort(points.begin(), points.end());
      if (points == tabulated)
        return;
      for (unsigned int q : tabulated)
        table_slot[q] = n_q;
      tabulated = points;
      for (unsigned int p = 0; p < points.size(); ++p)
        table_slot[points[p]] = p;
      n_third_sums = third_atom_sum_index(points.size(), 0, 0, 0);
      own_sums.assign(2 * n_third_sums, 0.0);
      sums_real = own_sums.data();
      tabulate_third_atom_sums(points, 0, 1, own_sums.data(), own_sums.data() + n_third_sums);
    }

    unsigned int ThreePhononInteraction::third(unsigned int q0, unsigned int k) const
    {
      return grid_index(mesh.size, {{-address[q0][0] - address[k][0], -address[q0][1] - address[k][1],
                          -address[q0][2] - address[k][2]}});
    }

    // Home atom at q0: both partner phases vary with k. The sum over the third atom is
    // tabulated (third_sum_*); what is left per k is the sum over the second atom with
    // its q1 phases, vectorized over the 27 Cartesian components.
    void ThreePhononInteraction::add_home_leg(const std::vector<unsigned int> &q2_of,
                                              const std::vector<unsigned int> &columns,
                                              const std::vector<Complex> &pre,
                                              std::vector<Complex> &phi) const
    {
      const double       weight = r0_average ? 1.0 / 3 : 1.0;
      const unsigned int nb     = n_band;
      for (unsigned int column = 0; column < columns.size(); ++column)
        for (unsigned int i = 0, k = columns[column]; i < n_atoms; ++i)
          for (unsigned int c2 = 0; c2 < n_atoms; ++c2)
            for (unsigned int c1 = 0; c1 < n_atoms; ++c1)
              {
                const std::size_t at  = third_atom_sum_index(table_slot[q2_of[k]], i, c2, c1);
                const double     *t_r = sums_real + at, *t_i = t_r + n_third_sums;
                const std::size_t p   = ((std::size_t(k) * n_atoms + i) * n_atoms + c1) * class_size;
                const double     *p_r = &second_phase_real[p], *p_i = &second_phase_imag[p];
                double            sum_r[padded_27] = {}, sum_i[padded_27] = {};
                for (unsigned int m = 0; m < class_size; ++m, t_r += padded_27, t_i += padded_27)
                  for (unsigned int abc = 0; abc < padded_27; ++abc)
                    {
                      sum_r[abc] += p_r[m] * t_r[abc] - p_i[m] * t_i[abc];
                      sum_i[abc] += p_r[m] * t_i[abc] + p_i[m] * t_r[abc];
                    }
                const Complex factor = weight * pre[i * n_q + k];
                for (int abc = 0; abc < 27; ++abc)
                  {
                    const int x0 = 3 * i + abc / 9, x1 = 3 * c1 + (abc / 3) % 3,
                              x2 = 3 * c2 + abc % 3;
                    phi[x0 + nb * (x2 + nb * (x1 + std::size_t(nb) * column))] +=
                      factor * Complex(sum_r[abc], sum_i[abc]);
                  }
              }
    }

    // Home atom at q1 or q2: the q0 phase is the same for every k, so it is summed first
    // (g), leaving one k-dependent phase per term.
    void ThreePhononInteraction::add_partner_legs(unsigned int                     q0,
                                                  const std::vector<unsigned int> &q2_of,
                                                  const std::vector<unsigned int> &columns,
                                                  const std::vector<Complex>      &pre,
                                                  std::vector<Complex>            &phi) const
    {
      const unsigned int nb = n_band;
      // g(h, c0, l, abc) = sum_{j in c0} fc3(h, j, l, abc) <e^{2 pi i q0.r_hj}>
      std::vector<Complex> g(std::size_t(n_atoms) * n_atoms * n_super * 27, 0.0);
      for (unsigned int h = 0; h < n_atoms; ++h)
        for (unsigned int c0 = 0; c0 < n_atoms; ++c0)
          for (int j : class_atoms[c0])
            {
              const Complex p = phase(h, j, q0);
              for (unsigned int l = 0; l < n_super; ++l)
                for (int abc = 0; abc < 27; ++abc)
                  g[((std::size_t(h) * n_atoms + c0) * n_super + l) * 27 + abc] +=
                    p * fc3[((std::size_t(h) * n_super + j) * n_super + l) * 27 + abc];
            }
      for (unsigned int column = 0; column < columns.size(); ++column)
        {
          const unsigned int k = columns[column], q2 = q2_of[k];
          for (unsigned int h = 0; h < n_atoms; ++h)
            for (unsigned int c0 = 0; c0 < n_atoms; ++c0)
              for (unsigned int c = 0; c < n_atoms; ++c)
                {
                  // Leg home at q1 (atom h, Cartesian a): third atoms l at q2 (class c).
                  // Leg home at q2 (atom h, Cartesian a): third atoms l at q1 (class c).
                  Complex at_q1[27] = {}, at_q2[27] = {};
                  for (int l : class_atoms[c])
                    {
                      const Complex  p2 = phase(h, l, q2), p1 = phase(h, l, k);
                      const Complex *gl =
                        &g[((std::size_t(h) * n_atoms + c0) * n_super + l) * 27];
                      for (int abc = 0; abc < 27; ++abc)
                        {
                          at_q1[abc] += gl[abc] * p2;
                          at_q2[abc] += gl[abc] * p1;
                        }
                    }
                  const Complex w1 = pre[h * n_q + k] / 3.0;
                  for (int abc = 0; abc < 27; ++abc)
                    {
                      const int a = abc / 9, b = (abc / 3) % 3, cc = abc % 3;
                      const int x0 = 3 * c0 + b;
                      // home q1: x1 = (h, a), x2 = (c, cc)
                      phi[x0 + nb * ((3 * c + cc) + nb * ((3 * h + a) + std::size_t(nb) * column))] +=
                        w1 * at_q1[abc];
                      // home q2: x2 = (h, a), x1 = (c, cc)
                      phi[x0 + nb * ((3 * h + a) + nb * ((3 * c + cc) + std::size_t(nb) * column))] +=
                        w1 * at_q2[abc];
                    }
                }
        }
    }

    void ThreePhononInteraction::reciprocal_fc3(unsigned int q0, const std::vector<unsigned int> &q2_of,
                                                const std::vector<unsigned int> &columns,
                                                std::vector<Complex>            &phi) const
    {
      phi.assign(std::size_t(n_band) * n_band * n_band * columns.size(), 0.0);
      // e^{2 pi i G.(x_i - x_0)} with G = q0 + q1 + q2 (the mesh's wrapped q vectors).
      std::vector<Complex> pre(std::size_t(n_atoms) * n_q);
      for (unsigned int k = 0; k < n_q; ++k)
        {
          const Eigen::Vector3d sum = (mesh.q_fractional.row(q0) + mesh.q_fractional.row(k) +
                                       mesh.q_fractional.row(q2_of[k]))
                                        .transpose();
          for (unsigned int i = 0; i < n_atoms; ++i)
            pre[i * n_q + k] = std::polar(1.0, two_pi * sum.dot(basis_offset[i]));
        }
      add_home_leg(q2_of, columns, pre, phi);
      if (r0_average)
        add_partner_legs(q0, q2_of, columns, pre, phi);
    }

    void ThreePhononInteraction::strength(unsigned int q0, std::vector<double> &result) const
    {
      if (!fc3_by_class.empty())
        throw std::logic_error("a three-phonon interaction of sub-mesh partners has no sums for every q2");
      std::vector<unsigned int> q2_of(n_q);
      for (unsigned int k = 0; k < n_q; ++k)
        q2_of[k] = third(q0, k);
      std::vector<unsigned int> columns;
      for (unsigned int k = 0; k < n_q; ++k)
        if (!exchange_symmetric || k <= q2_of[k])
          columns.push_back(k);
      contract(q0, q2_of, columns, columns, n_q, exchange_symmetric, result);
    }

    void ThreePhononInteraction::strength(unsigned int q0, const std::vector<unsigned int> &partners,
                                          std::vector<double> &result)
    {
      std::vector<unsigned int> q2_of(n_q), slot_of(partners.size());
      for (unsigned int k = 0; k < n_q; ++k)
        q2_of[k] = third(q0, k);
      if (!fc3_by_class.empty())
        coset_tables(q2_of, partners);
      std::iota(slot_of.begin(), slot_of.end(), 0u);
      // The exchanged column q2 of a partner is in general not a partner: no halving.
      contract(q0, q2_of, partners, slot_of, partners.size(), false, result);
    }

    void ThreePhononInteraction::contract(unsigned int q0, const std::vector<unsigned int> &q2_of,
                                          const std::vector<unsigned int> &columns,
                                          const std::vector<unsigned int> &slot_of, unsigned int n_slots,
                                          bool exchanged, std::vector<double> &result) const
    {
      const unsigned int   nb = n_band;
      std::vector<Complex> phi;
      reciprocal_fc3(q0, q2_of, columns, phi);

      // V(s0, s1, s2) = sum Phi(x0, x1, x2) e0(x0, s0) e1(x1, s1) e2(x2, s2): the q0 leg
      // for all columns in one product, then per column the q1 leg and, per s1, the q2 leg.
      using ConstMap = Eigen::Map<const Eigen::MatrixXcd>;
      const Eigen::MatrixXcd m = scaled_eigenvectors[q0].transpose() *
                                 ConstMap(phi.data(), nb, Eigen::Index(nb) * nb * columns.size());
      const double     prefactor = std::pow(constants::hbar, 3) / (8.0 * n_slots);
      Eigen::MatrixXcd z(nb * nb, nb), v(nb, nb);
      result.assign(std::size_t(n_slots) * nb * nb * nb, 0.0);
      for (unsigned int column = 0; column < columns.size(); ++column)
        {
          const unsigned int k = columns[column], q2 = q2_of[k];
          const std::size_t  slot = slot_of[column];
          z.noalias() = ConstMap(m.data() + std::size_t(nb) * nb * nb * column, nb * nb, nb) *
                        scaled_eigenvectors[k]; // (s0 + nb x2, s1)
          for (unsigned int s1 = 0; s1 < nb; ++s1)
            {
              v.noalias() = ConstMap(z.data() + nb * nb * s1, nb, nb) *
                            scaled_eigenvectors[q2]; // (s0, s2)
              for (unsigned int s0 = 0; s0 < nb; ++s0)
                for (unsigned int s2 = 0; s2 < nb; ++s2)
                  {
                    const double w0 = mesh.omega(q0, s0), w1 = mesh.omega(k, s1),
                                 w2 = mesh.omega(q2, s2);
                    if (w0 < frequency_cutoff || w1 < frequency_cutoff || w2 < frequency_cutoff)
                      continue;
                    const double value = prefactor * std::norm(v(s0, s2)) / (w0 * w1 * w2);
                    result[((slot * nb + s0) * nb + s1) * nb + s2] = value;
                    if (exchanged) // the exchanged column q2 (its partner is k)
                      result[((std::size_t(q2) * nb + s0) * nb + s2) * nb + s1] = value;
                  }
            }
        }
    }
  } // namespace phonons
} // namespace kapitza
