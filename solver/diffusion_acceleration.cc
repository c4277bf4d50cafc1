#include "solver/diffusion_acceleration.h"

#include "interface/mode_coupling.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/vector.h>

#include <array>
#include <numeric>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    /// c(p) of the interior penalty: large enough for coercivity of the symmetric form
    /// (twice the trace-inequality constant p(p + 1)); p = 0 has no consistency terms and
    /// takes the two-point flux kappa / h.
    double penalty_factor(unsigned int degree)
    {
      return degree == 0 ? 1.0 : 2.0 * degree * (degree + 1);
    }

    /// Cell length normal to a face (the h of the penalty).
    template <int dim>
    double normal_length(const typename dealii::DoFHandler<dim>::active_cell_iterator &cell, [[maybe_unused]] unsigned int f)
    {
      if constexpr (dim == 1)
        return cell->measure(); // a point face: the cell's length
      else
        return cell->measure() / cell->face(f)->measure();
    }

    /// One side of a face: its values at the face points, kappa and the cell's h.
    template <int dim>
    struct FaceSide
    {
      const dealii::FEFaceValues<dim> &values;
      std::vector<unsigned int>        point; // this side's quadrature point at each face point
      dealii::Tensor<2, dim>           kappa;
      double                           kappa_nn, h, one_way_flux;
    };

    /// The MIP terms of an interior or periodic face, as one (2 nd x 2 nd) matrix over the DoFs
    /// of side 0 then side 1 (normal n from side 0 into side 1):
    ///   kappa_e int [u][v] - int {kappa du/dn} [v] - int [u] {kappa dv/dn},
    /// [u] = u_0 - u_1, {kappa du/dn} = (n.kappa_0 grad u_0 + n.kappa_1 grad u_1) / 2.
    template <int dim>
    dealii::FullMatrix<double> face_terms(const std::array<FaceSide<dim>, 2> &side, unsigned int degree)
    {
      const unsigned int nd = side[0].values.get_fe().n_dofs_per_cell();
      const double kappa_e = std::max(penalty_factor(degree) / 2 *
                                        (side[0].kappa_nn / side[0].h + side[1].kappa_nn / side[1].h),
                                      (side[0].one_way_flux + side[1].one_way_flux) / 2);
      dealii::FullMatrix<double> local(2 * nd, 2 * nd);
      const auto &v0 = side[0].values;
      for (unsigned int q = 0; q < side[0].point.size(); ++q)
        {
          const dealii::Tensor<1, dim> n   = v0.normal_vector(side[0].point[q]);
          const double                 jxw = v0.JxW(side[0].point[q]);
          // Per side s and its DoF i: the jump's and the mean normal flux's test functions.
          const auto jump = [&](int s, unsigned int i) {
            return (s == 0 ? 1.0 : -1.0) * side[s].values.shape_value(i, side[s].point[q]);
          };
          const auto flux = [&](int s, unsigned int i) {
            return 0.5 * (n * (side[s].kappa * side[s].values.shape_grad(i, side[s].point[q])));
          };
          for (int s = 0; s < 2; ++s)
            for (unsigned int i = 0; i < nd; ++i)
              for (int t = 0; t < 2; ++t)
                for (unsigned int j = 0; j < nd; ++j)
                  local(s * nd + i, t * nd + j) +=
                    (kappa_e * jump(s, i) * jump(t, j) - flux(t, j) * jump(s, i) - jump(t, j) * flux(s, i)) * jxw;
        }
      return local;
    }

    /// For each face point of `own` (shifted onto the partner face), the matching point of
    /// `other`: conforming faces see the same points in an order of their own.
    template <int dim>
    std::vector<unsigned int> matching_points(const dealii::FEFaceValues<dim> &own, const dealii::FEFaceValues<dim> &other,
                                              const dealii::Tensor<1, dim> &shift, double length)
    {
      std::vector<unsigned int> match;
      for (unsigned int q = 0; q < own.n_quadrature_points; ++q)
        {
          unsigned int best = 0;
          for (unsigned int r = 1; r < other.n_quadrature_points; ++r)
            if ((own.quadrature_point(q) + shift).distance(other.quadrature_point(r)) <
                (own.quadrature_point(q) + shift).distance(other.quadrature_point(best)))
              best = r;
          if ((own.quadrature_point(q) + shift).distance(other.quadrature_point(best)) > 1e-9 * length)
            throw std::logic_error("diffusion acceleration: the two sides of a face do not share its points");
          match.push_back(best);
        }
      return match;
    }
  } // namespace

  template <int dim>
  DiffusionAcceleration<dim>::DiffusionAcceleration(const dealii::Triangulation<dim> &triangulation,
                                                    const EventOperator<dim>         &events,
                                                    const BoundaryConditions &conditions)
    : events(events)
    , dof_handler(triangulation)
  {
    dof_handler.distribute_dofs(events.sweep().geometry().finite_element());
    if (!conditions.has_thermalizing())
      constraints.add_line(0); // only reflecting and periodic walls: dT is defined up to a constant
    constraints.close();
    make_sparsity();
    assemble(conditions);
    solver.initialize(matrix);
  }

  template <int dim>
  typename dealii::DoFHandler<dim>::active_cell_iterator
  DiffusionAcceleration<dim>::on_dofs(const typename dealii::Triangulation<dim>::active_cell_iterator &cell) const
  {
    return {&dof_handler.get_triangulation(), cell->level(), cell->index(), &dof_handler};
  }

  template <int dim>
  void DiffusionAcceleration<dim>::make_sparsity()
  {
    const auto &geometry = events.sweep().geometry();
    const unsigned int nd = dof_handler.get_fe().n_dofs_per_cell();
    std::vector<dealii::types::global_dof_index> own(nd), other(nd);
    dealii::DynamicSparsityPattern pattern(dof_handler.n_dofs());
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        cell->get_dof_indices(own);
        for (const auto i : own)
          for (const auto j : own)
            pattern.add(i, j);
        for (const auto f : cell->face_indices())
          if (const auto partner = geometry.face_partner(cell, f))
            {
              on_dofs(partner->cell)->get_dof_indices(other);
              for (const auto i : own)
                for (const auto j : other)
                  pattern.add(i, j);
            }
      }
    constraints.condense(pattern);
    sparsity.copy_from(pattern);
    matrix.reinit(sparsity);
  }

  template <int dim>
  void DiffusionAcceleration<dim>::assemble(const BoundaryConditions &conditions)
  {
    const auto        &geometry = events.sweep().geometry();
    const auto        &fe       = dof_handler.get_fe();
    const unsigned int nd = fe.n_dofs_per_cell(), degree = fe.degree;
    std::vector<Eigen::Matrix3d> kappa; // per material
    for (const auto &region : events.physics())
      kappa.push_back(rta_conductivity(region.modes));
    // Energy flux per kelvin that a material carries one way through a face of normal n.
    const auto one_way_flux = [&](unsigned int material, const Eigen::Vector3d &n) {
      return arriving_flux_weight(events.physics()[material].modes, n).sum();
    };

    const dealii::QGauss<dim>     quadrature(degree + 2);
    const dealii::QGauss<dim - 1> face_quadrature(degree + 2);
    const auto face_flags = dealii::update_values | dealii::update_gradients | dealii::update_normal_vectors |
                            dealii::update_JxW_values | dealii::update_quadrature_points;
    dealii::FEValues<dim>     values(geometry.mapping(), fe, quadrature, dealii::update_gradients | dealii::update_JxW_values);
    dealii::FEFaceValues<dim> own(geometry.mapping(), fe, face_quadrature, face_flags);
    dealii::FEFaceValues<dim> other(geometry.mapping(), fe, face_quadrature, face_flags);
    std::vector<dealii::types::global_dof_index> own_indices(nd), other_indices(nd);
    const auto kappa_tensor = [](const Eigen::Matrix3d &k) {
      dealii::Tensor<2, dim> t;
      for (int d = 0; d < dim; ++d)
        for (int e = 0; e < dim; ++e)
          t[d][e] = k(d, e);
      return t;
    };

    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        const unsigned int           material = cell->material_id();
        const dealii::Tensor<2, dim> k        = kappa_tensor(kappa[material]);
        values.reinit(cell);
        dealii::FullMatrix<double> local(nd, nd);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          for (unsigned int i = 0; i < nd; ++i)
            for (unsigned int j = 0; j < nd; ++j)
              local(i, j) += values.shape_grad(i, q) * (k * values.shape_grad(j, q)) * values.JxW(q);
        cell->get_dof_indices(own_indices);
        for (const auto f : cell->face_indices())
          {
            const auto partner = geometry.face_partner(cell, f);
            if (!partner)
              {
                // Thermalizing walls: Marshak-type Robin q.n = h dT (natural in DG as in CG).
                if (!conditions.at(cell->face(f)->boundary_id()).wall_temperature())
                  continue;
                own.reinit(cell, f);
                const double h = 2 * one_way_flux(material, to_vector3<dim>(own.normal_vector(0)));
                for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                  for (unsigned int i = 0; i < nd; ++i)
                    for (unsigned int j = 0; j < nd; ++j)
                      local(i, j) += h * own.shape_value(i, q) * own.shape_value(j, q) * own.JxW(q);
                continue;
              }
            // Each interior or periodic face once: from its lower-index cell, or, where a cell
            // is its own periodic image (one cell across the period), from its lower face.
            const bool self = partner->cell->active_cell_index() == cell->active_cell_index();
            if (partner->cell->active_cell_index() < cell->active_cell_index() || (self && partner->face < f))
              continue;
            const auto across = on_dofs(partner->cell);
            own.reinit(cell, f);
            other.reinit(across, partner->face);
            const Eigen::Vector3d n = to_vector3<dim>(own.normal_vector(0));
            std::vector<unsigned int> own_points(face_quadrature.size());
            std::iota(own_points.begin(), own_points.end(), 0u);
            const double h_own = normal_length<dim>(cell, f), h_across = normal_length<dim>(across, partner->face);
            const std::array<FaceSide<dim>, 2> sides = {{
              FaceSide<dim>{own, own_points, k, n.dot(kappa[material] * n), h_own, one_way_flux(material, n)},
              FaceSide<dim>{other, matching_points(own, other, partner->shift, std::min(h_own, h_across)),
                            kappa_tensor(kappa[across->material_id()]), n.dot(kappa[across->material_id()] * n),
                            h_across, one_way_flux(across->material_id(), -n)}}};
            const dealii::FullMatrix<double> terms = face_terms(sides, degree);
            if (self) // both sides are this cell's DoFs: the four blocks fold onto them
              {
                for (unsigned int i = 0; i < nd; ++i)
                  for (unsigned int j = 0; j < nd; ++j)
                    local(i, j) += terms(i, j) + terms(i, nd + j) + terms(nd + i, j) + terms(nd + i, nd + j);
                continue;
              }
            std::vector<dealii::types::global_dof_index> both(own_indices);
            across->get_dof_indices(other_indices);
            both.insert(both.end(), other_indices.begin(), other_indices.end());
            constraints.distribute_local_to_global(terms, both, matrix);
          }
        constraints.distribute_local_to_global(local, own_indices, matrix);
      }
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
    std::vector<dealii::types::global_dof_index> indices(nd);
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        // The source is a DG field in the same space: its load is the cell mass matrix times it.
        const auto [r, c]          = geometry.locate(cell->active_cell_index());
        const Eigen::VectorXd load = geometry.regions()[r].cell_data[c].mass * source[r].segment(c * nd, nd);
        cell->get_dof_indices(indices);
        for (int i = 0; i < nd; ++i)
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
        for (int i = 0; i < nd; ++i)
          correction[r][c * nd + i] = temperature[indices[i]];
      }
    return correction;
  }

  template class DiffusionAcceleration<1>;
  template class DiffusionAcceleration<2>;
  template class DiffusionAcceleration<3>;
} // namespace kapitza
