#pragma once
// Synthetic vibrational EELS along the probe line (DESIGN.md section 5, group eels/).
// At each probe sample the populations are the linearized ones of DESIGN.md section 1,
// n_mu = nbar_mu + w_mu psi_mu; the spectra (solver/eels/spectra.h) are averaged over
// the samples of a Gaussian probe profile along x (probe size and delocalization), which
// near an interface mixes the modes of both materials. Every rank adds the spectra of its
// own modes, then one reduction sums them; the fits run on the summed spectra.

#include "solver/eels/eels_parameters.h"
#include "solver/eels/temperature_fit.h"
#include "solver/event_operator.h"
#include "solver/observables.h"

#include <Eigen/Sparse>

namespace kapitza
{
  struct EelsResult
  {
    EelsParameters      parameters;
    Eigen::VectorXd     energy;                  // K [J]
    std::vector<double> position;                // n [m], x of the line points
    RowMatrix           loss, gain;              // n x K
    std::vector<double> temperature, temperature_error, fit_top; // n [K], [K], [J]
    std::vector<int>    fit_points;              // n
    RowMatrix           window_loss, window_gain; // windows x n
  };

  template <int dim>
  class EelsProbe
  {
  public:
    /// Checks the materials (Bose statistics, real frequencies, dipole data) and places
    /// the probe samples of every line point.
    EelsProbe(const EelsParameters &parameters, const EventOperator<dim> &events,
              const dealii::Triangulation<dim> &triangulation, const ProbeLine &line);

    /// Spectra, fitted temperatures and window intensities of the state psi (collective).
    EelsResult measure(const ModeField &psi) const;

    /// Replaces the weights f of region r (tests: a spectrum of chosen modes only).
    void set_weights(unsigned int r, const Eigen::VectorXd &weights);

  private:
    struct Sample
    {
      unsigned int    point, region, cell;
      Eigen::VectorXd shape_values;
      double          weight;
    };
    void place_samples(const dealii::Triangulation<dim> &triangulation, const ProbeLine &line);
    bool add_sample(const dealii::Triangulation<dim> &triangulation, const dealii::Point<dim> &p,
                    unsigned int point, double weight);

    const EelsParameters       parameters;
    const EventOperator<dim>  &events;
    std::vector<Eigen::VectorXd> weights;     // f per region (all modes)
    std::vector<double>        region_top;    // highest hbar omega with f > 0 per region [J]
    std::vector<double>        position;
    std::vector<Sample>        samples;       // grouped by point
    Eigen::VectorXd            energies;
    // Per region: the samples as a matrix from the region's DoF values to the line points
    // (row = DoF, sum_s W_s phi(s)), and each point's sum of sample weights W_s there.
    std::vector<Eigen::SparseMatrix<double, Eigen::RowMajor>> sample_matrix;
    std::vector<Eigen::RowVectorXd>                          probe_weight;
    void gather_samples();
  };
} // namespace kapitza
