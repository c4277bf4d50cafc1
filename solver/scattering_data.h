#pragma once
// The scattering data as the unknown of the steady-state solve (event_unknown.h), for
// regions whose mixing is rank-one: x holds, per region, the moment theta = absorption^T psi
// at every DoF, scaled so that a uniform 1 K shift has theta = 1 K (the only way modes meet
// in the volume; rank 0 holds it in x times min(1, L / mfp), the share of the region's
// phonons that scatter in it, which is how much a moment changes psi: in a nearly
// ballistic region the moments matter little and must not dominate GMRES's norm; every
// rank receives them per event) and the inflow at the region's trace points (local modes x traces)
// that walls and interfaces made of the outgoing traces, held in x times |v.n| / <|v|>:
// what an inflow value does to psi scales with |v.n|, and modes nearly parallel to a face
// (|v.n| ~ 1e-29 m/s in ab initio sets) may receive huge but irrelevant values that would
// otherwise dominate the norm GMRES minimizes. One event streams the modes:
// each mode's source emission_mu theta and inflow are swept, its psi is added into the new
// moment and its outgoing traces kept, and psi is dropped unless an output asks for it.
// Modes are streamed in drift order (drift_order below): a mode whose sweep inputs equal
// those of the mode before it takes that mode's psi instead of a sweep (in 1D every azimuth
// about x of a quadrature direction and the modes of an ab initio star that keep v_x, in 2D
// mirror images in z). Equal means within `sharing_tolerance` relative, below both
// the solve's tolerance and the round-off in which symmetry-equivalent ab initio modes
// differ (frequencies and velocities come from separate diagonalizations).

#include "solver/event_unknown.h"

namespace kapitza
{
  template <int dim>
  class ScatteringDataUnknown : public EventUnknown<dim>
  {
  public:
    /// `tolerance`: the solve's relative residual.
    ScatteringDataUnknown(const EventOperator<dim> &events, const DiffusionAcceleration<dim> *acceleration,
                          double tolerance);

    std::size_t     local_size() const override;
    void            first(Eigen::VectorXd &x, ModeField *psi) const override;
    void            next(const double *x, double *y, ModeField *psi, EventEnergy *balance) const override;
    void            state(const Eigen::VectorXd &sum, ModeField &psi) const override;
    Eigen::VectorXd uniform() const override;
    double          gauge(const double *x) const override;
    void            precondition(double *y) const override;
    bool            preconditioned() const override { return acceleration != nullptr; }

  private:
    struct Data
    {
      std::vector<Eigen::VectorXd> moment; // per region: DoF values (all ranks)
      std::vector<RowMatrix>       inflow; // per region: local modes x traces
    };
    Data unpack(const double *x) const;
    void pack(const Data &data, double *x) const;
    /// psi = D^-1 (Q data + G) (data and G each optional; G holds the walls, the heat
    /// source and the operator's per-mode source), streamed mode by mode; psi is
    /// written to `psi` when given. Returns P psi.
    Data stream(const Data *data, bool with_sources, ModeField *psi, EventEnergy *balance) const;
    /// Appends the drift order of a region's local modes first .. first + n, whose
    /// emission factors and heat-source emission (empty: none) are given.
    void sort_by_drift(const RegionPhysics &region, int first, int n, const Eigen::VectorXd &emission,
                       const Eigen::VectorXd &heated);
    /// P of the field shift_mu T(x): the scattering data of a local temperature change.
    Data of_temperature(const std::vector<Eigen::VectorXd> &temperature) const;

    using EventUnknown<dim>::events;
    const DiffusionAcceleration<dim>  *acceleration;
    bool                               holds_moments; // rank 0
    std::vector<RankOneFactors>        factors;         // scaled: absorption^T shift = 1
    std::vector<Eigen::VectorXd>       source_emission; // local g_mu of a heated region
    std::vector<double>                emitted_energy;  // sum_mu e_mu emission_mu (all modes)
    std::vector<RowMatrix>             inflow_weight;   // |v.n| / <|v|>, local modes x traces
    std::vector<double>                moment_weight;   // min(1, L / mfp) of each region
    /// Per region: the local modes sorted by their drift (rate, shift, emission factors,
    /// velocity along the mesh's axes), and whether each drifts as the one before.
    struct DriftOrder
    {
      std::vector<int>  mode;
      std::vector<char> same_drift_as_previous;
    };
    std::vector<DriftOrder> drift_order;
    double                  sharing_tolerance;
  };
} // namespace kapitza
