#pragma once
// Energy arriving at the walls and interfaces, per scattering event (group
// surface_arrivals/ of the results, docs/results.md). At a trace point of a region the
// modes leaving it (v.n > 0) carry the flux e_mu (v_mu.n) psi_mu; integrated over each
// surface it is binned three ways, each a partition of the same total:
//   by frequency (Output/Frequency bins, the modal-temperature bins),
//   by position: polar x azimuth angles of the point about the domain centre (3D), the
//     in-plane angle (2D), one bin (1D: each wall is a point),
//   by arrival direction: the angle between v and the outward normal, in [0, pi/2).
// The arrivals are linear in psi: those of the resolved events plus the remainder are
// those of the converged state, which at a black wall at the reference temperature (no
// emission, no reflection) are its heat outflow.

#include "solver/observables.h"

#include <deal.II/base/parameter_handler.h>

namespace kapitza
{
  class Hdf5File;

  struct SurfaceArrivalSettings
  {
    unsigned int polar_bins = 18, azimuth_bins = 36, direction_bins = 9;

    static void declare(dealii::ParameterHandler &prm); // in subsection Output
    void        parse(dealii::ParameterHandler &prm);
  };

  /// What the results file records: bins, and per surface the tallies of each resolved
  /// event and of the converged state. A tally row is [frequency | position | direction].
  struct SurfaceArrivalRecord
  {
    int                      dim = 3;
    std::vector<std::string> surfaces;      // "Left", "interface from Si to Ge", ...
    std::vector<double>      frequency_edges, polar_edges, azimuth_edges, direction_edges;
    std::vector<std::string> frequency_labels;
    bool                     nominal_frequencies = false;
    Eigen::Vector3d          centre = Eigen::Vector3d::Zero();
    RowMatrix                area;          // surfaces x position bins [m^(dim-1)]
    std::vector<RowMatrix>   events;        // per event: surfaces x bins
    RowMatrix                total;         // the converged state: surfaces x bins

    unsigned int n_frequency() const { return frequency_edges.size() - 1; }
    unsigned int n_position() const { return (polar_edges.size() - 1) * (azimuth_edges.size() - 1); }
    unsigned int n_direction() const { return direction_edges.size() - 1; }
  };

  /// Rank 0: the group surface_arrivals/ (docs/results.md).
  void write_surface_arrivals(Hdf5File &file, const SurfaceArrivalRecord &record);

  template <int dim>
  class SurfaceArrivals
  {
  public:
    SurfaceArrivals(const Observables<dim> &observables, const EventOperator<dim> &events,
                    const SurfaceArrivalSettings &settings,
                    const std::vector<std::string> &material_names,
                    const dealii::Triangulation<dim> &triangulation);

    /// Arrivals of a state (surfaces x bins), summed over the ranks (collective).
    RowMatrix tally(const ModeField &psi) const;
    /// Tallies the next resolved event psi^(m) (collective).
    void add_event(const ModeField &psi_m) { data.events.push_back(tally(psi_m)); }
    /// Tallies the converged state (collective).
    void set_total(const ModeField &psi) { data.total = tally(psi); }
    const SurfaceArrivalRecord &record() const { return data; }
    /// One line per surface: the total, the resolved events' sum and the remainder.
    std::string summary(const char *unit) const;

  private:
    /// A trace point's surface, position bin and weights, found once.
    struct ArrivalPoint
    {
      unsigned int    trace, surface, position_bin;
      Eigen::Vector3d normal_jxw, normal;
    };
    void         find_points(const std::vector<std::string> &material_names);
    unsigned int position_bin(const Eigen::Vector3d &point) const;
    unsigned int direction_bin(double cosine) const;

    const Observables<dim>                 &observables;
    const EventOperator<dim>               &events;
    SurfaceArrivalRecord                    data;
    std::vector<std::vector<ArrivalPoint>>  points; // per region
  };
} // namespace kapitza
