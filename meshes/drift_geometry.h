#pragma once
// Mode-independent geometry of the DG drift operator (deal.II FE_DGQ, upwind fluxes),
// precomputed once per cell so that the per-mode sweep only combines small matrices:
//   A_K = (1/tau) M_K - sum_d v_d G_K,d + sum_{outflow qp} (v.n JxW) phi phi^T,
// with M_ij = int phi_i phi_j and G_d,ij = int phi_j d_d phi_i.
// Cells are grouped into regions (one per material); a region's state is a
// (modes x DoFs) array, cell k owning DoFs [k nd, (k+1) nd).

#include <deal.II/base/point.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/tria.h>

#include <Eigen/Dense>

#include <map>
#include <optional>
#include <vector>

namespace kapitza
{
  /// A face quadrature point on a boundary or a material interface: where a mode's
  /// inflow is supplied by a wall or interface model instead of an upwind cell.
  struct TracePoint
  {
    unsigned int    boundary_id; // the face's boundary id, or interface_id
    Eigen::Vector3d normal;      // outward unit normal of the owning cell
    Eigen::Vector3d position;
    int partner_region = -1;     // interface points: the same point seen from the other
    int partner_trace  = -1;     //   material (region and trace index there)
  };

  /// A deal.II vector as a 3-vector (zeros beyond dim).
  template <int dim>
  Eigen::Vector3d to_vector3(const dealii::Tensor<1, dim> &t)
  {
    Eigen::Vector3d v = Eigen::Vector3d::Zero();
    for (int d = 0; d < dim; ++d)
      v[d] = t[d];
    return v;
  }

  /// Boundary id given to trace points on faces between different materials.
  constexpr unsigned int interface_id = 1u << 20;

  struct DriftFace
  {
    int             neighbor = -1; // region-local upwind partner (interior or periodic), or -1
    double          jump     = 0;  // periodic temperature jump added to the inflow [K]
    unsigned int    first_trace = 0; // first trace point of a boundary/interface face
    // Column q belongs to face quadrature point q (contiguous for the sweep's inner loop).
    Eigen::MatrixXd normal_jxw;      // (3 x qp): n JxW
    Eigen::MatrixXd own_values;      // (nd x qp): own shape functions at the qp
    Eigen::MatrixXd neighbor_values; // (nd x qp): partner's shape functions at the same points
  };

  struct DriftCell
  {
    Eigen::MatrixXd              mass;
    std::vector<Eigen::MatrixXd> gradient; // dim matrices G_d
    std::vector<DriftFace>       faces;
    double                       volume = 0;
  };

  template <int dim>
  struct DriftRegion
  {
    std::vector<typename dealii::Triangulation<dim>::active_cell_iterator> cells;
    std::vector<DriftCell>  cell_data;
    std::vector<TracePoint> traces;
    std::vector<std::pair<unsigned int, unsigned int>> trace_faces; // (cell, face) with traces
    unsigned int            n_dofs() const;
  };

  /// Periodic boundary pairs: ids and the temperature jump across the period.
  struct PeriodicPair
  {
    unsigned int id_low, id_high; // equal for a lateral (single-id) pair
    int          direction;
    double       jump; // T(x + L e_d) = T(x) - jump
  };

  /// Gauss points per direction (cells and faces) that integrate v.grad(phi) exactly on
  /// cells mapped with `mapping_degree`: its integrand grad(phi)^T cof(J) has degree
  /// fe_degree + (dim - 1) mapping_degree per variable, and only with it exact does the
  /// discrete divergence theorem hold, so that a uniform psi stays uniform. Flat cells
  /// (mapping degree 1) need no more than the usual fe_degree + 1.
  unsigned int drift_quadrature_points(unsigned int fe_degree, unsigned int mapping_degree, int dim);

  /// The cell across a face, for face integrals that couple both sides: the same-level
  /// neighbour or the periodic image, with the shift that carries this face's points onto it.
  template <int dim>
  struct FacePartner
  {
    typename dealii::Triangulation<dim>::active_cell_iterator cell;
    unsigned int                                               face = 0;
    dealii::Tensor<1, dim>                                     shift;
    double                                                     jump = 0; // periodic temperature jump [K]
  };

  template <int dim>
  class DriftGeometry
  {
  public:
    /// `mapping_degree` 1: flat faces; higher: cells follow the triangulation's manifolds.
    DriftGeometry(const dealii::Triangulation<dim> &triangulation, unsigned int degree,
                  unsigned int n_materials, const std::vector<PeriodicPair> &periodic,
                  unsigned int mapping_degree = 1);

    unsigned int dofs_per_cell() const { return fe.n_dofs_per_cell(); }
    const std::vector<DriftRegion<dim>> &regions() const { return region_list; }
    const dealii::FE_DGQ<dim>           &finite_element() const { return fe; }
    const dealii::Mapping<dim>          &mapping() const { return mapping_q; }
    /// Region and region-local index of an active cell.
    std::pair<unsigned int, unsigned int> locate(unsigned int active_cell_index) const
    {
      return cell_location[active_cell_index];
    }

    /// The partner across face f of `cell` (any material), or none at a non-periodic boundary.
    std::optional<FacePartner<dim>>
    face_partner(const typename dealii::Triangulation<dim>::active_cell_iterator &cell, unsigned int f) const;

  private:
    void pair_interface_traces(double tolerance);
    void build_cell(const typename dealii::Triangulation<dim>::active_cell_iterator &cell,
                    DriftRegion<dim> &region, DriftCell &data);
    void build_face(const typename dealii::Triangulation<dim>::active_cell_iterator &cell,
                    unsigned int face, DriftRegion<dim> &region, DriftFace &data);

    dealii::FE_DGQ<dim>                                    fe;
    dealii::MappingQ<dim>                                  mapping_q;
    unsigned int                                           quadrature_points;
    std::vector<DriftRegion<dim>>                          region_list;
    std::vector<std::pair<unsigned int, unsigned int>>     cell_location;
    // (active cell, face) -> periodic partner (active cell, face) and jump
    std::map<std::pair<unsigned int, unsigned int>,
             std::tuple<typename dealii::Triangulation<dim>::active_cell_iterator, unsigned int,
                        double>>
      periodic_partner;
  };
} // namespace kapitza
