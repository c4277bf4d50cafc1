#include "solver/drift_sweep.h"

#include <algorithm>
#include <cmath>

namespace kapitza
{
  namespace
  {
    constexpr std::size_t max_cached_entries = 50'000'000; // ints, about 200 MB

    // Does the face bring this mode's inflow from an upwind partner cell?
    bool upwind_partner(const DriftFace &face, const Eigen::Vector3d &v)
    {
      return face.neighbor >= 0 && (face.normal_jxw.transpose() * v).minCoeff() < 0;
    }

    // Iterative Tarjan: components come out dependencies-first, the sweep order.
    template <typename Successors>
    SweepOrder strongly_connected_components(int n, const Successors &successors)
    {
      SweepOrder                       order;
      std::vector<int>                 index(n, -1), low(n, 0), stack;
      std::vector<bool>                on_stack(n, false);
      std::vector<std::pair<int, int>> call; // (cell, next successor position)
      std::vector<int>                 next_list;
      int                              counter = 0;
      for (int root = 0; root < n; ++root)
        {
          if (index[root] >= 0)
            continue;
          call.push_back({root, 0});
          index[root] = low[root] = counter++;
          stack.push_back(root);
          on_stack[root] = true;
          while (!call.empty())
            {
              auto &[v, next] = call.back();
              successors(v, next_list);
              if (next < int(next_list.size()))
                {
                  const int w = next_list[next++];
                  if (index[w] < 0)
                    {
                      index[w] = low[w] = counter++;
                      stack.push_back(w);
                      on_stack[w] = true;
                      call.push_back({w, 0});
                    }
                  else if (on_stack[w])
                    low[v] = std::min(low[v], index[w]);
                  continue;
                }
              if (low[v] == index[v])
                {
                  order.start.push_back(order.cells.size());
                  int w;
                  do
                    {
                      w = stack.back();
                      stack.pop_back();
                      on_stack[w] = false;
                      order.cells.push_back(w);
                  } while (w != v);
                }
              const int finished = v;
              call.pop_back();
              if (!call.empty())
                low[call.back().first] = std::min(low[call.back().first], low[finished]);
            }
        }
      order.start.push_back(order.cells.size());
      return order;
    }
  } // namespace

  template <int dim>
  DriftSweep<dim>::DriftSweep(const DriftGeometry<dim> &geometry)
    : geometry_data(geometry)
    , inverse_cache(geometry.regions().size())
  {}

  template <int dim>
  SweepOrder DriftSweep<dim>::compute_order(unsigned int region, const Eigen::Vector3d &v) const
  {
    const auto &cells = geometry_data.regions()[region].cell_data;
    auto successors   = [&](int c, std::vector<int> &list) {
      list.clear();
      for (const DriftFace &face : cells[c].faces)
        if (upwind_partner(face, v))
          list.push_back(face.neighbor);
    };
    SweepOrder order = strongly_connected_components(cells.size(), successors);
    std::vector<int> list;
    for (unsigned int k = 0; k + 1 < order.start.size(); ++k)
      {
        const int first = order.cells[order.start[k]];
        bool self_loop  = false;
        successors(first, list);
        for (int w : list)
          self_loop |= (w == first);
        order.coupled.push_back(order.start[k + 1] - order.start[k] > 1 || self_loop);
      }
    return order;
  }

  template <int dim>
  const SweepOrder &DriftSweep<dim>::order(unsigned int region, const Eigen::Vector3d &v) const
  {
    // Every mode of one direction in the mesh's space shares the order (quadrature
    // materials: all bands; in 1D all modes of one sign of v_x): faces have no normal
    // component beyond dim.
    const double  norm = v.head<dim>().norm();
    DirectionKey key{{region, 0, 0, 0}};
    for (int d = 0; d < dim && norm > 0; ++d)
      key[d + 1] = std::llround(v[d] / norm * 1e12);
    const auto found = cache.find(key);
    if (found != cache.end())
      return found->second;
    SweepOrder computed = compute_order(region, v);
    if (cached_entries + computed.cells.size() > max_cached_entries)
      return scratch_order = std::move(computed);
    cached_entries += computed.cells.size();
    return cache.emplace(key, std::move(computed)).first->second;
  }

