#pragma once
// What walls send back into a region (DESIGN.md section 2), at every trace point:
//  - thermalizing T: entering modes carry the equilibrium shift of T (a source, G);
//  - diffuse: the energy flux arriving in each frequency group is re-emitted into the
//    entering modes of that group with an equilibrium angular distribution (zero net flux);
//  - specular p: a fraction p goes to the mirrored mode v - 2 (v.n) n, the rest diffusely.
// Reflections are scattering events (part of K); thermalizing inflow is part of G.

#include "interface/boundary_conditions.h"
#include "scattering/mixing_operator.h"

namespace kapitza
{
  /// For every mode with v.n != 0, the mode of the same frequency group (and branch)
  /// with the mirrored velocity v - 2 (v.n) n; throws when a mode has none.
  std::vector<int> mirrored_modes(const ModeSet &modes, const std::vector<int> &group,
                                  const Eigen::Vector3d &normal);

  class WallReflection
  {
  public:
    WallReflection(const ModeSet &modes, const ModeDistribution &distribution,
                   const std::vector<TracePoint> &traces, const BoundaryConditions &conditions);

    /// Inflow of the sources: thermalizing walls; zero elsewhere. (local modes x traces)
    void source_inflow(RowMatrix &inflow) const;

    /// Inflow that reflecting walls make of the outgoing trace values (local modes x
    /// traces; entries of entering modes are ignored). Thermalizing traces get zero.
    void reflect(const RowMatrix &outgoing, RowMatrix &inflow) const;

    bool has_specular() const { return !mirror.empty(); }

  private:
    /// Whether trace point t is on a reflecting wall, and the fraction it mirrors.
    bool   reflects(unsigned int t) const;
    double specularity(unsigned int t) const;
    const std::vector<int> &mirror_modes(const Eigen::Vector3d &normal) const;
    void diffuse_emission(const RowMatrix &outgoing, Eigen::MatrixXd &emitted) const;

    const ModeSet                 &modes;
    const ModeDistribution        &distribution;
    const std::vector<TracePoint> &traces;
    std::vector<const BoundaryModel *> wall; // per trace point; nullptr at interfaces
    Eigen::VectorXd                shift, energy;
    int                            n_groups = 0; // set by frequency_groups() below
    std::vector<int>               group;
    Eigen::MatrixXd                entering_norm; // (traces x groups): sum |v.n| e s, entering
    std::vector<const std::vector<int> *> mirror; // per trace point (specular only)
    mutable std::map<std::array<long long, 3>, std::vector<int>> mirror_cache;
  };
} // namespace kapitza
