#pragma once
// A material at one reference temperature: a finite set of phonon modes with the
// quantities of DESIGN.md section 1 (omega, v, rho, optional tau and collision matrix).

#include "scattering/provenance.h"
#include "scattering/units.h"

#include <array>
#include <Eigen/Dense>

#include <string>
#include <vector>

namespace kapitza
{
  enum class Statistics
  {
    bose,
    classical
  };

  /// "bose" or "classical"; anything else is an error naming the value.
  Statistics  parse_statistics(const std::string &name);
  std::string to_string(Statistics statistics);

  using VelocityMatrix = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

  struct ModeSet
  {
    std::string    material;
    double         temperature = 0; // T0 [K]
    Statistics     statistics  = Statistics::bose;
    Eigen::VectorXd omega;          // [rad/s]
    VelocityMatrix velocity;        // [m/s]
    Eigen::VectorXd density;        // [1/m^3]
    Eigen::VectorXd tau;            // [s]; empty when absent
    Eigen::MatrixXd collision;      // Omega [1/s]; empty when absent
    VelocityMatrix  wavevector;     // [1/m]; empty when absent
    Eigen::VectorXd gruneisen;      // mode Grueneisen parameters; empty when absent
    Eigen::VectorXi branch;         // empty when absent
    std::vector<std::string> branch_labels;
    bool nominal_frequencies = false; // band files: omega only labels the bands
    std::string source;             // origin of imported sets (root attribute `source`); empty when absent
    Provenance  provenance;         // how the set was made (group `provenance`); empty when absent
    // Crystal data of ab initio sets (DESIGN.md section 5), used by the EELS weights.
    Eigen::MatrixXcd eigenvector;   // (N, 3 atoms): e_mu(k, alpha) at column 3k+alpha; empty when absent
    Eigen::Matrix3d  cell = Eigen::Matrix3d::Zero(); // rows = lattice vectors [m]; zero when absent
    Eigen::VectorXd  masses;        // (atoms) [kg]; empty when absent
    std::vector<Eigen::Matrix3d> born_charges; // (atoms) Z* [e]; empty when absent

    unsigned int size() const { return omega.size(); }
    bool         has_collision() const { return collision.size() > 0; }
    bool         has_eigenvectors() const { return eigenvector.size() > 0; }

    /// Relaxation rate 1/tau: the diagonal of Omega when a matrix is given.
    Eigen::VectorXd relaxation_rate() const;
    /// w = nbar(nbar+1) (Bose) or nbar^2 (classical), at T0.
    Eigen::VectorXd occupation_weight() const;
    /// rho hbar omega w: dE = sum_mu energy_weight_mu psi_mu.
    Eigen::VectorXd energy_weight() const;
    /// psi of a uniform shift of 1 K: hbar omega / (k_B T0^2).
    Eigen::VectorXd uniform_shift() const;
    /// C_mu = energy_weight * uniform_shift [J/(m^3 K)].
    Eigen::VectorXd heat_capacity() const;

    /// Modes of equal frequency (relative 1e-9), or with `bins` > 0 of equal-width
    /// frequency bins (numbered consecutively over the non-empty ones): the groups that
    /// elastic walls (diffuse re-emission, specular mirrors) act within. Ab initio sets
    /// need bins: their equal-frequency groups are only symmetry stars.
    std::vector<int> frequency_groups(int &n_groups, unsigned int bins = 0) const;
  };

  /// RTA bulk conductivity tensor sum_mu C v v tau [W/(m K)].
  Eigen::Matrix3d rta_conductivity(const ModeSet &modes);

  /// What the conjugate-gradient solves of collision_conductivity took, per gradient
  /// direction x, y, z: iterations and the final relative residual.
  struct LbteSolveReport
  {
    std::array<int, 3>    iterations{{0, 0, 0}};
    std::array<double, 3> residual{{0, 0, 0}};
  };

  /// Full linearized conductivity: solve W Omega F = C v_j (minimum-norm, on the
  /// complement of the energy null space) and kappa_ij = sum C v_i F_j; conjugate gradients
  /// on the stored matrix, no copy of it (collision_conductivity.cc). Throws if a search
  /// direction shows the matrix is not positive definite there (directions the solve does
  /// not explore are not checked), or if the solve stalls.
  Eigen::Matrix3d collision_conductivity(const ModeSet &modes, LbteSolveReport *report = nullptr);
} // namespace kapitza
