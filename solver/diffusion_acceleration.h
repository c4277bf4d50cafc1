#pragma once
// Synthetic diffusion acceleration of the scattering-event iteration, used as the
// (right) preconditioner of GMRES: the slowly converging part of the event series is
// the temperature field, which a diffusion equation captures. For a residual y,
//   P^-1 y = y + u dT,   -div(kappa grad dT) = sum_mu (e_mu / tau_mu) y_mu,
// the energy that the mixing will redistribute from y, where u is the uniform shift
// (psi of 1 K). kappa is the RTA conductivity tensor of each material; thermalizing
// walls get the Marshak-type Robin condition q.n = h dT with h = 2 sum_{v.n>0} C v.n,
// reflecting walls a zero flux and periodic pairs couple their faces as interior ones.
//
// The diffusion operator lives in the transport's own DG space (FE_DGQ of its degree on the
// same cells): the modified interior penalty (MIP) form of Wang and Ragusa (Nucl. Sci. Eng.
// 166, 2010), symmetric interior penalty with the jump penalty
//   kappa_e = max(c(p) / 2 (kappa_nn^- / h^- + kappa_nn^+ / h^+), F_e),
// F_e the mean one-way energy flux per kelvin of the two sides through the face
// (sum_{v.n>0} C v.n, the half-range current 1/4 of neutronics). In cells many mean free
// paths thick the upwind DG transport lets the temperature jump across faces against that
// one-way flux, which a continuous correction cannot represent (the event iteration then
// needs ever more iterations as the cells thicken); with kappa_e = F_e the correction jumps
// like the transport. In thin cells the interior penalty makes it continuous. Factorized
// once (UMFPACK).

#include "solver/event_operator.h"

#include <deal.II/dofs/dof_handler.h>
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
    /// A triangulation cell as a cell of dof_handler.
    typename dealii::DoFHandler<dim>::active_cell_iterator
    on_dofs(const typename dealii::Triangulation<dim>::active_cell_iterator &cell) const;
    void make_sparsity();
    void assemble(const BoundaryConditions &conditions);

    const EventOperator<dim>          &events;
    dealii::DoFHandler<dim>            dof_handler; // the transport's FE_DGQ on the same cells
    dealii::AffineConstraints<double>  constraints; // one pinned DoF in closed systems
    dealii::SparsityPattern            sparsity;
    dealii::SparseMatrix<double>       matrix;
    dealii::SparseDirectUMFPACK        solver;
  };
} // namespace kapitza
