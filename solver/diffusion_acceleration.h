#pragma once
// Synthetic diffusion acceleration of the scattering-event iteration, used as the
// (right) preconditioner of GMRES: the slowly converging part of the event series is
// the temperature field, which a diffusion equation captures. For a residual y,
//   P^-1 y = y + u dT,   -div(kappa grad dT) = sum_mu (e_mu / tau_mu) y_mu,
// the energy that the mixing will redistribute from y, where u is the uniform shift
// (psi of 1 K). kappa is the RTA conductivity tensor of each material; thermalizing
// walls get the Marshak-type Robin condition q.n = h dT with h = 2 sum_{v.n>0} C v.n,
// reflecting walls a zero flux and periodic pairs periodic constraints. The diffusion
// operator is continuous Q1 on the same mesh, factorized once (UMFPACK).

#include "solver/event_operator.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/sparse_direct.h>
#include <deal.II/lac/sparse_matrix.h>
#include <deal.II/lac/sparsity_pattern.h>

namespace kapitza
{
  template <int dim>
  class DiffusionAcceleration
  {
  public:
    DiffusionAcceleration(const dealii::Triangulation<dim> &triangulation,
                          const EventOperator<dim> &events, const BoundaryConditions &conditions);

    /// residual <- residual + u dT (in place).
    void apply(ModeField &residual) const;

    /// dT at the DG DoFs of every region for the energy source (per DG DoF of each region,
    /// summed over all modes) that the mixing redistributes.
    std::vector<Eigen::VectorXd> temperature_correction(const std::vector<Eigen::VectorXd> &source) const;

  private:
    void assemble(const BoundaryConditions &conditions);

    const EventOperator<dim>       &events;
    dealii::FE_Q<dim>               fe;
    dealii::DoFHandler<dim>         dof_handler;
    dealii::AffineConstraints<double> constraints;
    dealii::SparsityPattern         sparsity;
    dealii::SparseMatrix<double>    matrix;
    dealii::SparseDirectUMFPACK     solver;
    std::vector<Eigen::MatrixXd>    projection;    // per active cell: int phi_cg_i phi_dg_j
    Eigen::MatrixXd                 interpolation; // DG support points <- CG shape functions
  };
} // namespace kapitza
