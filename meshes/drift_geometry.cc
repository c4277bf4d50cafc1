#include "meshes/drift_geometry.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_tools.h>

#include <limits>
#include <stdexcept>

namespace kapitza
{
  template <int dim>
  unsigned int DriftRegion<dim>::n_dofs() const
  {
    return cell_data.empty() ? 0 : cell_data.size() * cell_data[0].mass.rows();
  }

  unsigned int drift_quadrature_points(unsigned int fe_degree, unsigned int mapping_degree, int dim)
  {
    const unsigned int integrand_degree = fe_degree + (dim - 1) * mapping_degree;
    return std::max(fe_degree + 1, (integrand_degree + 2) / 2); // Gauss: exact to 2n - 1
  }

  template <int dim>
  DriftGeometry<dim>::DriftGeometry(const dealii::Triangulation<dim> &triangulation,
                                    unsigned int degree, unsigned int n_materials,
                                    const std::vector<PeriodicPair> &periodic,
                                    unsigned int                     mapping_degree)
    : fe(degree)
    , mapping_q(mapping_degree)
    , quadrature_points(drift_quadrature_points(degree, mapping_degree, dim))
    , region_list(n_materials)
    , cell_location(triangulation.n_active_cells())
  {
    for (const PeriodicPair &pair : periodic)
      {
        std::vector<dealii::GridTools::PeriodicFacePair<
          typename dealii::Triangulation<dim>::cell_iterator>>
          matched;
        if (pair.id_low == pair.id_high)
          dealii::GridTools::collect_periodic_faces(triangulation, pair.id_low,
                                                    pair.direction, matched);
        else
          dealii::GridTools::collect_periodic_faces(triangulation, pair.id_low, pair.id_high,
                                                    pair.direction, matched);
        if (matched.empty())
          throw std::runtime_error("periodic boundaries found no matching faces");
        for (const auto &m : matched)
          {
            // The low face (smaller coordinate) receives +jump on its inflow.
            const double x0 = m.cell[0]->face(m.face_idx[0])->center()[pair.direction];
            const double x1 = m.cell[1]->face(m.face_idx[1])->center()[pair.direction];
            const double sign = x0 < x1 ? 1.0 : -1.0;
            periodic_partner[{m.cell[0]->active_cell_index(), m.face_idx[0]}] =
              std::make_tuple(m.cell[1], m.face_idx[1], sign * pair.jump);
            periodic_partner[{m.cell[1]->active_cell_index(), m.face_idx[1]}] =
              std::make_tuple(m.cell[0], m.face_idx[0], -sign * pair.jump);
          }
      }

    for (const auto &cell : triangulation.active_cell_iterators())
      {
        if (cell->material_id() >= n_materials)
          throw std::runtime_error("cell with material id " +
                                   std::to_string(cell->material_id()) +
                                   " has no material in Materials/Names");
        auto &region = region_list[cell->material_id()];
        cell_location[cell->active_cell_index()] = {cell->material_id(), region.cells.size()};
        region.cells.push_back(cell);
      }
    double smallest_cell = std::numeric_limits<double>::max();
    for (auto &region : region_list)
      {
        region.cell_data.resize(region.cells.size());
        for (unsigned int k = 0; k < region.cells.size(); ++k)
          {
            build_cell(region.cells[k], region, region.cell_data[k]);
            for (unsigned int f = 0; f < region.cell_data[k].faces.size(); ++f)
              if (region.cell_data[k].faces[f].neighbor < 0)
                region.trace_faces.emplace_back(k, f);
            smallest_cell = std::min(smallest_cell, region.cells[k]->minimum_vertex_distance());
          }
      }
    pair_interface_traces(1e-6 * smallest_cell);
  }

  template <int dim>
  void DriftGeometry<dim>::pair_interface_traces(double tolerance)
  {
    // Both sides evaluate the same physical quadrature points of a shared face (their
    // order may differ with the face orientation): match them by position.
    std::map<std::array<long long, 3>, std::pair<int, int>> by_position;
    const auto key = [&](const Eigen::Vector3d &x) {
      return std::array<long long, 3>{{std::llround(x[0] / tolerance), std::llround(x[1] / tolerance),
                                       std::llround(x[2] / tolerance)}};
    };
    for (unsigned int r = 0; r < region_list.size(); ++r)
      for (unsigned int t = 0; t < region_list[r].traces.size(); ++t)
        if (region_list[r].traces[t].boundary_id == interface_id)
          {
            const auto found = by_position.find(key(region_list[r].traces[t].position));
            if (found == by_position.end())
              {
                by_position[key(region_list[r].traces[t].position)] = {r, t};
                continue;
              }
            auto &other          = region_list[found->second.first].traces[found->second.second];
            other.partner_region = r;
            other.partner_trace  = t;
            region_list[r].traces[t].partner_region = found->second.first;
            region_list[r].traces[t].partner_trace  = found->second.second;
            by_position.erase(found);
          }
    if (!by_position.empty())
      throw std::runtime_error("interface quadrature points without a partner on the other "
                               "material (non-conforming interface faces are not supported)");
  }

