#pragma once
// Observables of a state (DESIGN.md section 1), all linear in psi and therefore first
// reduced to per-DoF fields (summing over local modes, then over ranks):
//   energy deviation dE = sum e psi, heat flux q = sum e v psi,
//   local temperature T = T0 + dE / sum C, modal temperature of a group S of modes
//   T_S = T0 + sum_S e psi / sum_S C, and the scattering (pseudo) temperature that the
//   relaxation-time mixing relaxes to, T_tau = T0 + sum (e/tau) psi / sum C/tau, which
//   RTA codes such as GiftBTE report as "the" temperature.
// Groups are the branches (when the mode files label them) and frequency bins.

#include "solver/event_operator.h"

#include <deal.II/base/point.h>

#include <map>
#include <string>
#include <vector>

namespace kapitza
{
  /// Per-DoF fields of one region: rows 0 energy, 1-3 flux, 4 energy relaxation rate
  /// sum (e/tau) psi, 5.. modal energy per group.
  using RegionFields = Eigen::MatrixXd;

  struct ProbeLine
  {
    std::vector<Eigen::Vector3d> points;
    std::vector<unsigned int>    region, cell;  // containing cell (region-local)
    std::vector<Eigen::VectorXd> shape_values;  // FE shape functions at the point
  };

  /// Region, region-local cell and FE shape-function values at p; false outside the mesh.
  template <int dim>
  bool locate_point(const DriftGeometry<dim> &geometry, const dealii::Triangulation<dim> &triangulation,
                    const dealii::Point<dim> &p, unsigned int &region, unsigned int &cell,
                    Eigen::VectorXd &shape_values);

  /// Refuses a Line zoom (centre, half width, points; empty: none) that does not lie
  /// strictly inside the extent [lo, hi] of the domain along x: points beyond it would be
  /// dropped without a word.
  void check_line_zoom(const std::vector<double> &zoom, double lo, double hi);

  struct LineObservables
  {
    std::vector<double> temperature;             // n
    std::vector<double> scattering_temperature;  // n
    RowMatrix           heat_flux;               // n x 3
    RowMatrix           modal_temperature;       // groups x n
    std::vector<int>    modal_present;           // groups x n (1: the group has modes there)
  };

  template <int dim>
  class Observables
  {
  public:
    Observables(const EventOperator<dim> &events, const dealii::Triangulation<dim> &triangulation,
                unsigned int line_points, unsigned int frequency_bins,
                const std::vector<double> &line_zoom = {});

    std::vector<RegionFields>      fields(const ModeField &psi) const;
    LineObservables                on_line(const std::vector<RegionFields> &fields) const;
    /// Cell averages: temperature (n_cells) and heat flux (n_cells x 3), by active cell index.
    void on_cells(const std::vector<RegionFields> &fields, std::vector<double> &temperature,
                  RowMatrix &heat_flux) const;
    /// Equivalent temperature at every trace point of region r (own side of the face).
    std::vector<double> trace_temperatures(const std::vector<RegionFields> &fields, unsigned int r) const;
    /// Domain averages of q (3) and of T - T0.
    Eigen::Vector3d mean_heat_flux(const std::vector<RegionFields> &fields) const;
    /// Net heat leaving the domain through the walls of each boundary id [W/m^(3-dim)],
    /// from the upwind fluxes of the DG scheme (outgoing modes carry their trace, entering
    /// ones the wall's emission and reflection): the fluxes in which the discrete energy
    /// balance holds, sum over walls = source power. Collective (all ranks).
    std::map<unsigned int, double> wall_heat_outflow(const ModeField &psi) const;

    const ProbeLine                &line() const { return probe; }
    const std::vector<std::string> &group_labels() const { return labels; }
    /// The equal-width frequency bins (Output/Frequency bins): bin of mode mu of region r,
    /// and the bins' edges [rad/s] (nominal for band files).
    unsigned int frequency_bin(unsigned int r, unsigned int mu) const
    {
      return group_of_mode[r][mu].back() - first_frequency_group;
    }
    const std::vector<double> &frequency_edges() const { return edges; }
    double                          reference_temperature() const { return t0; }
    /// sum_mu C_mu of region r: converts energy deviation to temperature.
    double physics_capacity(unsigned int r) const { return total_capacity[r]; }
    const DriftGeometry<dim> &geometry() const { return events.sweep().geometry(); }

  private:
    void define_groups(unsigned int frequency_bins);
    void locate_line(const dealii::Triangulation<dim> &triangulation, unsigned int n,
                     const std::vector<double> &zoom);

    const EventOperator<dim>          &events;
    double                             t0;
    std::vector<std::string>           labels;
    unsigned int                       first_frequency_group = 0; // groups: branches, then bins
    std::vector<double>                edges;                     // frequency bin edges
    std::vector<std::vector<std::vector<int>>> group_of_mode; // region, mode -> groups
    std::vector<Eigen::VectorXd>       group_capacity; // per region: sum_S C (groups)
    std::vector<double>                total_capacity; // per region: sum C
    std::vector<double>                rate_capacity;  // per region: sum C / tau
    ProbeLine                          probe;
  };
} // namespace kapitza