  template <int dim>
  void DriftSweep<dim>::solve(unsigned int region, const ModeDrift &mode, double *psi) const
  {
    const SweepOrder &sweep_order = order(region, mode.velocity);
    for (unsigned int k = 0; k + 1 < sweep_order.start.size(); ++k)
      solve_component(region, sweep_order, k, mode, psi);
    auto     &cache = inverse_cache[region];
    const int slot  = cache.slot(mode.local_mode);
    if (slot >= 0)
      cache.ready[slot] = 1;
  }

  template <int dim>
  double DriftSweep<dim>::reserve_inverse_cache(unsigned int region, DriftClasses classes, double max_bytes)
  {
    const std::size_t per_class = geometry_data.regions()[region].cell_data.size() *
                                  std::size_t(geometry_data.dofs_per_cell() * geometry_data.dofs_per_cell());
    auto &cache     = inverse_cache[region];
    cache.class_of  = std::move(classes.class_of);
    cache.n_classes = std::min<double>(classes.count, max_bytes / (8.0 * std::max<std::size_t>(per_class, 1)));
    const std::size_t size = cache.n_classes * per_class;
    cache.data.reset(new double[size]);
    cache.ready.assign(cache.n_classes, 0);
    return 8.0 * size;
  }

  std::array<long long, 2> relative_key(double x, double tolerance)
  {
    int          exponent = 0;
    const double mantissa = std::frexp(x, &exponent);
    return {{exponent, std::llround(mantissa / (0.5 * tolerance))}};
  }

  template <int dim>
  DriftKey<dim> drift_key(double rate, const Eigen::Vector3d &velocity, double tolerance)
  {
    // Speed to tolerance / 2 and directions in steps of tolerance / 4: equal keys then
    // mean velocity components within 3/4 tolerance of the speed.
    const double  speed = velocity.head<dim>().norm();
    DriftKey<dim> key;
    const auto    rate_key = relative_key(rate, tolerance), speed_key = relative_key(speed, 0.5 * tolerance);
    key[0] = rate_key[0], key[1] = rate_key[1], key[2] = speed_key[0], key[3] = speed_key[1];
    for (int d = 0; d < dim; ++d)
      key[4 + d] = speed > 0 ? std::llround(velocity[d] / speed / (0.25 * tolerance)) : 0;
    return key;
  }

  template <int dim>
  DriftClasses drift_classes(const Eigen::VectorXd &rate, const Eigen::MatrixXd &velocity, double tolerance)
  {
    std::map<DriftKey<dim>, int> class_of_key;
    DriftClasses                 classes;
    classes.class_of.resize(rate.size());
    for (Eigen::Index i = 0; i < rate.size(); ++i)
      {
        const Eigen::Vector3d v = velocity.row(i).transpose();
        classes.class_of[i] = class_of_key.emplace(drift_key<dim>(rate[i], v, tolerance), int(class_of_key.size())).first->second;
      }
    classes.count = class_of_key.size();
    return classes;
  }

  namespace
  {
    // Small dense matrices without heap allocation: a cell has at most 27 DoFs (Q2 in 3D).
    using LocalMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 27, 27>;
    using LocalVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 27, 1>;

    // Fixed-size views of the cell data for the common degrees (`size` = DoFs per cell),
    // so that the compiler unrolls the small products; Dynamic otherwise.
    template <int size>
    struct CellView
    {
      using Matrix    = std::conditional_t<size == Eigen::Dynamic, LocalMatrix, Eigen::Matrix<double, size, size>>;
      using Vector    = std::conditional_t<size == Eigen::Dynamic, LocalVector, Eigen::Matrix<double, size, 1>>;
      using MatrixMap = Eigen::Map<const Eigen::Matrix<double, size, size>>;
      using VectorMap = Eigen::Map<const Eigen::Matrix<double, size, 1>>;
      static MatrixMap matrix(const Eigen::MatrixXd &m) { return MatrixMap(m.data(), m.rows(), m.cols()); }
      static VectorMap column(const Eigen::MatrixXd &m, int q) { return VectorMap(m.data() + q * m.rows(), m.rows()); }
      static VectorMap values(const double *p, int nd) { return VectorMap(p, nd); }
    };