  template <int dim>
  void DriftGeometry<dim>::build_cell(
    const typename dealii::Triangulation<dim>::active_cell_iterator &cell,
    DriftRegion<dim> &region, DriftCell &data)
  {
    const unsigned int     nd = fe.n_dofs_per_cell();
    dealii::FEValues<dim>  values(mapping_q, fe, dealii::QGauss<dim>(quadrature_points),
                                 dealii::update_values | dealii::update_gradients |
                                   dealii::update_JxW_values);
    values.reinit(cell);
    data.mass = Eigen::MatrixXd::Zero(nd, nd);
    data.gradient.assign(dim, Eigen::MatrixXd::Zero(nd, nd));
    for (unsigned int q = 0; q < values.n_quadrature_points; ++q)
      {
        const double jxw = values.JxW(q);
        data.volume += jxw;
        for (unsigned int i = 0; i < nd; ++i)
          for (unsigned int j = 0; j < nd; ++j)
            {
              data.mass(i, j) += values.shape_value(i, q) * values.shape_value(j, q) * jxw;
              for (int d = 0; d < dim; ++d)
                data.gradient[d](i, j) +=
                  values.shape_grad(i, q)[d] * values.shape_value(j, q) * jxw;
            }
      }
    data.faces.resize(cell->n_faces());
    for (unsigned int f = 0; f < cell->n_faces(); ++f)
      build_face(cell, f, region, data.faces[f]);
  }

  template <int dim>
  void DriftGeometry<dim>::build_face(
    const typename dealii::Triangulation<dim>::active_cell_iterator &cell, unsigned int f,
    DriftRegion<dim> &region, DriftFace &data)
  {
    const unsigned int        nd = fe.n_dofs_per_cell();
    dealii::FEFaceValues<dim> values(mapping_q, fe, dealii::QGauss<dim - 1>(quadrature_points),
                                     dealii::update_values | dealii::update_normal_vectors |
                                       dealii::update_JxW_values |
                                       dealii::update_quadrature_points);
    values.reinit(cell, f);
    const unsigned int nq = values.n_quadrature_points;
    data.normal_jxw       = Eigen::MatrixXd::Zero(3, nq);
    data.own_values       = Eigen::MatrixXd::Zero(nd, nq);
    for (unsigned int q = 0; q < nq; ++q)
      {
        data.normal_jxw.col(q) = values.JxW(q) * to_vector3<dim>(values.normal_vector(q));
        for (unsigned int i = 0; i < nd; ++i)
          data.own_values(i, q) = values.shape_value(i, q);
      }

    // The upwind partner: periodic image, same-material neighbour, or none (trace).
    typename dealii::Triangulation<dim>::active_cell_iterator partner;
    dealii::Tensor<1, dim> shift;
    if (const auto across = face_partner(cell, f))
      {
        const bool periodic = cell->at_boundary(f);
        if (periodic && across->cell->material_id() != cell->material_id())
          throw std::runtime_error("periodic boundaries join cells of different materials");
        if (across->cell->material_id() == cell->material_id())
          partner = across->cell, shift = across->shift, data.jump = across->jump;
      }

    if (partner.state() == dealii::IteratorState::valid)
      {
        data.neighbor        = cell_location[partner->active_cell_index()].second;
        data.neighbor_values = Eigen::MatrixXd::Zero(nd, nq);
        for (unsigned int q = 0; q < nq; ++q)
          {
            const auto unit = mapping_q.transform_real_to_unit_cell(
              partner, values.quadrature_point(q) + shift);
            for (unsigned int j = 0; j < nd; ++j)
              data.neighbor_values(j, q) = fe.shape_value(j, unit);
          }
        return;
      }
    data.first_trace = region.traces.size();
    for (unsigned int q = 0; q < nq; ++q)
      region.traces.push_back(
        {cell->at_boundary(f) ? cell->face(f)->boundary_id() : interface_id,
         to_vector3<dim>(values.normal_vector(q)),
         to_vector3<dim>(dealii::Tensor<1, dim>(values.quadrature_point(q)))});
  }

  template <int dim>
  std::optional<FacePartner<dim>>
  DriftGeometry<dim>::face_partner(const typename dealii::Triangulation<dim>::active_cell_iterator &cell,
                                   unsigned int f) const
  {
    const auto periodic = periodic_partner.find({cell->active_cell_index(), f});
    if (periodic != periodic_partner.end())
      {
        const auto &[partner, partner_face, jump] = periodic->second;
        return FacePartner<dim>{partner, partner_face, partner->face(partner_face)->center() - cell->face(f)->center(),
                                jump};
      }
    if (cell->at_boundary(f))
      return {};
    if (cell->neighbor(f)->has_children())
      throw std::runtime_error("meshes with hanging nodes are not supported");
    return FacePartner<dim>{cell->neighbor(f), cell->neighbor_of_neighbor(f), dealii::Tensor<1, dim>(), 0.0};
  }

  template class DriftGeometry<1>;
  template class DriftGeometry<2>;
  template class DriftGeometry<3>;
  template struct DriftRegion<1>;
  template struct DriftRegion<2>;
  template struct DriftRegion<3>;
} // namespace kapitza
