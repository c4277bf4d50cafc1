#pragma once
// Three-phonon relaxation rates of a dense q-mesh interpolated from a coarser mesh's RTA
// database (kapitza-modes --lifetimes-from). Harmonic phonons cost N_q on any mesh; the
// three-phonon sums cost N_q^2, so dense transport sets take their rates from a coarse one.
//
// How: per band (ascending frequency at each q, as kapitza-modes numbers them) the coarse
// omega^p tau (p = lifetime_scaling_power) is interpolated trilinearly in q between the 8
// coarse points around each dense q (periodic mesh), then divided by the dense omega^p.
// tau, not the rate, because kappa is linear in tau: interpolating the rate biases every
// tau low between the points (1 / mean of rates <= mean of 1 / rates). omega^2 tau because acoustic lifetimes
// diverge at long wavelengths (three-phonon rates vanish as omega^2 for LA, omega to omega^2
// for TA), where omega^2 tau stays finite. The acoustic modes at Gamma have no lifetime:
// their corner is left out and the other corners' weights renormalized. On the coarse
// points themselves the lifetimes are the coarse ones. validation/lifetime_interpolation.py
// compares this with the rate and with other powers against direct dense sets.

#include "scattering/ab_initio/dynamical_matrix.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/mode_set.h"

#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    /// The power p of omega^p tau, the interpolated quantity (see above).
    constexpr double lifetime_scaling_power = 2;

    /// The rates of a coarse RTA database on its own mesh, checked against the crystal they
    /// are lent to: the same masses and cell, the same harmonic frequencies from
    /// `dynamical_matrix` at every coarse point (the same force constants), the same
    /// temperature and statistics. Every mismatch is an error naming `file`.
    class CoarseRates
    {
    public:
      CoarseRates(const std::string &file, const DynamicalMatrix &dynamical_matrix,
                  double temperature, Statistics statistics);

      /// (n_q, n_branch) rates [1/s] on the points of `dense`, with its frequencies. Entries
      /// of the acoustic modes at Gamma are NaN (those modes are left out of mode sets).
      Eigen::MatrixXd rates_on(const PhononMesh &dense) const;

      /// How the rates were made, in the dense database's provenance: the coarse set's
      /// smearing and isotopes, and `lifetimes` (the coarse file, its mesh, the interpolation).
      void record(Provenance &dense) const;

    private:
      std::string     file;
      Eigen::Vector3i mesh;
      Eigen::MatrixXd scaled; // (coarse n_q, n_branch) omega^p tau; NaN where no mode
      Provenance      provenance;
    };

    /// One CoarseRates per temperature, from `pattern` with {T} replaced (database_requests.h);
    /// none for an empty pattern.
    std::vector<CoarseRates> coarse_rates(const std::string &pattern, const std::vector<double> &temperatures,
                                          const DynamicalMatrix &dynamical_matrix, Statistics statistics);
  } // namespace phonons
} // namespace kapitza
