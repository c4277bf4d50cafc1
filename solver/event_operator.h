#pragma once
// The two halves of one scattering event in the recursive expansion (DESIGN.md 3):
//   psi^(0)   = D^-1 G             (drift from thermalizing walls, periodic jumps and
//                                   volumetric heat sources)
//   psi^(m+1) = D^-1 K psi^(m)     (K: mixing M in the volume, wall reflections),
// with D = 1/tau + v.grad inverted by sweeps. The state of region r is a
// (local modes x DoFs) array; modes are split over MPI ranks, the mesh is replicated.

#include "interface/wall_reflection.h"
#include "scattering/mixing_operator.h"
#include "solver/drift_sweep.h"

#include <memory>

namespace kapitza
{
  template <int dim>
  class InterfaceScattering;

  /// psi of every region: (local modes x region DoFs).
  struct ModeField
  {
    std::vector<RowMatrix> region;
    std::size_t            local_size() const;
    void                   copy_to(double *flat) const;
    void                   copy_from(const double *flat);
  };

  /// One material region: its modes (distributed over ranks, with their weights) and the
  /// operators of one scattering event there.
  struct RegionPhysics : RegionModes
  {
    std::unique_ptr<MixingOperator> mixing;
    std::unique_ptr<WallReflection> walls;
    Eigen::VectorXd                 rate;         // 1/tau of every mode (set by EventOperator)
    Eigen::VectorXd                 dof_integral; // int phi_i over the region
    Eigen::VectorXd                 heat_source;  // DoF values of S [W/m^3]; empty: none
  };

  /// The regions as the interface models see them.
  std::vector<const RegionModes *> region_modes(const std::vector<RegionPhysics> &regions);

  /// G_mu = g_mu S of a volumetric heat source S (region DoF values) for the local modes:
  /// the outer product of the emission (heat_source.h) and the DoF values.
  RowMatrix emitted_heat_source(const RegionPhysics &region, const Eigen::VectorXd &source);

  /// Energy bookkeeping of one event: what the mixing removed and what it re-emitted [W/m^3 * m^dim].
  struct EventEnergy
  {
    double removed = 0, emitted = 0;
  };

  template <int dim>
  class EventOperator
  {
  public:
    /// `cache_bytes`: memory for inverse cell matrices that later sweeps reuse.
    EventOperator(const DriftGeometry<dim> &geometry, std::vector<RegionPhysics> &regions,
                  double cache_bytes = 0);

    ModeField zero_field() const;
    /// psi^(0) = D^-1 G.
    void first_event(ModeField &psi) const;
    /// next = D^-1 K psi; the energy balance of the mixing step goes to `balance`.
    void next_event(const ModeField &psi, ModeField &next, EventEnergy *balance = nullptr) const;

    /// psi of the local modes at every trace point of each region (local modes x traces).
    std::vector<RowMatrix> trace_values(const ModeField &psi) const;

    /// psi (region DoFs) of local mode i of region r = D^-1 [source] with the given inflow
    /// at the region's trace points (either may be null) and, with_jumps, periodic jumps.
    void drift_mode(unsigned int r, int i, const double *source, const double *inflow, bool with_jumps,
                    double *psi) const;
    /// The inflow (local modes x traces of each region) that the walls' reflections and
    /// the interfaces make of the outgoing trace values: the boundary half of K.
    void scatter_at_boundaries(const std::vector<RowMatrix> &outgoing, std::vector<RowMatrix> &inflow) const;

    /// Total energy deviation sum_mu e_mu int psi_mu (all ranks).
    double energy(const ModeField &psi) const;
    /// Power of the volumetric heat sources, int S over the domain [W/m^(3-dim)].
    double source_power() const;
    /// The uniform shift of 1 K in every region (stationary under D^-1 K).
    ModeField uniform_field() const;

    /// Raises every mode's extinction 1/tau by `extra` [1/s], the mixing K unchanged: the
    /// 1/dt of an implicit time step, (1/dt + D - K) psi^(n+1) = psi^n / dt. Clears the
    /// sweeps' inverse cell matrices, which depend on it.
    void   set_extra_extinction(double extra);
    double extra_extinction() const { return extinction; }
    /// A volume source per mode (local modes x DoFs of each region, DoF values) added to G
    /// of the first event, e.g. psi^n / dt; null: none. Held by the caller.
    void             set_mode_source(const ModeField *source) { mode_sources = source; }
    const ModeField *mode_source() const { return mode_sources; }

    /// Interfaces between regions (required when the mesh has any).
    void set_interfaces(const InterfaceScattering<dim> *model) { interfaces = model; }

    const std::vector<RegionPhysics> &physics() const { return regions; }
    /// The ranks that share the modes (those of the first region's distribution).
    MPI_Comm communicator() const { return regions.front().distribution->communicator; }
    const DriftSweep<dim>            &sweep() const { return drift; }

  private:
    void drift_region(unsigned int r, const RowMatrix *source, const RowMatrix &inflow,
                      bool with_jumps, RowMatrix &psi) const;

    void reserve_cache();

    DriftSweep<dim>                 drift;
    std::vector<RegionPhysics>     &regions;
    double                          cache_bytes;
    double                          extinction   = 0;
    const ModeField                *mode_sources = nullptr;
    const InterfaceScattering<dim> *interfaces = nullptr;
  };
} // namespace kapitza
