#include "solver/diffusion_acceleration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/vector.h>

namespace kapitza
{
  template <int dim>
  DiffusionAcceleration<dim>::DiffusionAcceleration(const dealii::Triangulation<dim> &triangulation,
                                                    const EventOperator<dim>         &events,
                                                    const BoundaryConditions &conditions)
    : events(events)
    , fe(1)
    , dof_handler(triangulation)
  {
    dof_handler.distribute_dofs(fe);
    for (const PeriodicPair &pair : conditions.periodic_pairs(dim))
      {
        if (pair.id_low == pair.id_high)
          dealii::DoFTools::make_periodicity_constraints(dof_handler, pair.id_low, pair.direction,
                                                         constraints);
        else
          dealii::DoFTools::make_periodicity_constraints(dof_handler, pair.id_low, pair.id_high,
                                                         pair.direction, constraints);
      }
    if (!conditions.has_thermalizing())
      // Only reflecting and periodic walls: dT is defined up to a constant; pin one DoF.
      for (dealii::types::global_dof_index i = 0; i < dof_handler.n_dofs(); ++i)
        if (!constraints.is_constrained(i))
          {
            constraints.add_line(i);
            break;
          }
    constraints.close();
    assemble(conditions);
    solver.initialize(matrix);
  }

  template <int dim>
  void DiffusionAcceleration<dim>::assemble(const BoundaryConditions &conditions)
  {
    const auto &geometry = events.sweep().geometry();
    const auto &dg       = geometry.finite_element();
    dealii::DynamicSparsityPattern pattern(dof_handler.n_dofs());
    dealii::DoFTools::make_sparsity_pattern(dof_handler, pattern, constraints, false);
    sparsity.copy_from(pattern);
    matrix.reinit(sparsity);

    const dealii::QGauss<dim>     quadrature(dg.degree + 2);
    const dealii::QGauss<dim - 1> face_quadrature(2);
    dealii::FEValues<dim> cg_values(geometry.mapping(), fe, quadrature,
                                    dealii::update_values | dealii::update_gradients |
                                      dealii::update_JxW_values);
    dealii::FEValues<dim> dg_values(geometry.mapping(), dg, quadrature, dealii::update_values);
    dealii::FEFaceValues<dim> face_values(geometry.mapping(), fe, face_quadrature,
                                          dealii::update_values | dealii::update_normal_vectors |
                                            dealii::update_JxW_values);
    const unsigned int n_cg = fe.n_dofs_per_cell(), n_dg = dg.n_dofs_per_cell();
    std::vector<dealii::types::global_dof_index> indices(n_cg);
    projection.resize(dof_handler.get_triangulation().n_active_cells());
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        const auto           &modes = events.physics()[cell->material_id()].modes;
        const Eigen::Matrix3d kappa = rta_conductivity(modes);
        cg_values.reinit(cell);
        dg_values.reinit(typename dealii::Triangulation<dim>::active_cell_iterator(cell));
        dealii::FullMatrix<double> local(n_cg, n_cg);
        Eigen::MatrixXd           &b = projection[cell->active_cell_index()];
        b                            = Eigen::MatrixXd::Zero(n_cg, n_dg);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          for (unsigned int i = 0; i < n_cg; ++i)
            {
              for (unsigned int j = 0; j < n_cg; ++j)
                for (int d = 0; d < dim; ++d)
                  for (int e = 0; e < dim; ++e)
                    local(i, j) += cg_values.shape_grad(i, q)[d] * kappa(d, e) *
                                   cg_values.shape_grad(j, q)[e] * cg_values.JxW(q);
              for (unsigned int j = 0; j < n_dg; ++j)
                b(i, j) += cg_values.shape_value(i, q) * dg_values.shape_value(j, q) * cg_values.JxW(q);
            }
        for (const auto f : cell->face_indices())
          {
            if (!cell->at_boundary(f) ||
                !conditions.at(cell->face(f)->boundary_id()).wall_temperature())
              continue;
            face_values.reinit(cell, f);
            Eigen::Vector3d normal = Eigen::Vector3d::Zero();
            for (int d = 0; d < dim; ++d)
              normal[d] = face_values.normal_vector(0)[d];
            const Eigen::VectorXd vn = (modes.velocity * normal).cwiseMax(0.0);
            const double          h  = 2 * modes.heat_capacity().dot(vn);
            for (unsigned int q = 0; q < face_quadrature.size(); ++q)
              for (unsigned int i = 0; i < n_cg; ++i)
                for (unsigned int j = 0; j < n_cg; ++j)
                  local(i, j) += h * face_values.shape_value(i, q) * face_values.shape_value(j, q) *
                                 face_values.JxW(q);
          }
        cell->get_dof_indices(indices);
        constraints.distribute_local_to_global(local, indices, matrix);
      }
    const auto support = dg.get_unit_support_points();
    interpolation.resize(n_dg, n_cg);
    for (unsigned int k = 0; k < n_dg; ++k)
      for (unsigned int i = 0; i < n_cg; ++i)
        interpolation(k, i) = fe.shape_value(i, support[k]);
  }

  template <int dim>
  void DiffusionAcceleration<dim>::apply(ModeField &residual) const
  {
    // Energy the mixing redistributes from the residual, per DG DoF of each region.
    std::vector<Eigen::VectorXd> source;
    for (unsigned int r = 0; r < residual.region.size(); ++r)
      {
        const auto &region = events.physics()[r];
        const int   first = region.distribution->local_begin(), n = region.distribution->n_local();
        const Eigen::VectorXd weight =
          region.energy.segment(first, n).cwiseProduct(region.rate.segment(first, n));
        const Eigen::VectorXd local = residual.region[r].transpose() * weight;
        source.emplace_back(local.size());
        MPI_Allreduce(local.data(), source.back().data(), local.size(), MPI_DOUBLE, MPI_SUM,
                      events.communicator());
      }
    const std::vector<Eigen::VectorXd> correction = temperature_correction(source);
    for (unsigned int r = 0; r < residual.region.size(); ++r)
      {
        const auto &region = events.physics()[r];
        residual.region[r].noalias() +=
          region.shift.segment(region.distribution->local_begin(), region.distribution->n_local()) *
          correction[r].transpose();
      }
  }

  template <int dim>
  std::vector<Eigen::VectorXd>
  DiffusionAcceleration<dim>::temperature_correction(const std::vector<Eigen::VectorXd> &source) const
  {
    const auto &geometry = events.sweep().geometry();
    const int   nd       = geometry.dofs_per_cell();
    dealii::Vector<double> rhs(dof_handler.n_dofs()), temperature(dof_handler.n_dofs());
    std::vector<dealii::types::global_dof_index> indices(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        const auto [r, c]          = geometry.locate(cell->active_cell_index());
        const Eigen::VectorXd load = projection[cell->active_cell_index()] * source[r].segment(c * nd, nd);
        cell->get_dof_indices(indices);
        for (unsigned int i = 0; i < indices.size(); ++i)
          rhs[indices[i]] += load[i];
      }
    constraints.condense(rhs);
    solver.vmult(temperature, rhs);
    constraints.distribute(temperature);
    std::vector<Eigen::VectorXd> correction;
    for (const auto &region : geometry.regions())
      correction.push_back(Eigen::VectorXd::Zero(region.n_dofs()));
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        const auto [r, c] = geometry.locate(cell->active_cell_index());
        cell->get_dof_indices(indices);
        Eigen::VectorXd cg(indices.size());
        for (unsigned int i = 0; i < indices.size(); ++i)
          cg[i] = temperature[indices[i]];
        correction[r].segment(c * nd, nd) = interpolation * cg;
      }
    return correction;
  }

  template class DiffusionAcceleration<1>;
  template class DiffusionAcceleration<2>;
  template class DiffusionAcceleration<3>;
} // namespace kapitza
