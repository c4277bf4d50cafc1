#include "solver/drift_sweep.h"

#include <cmath>

namespace kapitza
{
  namespace
  {
    constexpr std::size_t max_cached_entries = 50'000'000; // ints, about 200 MB

    // Does the face bring this mode's inflow from an upwind partner cell?
    bool upwind_partner(const DriftFace &face, const Eigen::Vector3d &v)
    {
      return face.neighbor >= 0 && (face.normal_jxw * v).minCoeff() < 0;
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
    // Every mode of one direction shares the order (quadrature materials: all bands).
    const double  norm = v.norm();
    DirectionKey key{region, 0, 0, 0};
    for (int d = 0; d < 3 && norm > 0; ++d)
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
  }

  template <int dim>
  void DriftSweep<dim>::solve_component(unsigned int region, const SweepOrder &order,
                                        unsigned int component, const ModeDrift &mode,
                                        double *psi) const
  {
    const auto &cells = geometry_data.regions()[region].cell_data;
    const int   nd    = geometry_data.dofs_per_cell();
    const int   first = order.start[component], n = order.start[component + 1] - first;
    if (position.size() != cells.size())
      position.assign(cells.size(), -1);
    for (int i = 0; i < n; ++i)
      position[order.cells[first + i]] = i;

    Eigen::MatrixXd block = Eigen::MatrixXd::Zero(n * nd, n * nd);
    Eigen::VectorXd rhs   = Eigen::VectorXd::Zero(n * nd);
    for (int i = 0; i < n; ++i)
      {
        const int        c    = order.cells[first + i];
        const DriftCell &cell = cells[c];
        auto             a    = block.block(i * nd, i * nd, nd, nd);
        a                     = mode.rate * cell.mass;
        for (int d = 0; d < dim; ++d)
          a -= mode.velocity[d] * cell.gradient[d];
        if (mode.source)
          rhs.segment(i * nd, nd) = cell.mass * Eigen::Map<const Eigen::VectorXd>(mode.source + c * nd, nd);
        for (const DriftFace &face : cell.faces)
          {
            const Eigen::VectorXd w = face.normal_jxw * mode.velocity;
            for (int q = 0; q < w.size(); ++q)
              {
                const auto phi = face.own_values.row(q).transpose();
                if (w[q] > 0)
                  a += w[q] * phi * phi.transpose();
                else if (w[q] < 0 && face.neighbor < 0)
                  rhs.segment(i * nd, nd) -=
                    w[q] * (mode.inflow ? mode.inflow[face.first_trace + q] : 0.0) * phi;
                else if (w[q] < 0)
                  {
                    const auto phi_n = face.neighbor_values.row(q);
                    rhs.segment(i * nd, nd) -= w[q] * face.jump * mode.jump_shift * phi;
                    const int j = order.coupled[component] ? position[face.neighbor] : -1;
                    if (j >= 0 && order.cells[first + j] == face.neighbor)
                      block.block(i * nd, j * nd, nd, nd) += w[q] * phi * phi_n;
                    else
                      rhs.segment(i * nd, nd) -=
                        w[q] * phi_n.dot(Eigen::Map<const Eigen::VectorXd>(psi + face.neighbor * nd, nd)) * phi;
                  }
              }
          }
      }
    const Eigen::VectorXd x = block.partialPivLu().solve(rhs);
    for (int i = 0; i < n; ++i)
      Eigen::Map<Eigen::VectorXd>(psi + order.cells[first + i] * nd, nd) = x.segment(i * nd, nd);
    for (int i = 0; i < n; ++i)
      position[order.cells[first + i]] = -1;
  }

  template <int dim>
  void DriftSweep<dim>::trace_values(unsigned int region, const double *psi, double *traces) const
  {
    const auto &cells = geometry_data.regions()[region].cell_data;
    const int   nd    = geometry_data.dofs_per_cell();
    for (unsigned int c = 0; c < cells.size(); ++c)
      for (const DriftFace &face : cells[c].faces)
        if (face.neighbor < 0)
          for (int q = 0; q < face.own_values.rows(); ++q)
            traces[face.first_trace + q] =
              face.own_values.row(q).dot(Eigen::Map<const Eigen::VectorXd>(psi + c * nd, nd));
  }

  template class DriftSweep<1>;
  template class DriftSweep<2>;
  template class DriftSweep<3>;
} // namespace kapitza
