#pragma once
// Applies the inverse of the drift operator (1/tau + v.grad) of one mode, matrix-free:
// cells are solved in downstream order, each from the already known upwind values.
// The order comes from the strongly connected components of the mode's upwind graph
// (Tarjan); on acyclic meshes every component is one cell and one pass is exact.
// Cycles (periodic boundaries, curved faces that are inflow and outflow at once) are
// solved exactly as one block, so no per-mode factorization is ever stored.

#include "meshes/drift_geometry.h"

#include <array>
#include <map>
#include <memory>

namespace kapitza
{
  /// Components in solution order; component c is cells[start[c] .. start[c+1]).
  struct SweepOrder
  {
    std::vector<int>  cells;
    std::vector<int>  start;
    std::vector<bool> coupled; // component needs a block solve (size > 1 or self-loop)
  };

  /// What one sweep of a mode sees: its drift and the data entering its equation.
  struct ModeDrift
  {
    Eigen::Vector3d velocity;
    double          rate;             // 1/tau
    const double   *source = nullptr; // DoF values of the volume source, or null
    const double   *inflow = nullptr; // values at the region's trace points, or null
    double          jump_shift = 0;   // psi of 1 K (uniform shift) if jumps apply, else 0
    int             local_mode = -1;  // row in the region's state (-1: no inverse cache)
  };

  /// A value to `tolerance` of its own magnitude: its exponent and its mantissa rounded to
  /// steps of tolerance / 2. Equal keys mean values within `tolerance` of each other relative
  /// to each; values near a rounding boundary may get two keys (less sharing, never an
  /// inexact one).
  std::array<long long, 2> relative_key(double x, double tolerance);

  /// A mode's drift operator (1/tau + v.grad) on a `dim`-dimensional mesh to `tolerance`:
  /// the rate relative to itself, the velocity along the mesh's axes relative to the speed
  /// along them (so a component that is round-off of zero splits nothing). The one rule for
  /// "same drift": the inverse cache's classes and the shared sweeps both use it.
  template <int dim>
  using DriftKey = std::array<long long, dim + 4>;
  template <int dim>
  DriftKey<dim> drift_key(double rate, const Eigen::Vector3d &velocity, double tolerance);

  /// Operators that agree to this (2^-45 = 2.8e-14 of each value) share a cached inverse:
  /// far below the 1e-10 to which results are compared between solver paths and rank
  /// counts, above the round-off that parts star members' velocities.
  constexpr double exact_drift_tolerance = 0x1p-45;

  /// Which of a region's local modes share one drift operator (drift_key): in 1D every
  /// azimuth about x of a direction, the star members that keep v_x.
  struct DriftClasses
  {
    std::vector<int> class_of; // per mode, numbered from 0 in order of first appearance
    int              count = 0;
  };
  template <int dim>
  DriftClasses drift_classes(const Eigen::VectorXd &rate, const Eigen::MatrixXd &velocity,
                             double tolerance = exact_drift_tolerance);

  template <int dim>
  class DriftSweep
  {
  public:
    explicit DriftSweep(const DriftGeometry<dim> &geometry);

    /// psi (region DoFs) = (1/tau + v.grad)^-1 [source], with the given inflows.
    void solve(unsigned int region, const ModeDrift &mode, double *psi) const;

    /// Keeps the inverse cell matrices of the region's first drift classes (their operator
    /// never changes) when they fit in `max_bytes`:
    /// later sweeps of any mode of a class then only assemble sources. Returns the bytes
    /// reserved.
    double reserve_inverse_cache(unsigned int region, DriftClasses classes, double max_bytes);

    /// psi evaluated at every trace point of the region (own side of the face).
    void trace_values(unsigned int region, const double *psi, double *traces) const;

    const DriftGeometry<dim> &geometry() const { return geometry_data; }

  private:
    const SweepOrder &order(unsigned int region, const Eigen::Vector3d &velocity) const;
    SweepOrder        compute_order(unsigned int region, const Eigen::Vector3d &velocity) const;
    void solve_component(unsigned int region, const SweepOrder &order, unsigned int component,
                         const ModeDrift &mode, double *psi) const;

    const DriftGeometry<dim> &geometry_data;
    using DirectionKey = std::array<long long, 4>;
    mutable std::map<DirectionKey, SweepOrder> cache;
    mutable std::size_t                        cached_entries = 0;
    mutable SweepOrder                         scratch_order;
    mutable std::vector<int>                   position; // cell -> index within component
    struct InverseCache
    {
      // (class, cell) -> nd x nd inverse; left unset (its pages untouched) until the first
      // sweep of a class fills it, so classes whose modes share another's psi cost nothing
      std::unique_ptr<double[]> data;
      std::vector<char>         ready;    // per class: filled by its first sweep
      std::vector<int>          class_of; // per local mode
      int                       n_classes = 0; // the first classes, those that fit

      /// The mode's class if it is kept, else -1.
      int slot(int local_mode) const
      {
        return local_mode >= 0 && local_mode < int(class_of.size()) && class_of[local_mode] < n_classes ?
                 class_of[local_mode] :
                 -1;
      }
    };
    mutable std::vector<InverseCache> inverse_cache; // per region
  };
} // namespace kapitza