    // Adds cell c's equation: its own matrix into `a`, known inflows into `rhs`, and the
    // coupling to partners inside the same component into the block (couple() is true).
    // With with_matrix false only the right-hand side is assembled (a is left as it is).
    template <int dim, int size, typename Matrix, typename Vector, typename Couple>
    void assemble_cell(const DriftCell &cell, int nd, const ModeDrift &mode, const double *source,
                       const double *psi, Matrix &a, Vector &rhs, const Couple &couple,
                       bool with_matrix = true)
    {
      using View = CellView<size>;
      if (with_matrix)
        {
          a = mode.rate * View::matrix(cell.mass);
          for (int d = 0; d < dim; ++d)
            a -= mode.velocity[d] * View::matrix(cell.gradient[d]);
        }
      if (source)
        rhs.noalias() = View::matrix(cell.mass) * View::values(source, nd);
      else
        rhs.setZero(nd);
      for (const DriftFace &face : cell.faces)
        for (int q = 0; q < face.normal_jxw.cols(); ++q)
          {
            const double w   = face.normal_jxw.col(q).dot(mode.velocity);
            const auto   phi = View::column(face.own_values, q);
            if (w > 0 && with_matrix)
              a.noalias() += (w * phi) * phi.transpose();
            else if (w < 0 && face.neighbor < 0)
              rhs -= (w * (mode.inflow ? mode.inflow[face.first_trace + q] : 0.0)) * phi;
            else if (w < 0)
              {
                const auto phi_n = View::column(face.neighbor_values, q);
                double     value = face.jump * mode.jump_shift;
                if (!couple(face.neighbor, w, phi, phi_n))
                  value += phi_n.dot(View::values(psi + face.neighbor * nd, nd));
                rhs -= (w * value) * phi;
              }
          }
    }

    // One cell with all its inflows known: a small dense solve. With `inverse` (nd x nd
    // storage) the inverse is kept there on the first call and reused afterwards.
    template <int dim, int size>
    void solve_single_cell(const DriftCell &cell, int c, const ModeDrift &mode, double *psi,
                           double *inverse, bool inverse_ready)
    {
      using Matrix = typename CellView<size>::Matrix;
      using Vector = typename CellView<size>::Vector;
      const int nd = cell.mass.rows();
      Matrix    a(nd, nd);
      Vector    rhs(nd);
      const auto no_coupling = [](int, double, const auto &, const auto &) { return false; };
      assemble_cell<dim, size>(cell, nd, mode, mode.source ? mode.source + c * nd : nullptr, psi,
                               a, rhs, no_coupling, !inverse_ready);
      Eigen::Map<Vector> result(psi + c * nd, nd);
      if (inverse)
        {
          Eigen::Map<Eigen::Matrix<double, size, size>> stored(inverse, nd, nd);
          if (!inverse_ready)
            stored = a.inverse();
          result = stored * rhs;
        }
      // Up to 4x4 the closed-form inverse is cheaper than a pivoted factorization; a is
      // well conditioned (its symmetric part is M/tau plus half the outflow face terms).
      else if constexpr (size != Eigen::Dynamic && size <= 4)
        result = a.inverse() * rhs;
      else
        result = a.partialPivLu().solve(rhs);
    }
  } // namespace

  template <int dim>
  void DriftSweep<dim>::solve_component(unsigned int region, const SweepOrder &order,
                                        unsigned int component, const ModeDrift &mode,
                                        double *psi) const
  {
    const auto &cells = geometry_data.regions()[region].cell_data;
    const int   nd    = geometry_data.dofs_per_cell();
    const int   first = order.start[component], n = order.start[component + 1] - first;
    if (!order.coupled[component])
      {
        const int     c       = order.cells[first];
        const auto   &cache   = inverse_cache[region];
        const int     slot    = cache.slot(mode.local_mode);
        double *const inverse = slot >= 0 ? cache.data.get() + (std::size_t(slot) * cells.size() + c) * nd * nd : nullptr;
        const bool    ready   = slot >= 0 && cache.ready[slot];
        switch (nd)
          {
            case 2: // Q1 in 1D
              return solve_single_cell<dim, 2>(cells[c], c, mode, psi, inverse, ready);
            case 4: // Q1 in 2D
              return solve_single_cell<dim, 4>(cells[c], c, mode, psi, inverse, ready);
            case 8: // Q1 in 3D
              return solve_single_cell<dim, 8>(cells[c], c, mode, psi, inverse, ready);
            default:
              return solve_single_cell<dim, Eigen::Dynamic>(cells[c], c, mode, psi, inverse, ready);
          }
      }
    // A cycle: all its cells form one block system, solved exactly.
    if (position.size() != cells.size())
      position.assign(cells.size(), -1);
    for (int i = 0; i < n; ++i)
      position[order.cells[first + i]] = i;
    Eigen::MatrixXd block = Eigen::MatrixXd::Zero(n * nd, n * nd);
    Eigen::VectorXd rhs(n * nd);
    for (int i = 0; i < n; ++i)
      {
        const int c        = order.cells[first + i];
        auto      couple   = [&](int neighbor, double w, const auto &phi, const auto &phi_n) {
          if (position[neighbor] < 0)
            return false;
          block.block(i * nd, position[neighbor] * nd, nd, nd).noalias() += (w * phi) * phi_n.transpose();
          return true;
        };
        LocalMatrix a(nd, nd);
        LocalVector b(nd);
        assemble_cell<dim, Eigen::Dynamic>(cells[c], nd, mode,
                                           mode.source ? mode.source + c * nd : nullptr, psi, a, b,
                                           couple);
        block.block(i * nd, i * nd, nd, nd) += a;
        rhs.segment(i * nd, nd) = b;
      }
    const Eigen::VectorXd x = block.partialPivLu().solve(rhs);
    for (int i = 0; i < n; ++i)
      {
        Eigen::Map<Eigen::VectorXd>(psi + order.cells[first + i] * nd, nd) = x.segment(i * nd, nd);
        position[order.cells[first + i]] = -1;
      }
  }

  template <int dim>
  void DriftSweep<dim>::trace_values(unsigned int region, const double *psi, double *traces) const
  {
    const auto &data = geometry_data.regions()[region];
    const int   nd   = geometry_data.dofs_per_cell();
    for (const auto &[c, f] : data.trace_faces)
      {
        const DriftFace &face = data.cell_data[c].faces[f];
        for (int q = 0; q < face.own_values.cols(); ++q)
          traces[face.first_trace + q] =
            face.own_values.col(q).dot(Eigen::Map<const Eigen::VectorXd>(psi + c * nd, nd));
      }
  }

  template DriftClasses  drift_classes<1>(const Eigen::VectorXd &, const Eigen::MatrixXd &, double);
  template DriftClasses  drift_classes<2>(const Eigen::VectorXd &, const Eigen::MatrixXd &, double);
  template DriftClasses  drift_classes<3>(const Eigen::VectorXd &, const Eigen::MatrixXd &, double);
  template DriftKey<1>   drift_key<1>(double, const Eigen::Vector3d &, double);
  template DriftKey<2>   drift_key<2>(double, const Eigen::Vector3d &, double);
  template DriftKey<3>   drift_key<3>(double, const Eigen::Vector3d &, double);
  template class DriftSweep<1>;
  template class DriftSweep<2>;
  template class DriftSweep<3>;
} // namespace kapitza
