#include "solver/eels/eels_probe.h"

#include "solver/eels/scattering_weights.h"
#include "solver/eels/spectra.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/grid/grid_tools.h>

#include <cmath>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    double gaussian_sigma(double fwhm)
    {
      return fwhm / (2 * std::sqrt(2 * std::log(2.0)));
    }
  } // namespace

  template <int dim>
  EelsProbe<dim>::EelsProbe(const EelsParameters &parameters, const EventOperator<dim> &events,
                            const dealii::Triangulation<dim> &triangulation, const ProbeLine &line)
    : parameters(parameters)
    , events(events)
  {
    double top = 0;
    weights.resize(events.physics().size());
    region_top.resize(events.physics().size());
    for (unsigned int r = 0; r < events.physics().size(); ++r)
      {
        const ModeSet &modes = events.physics()[r].modes;
        if (modes.statistics != Statistics::bose)
          throw std::runtime_error("EELS needs Bose-Einstein occupations (detailed balance of the "
                                   "electron-phonon scattering), but material '" + modes.material +
                                   "' has classical statistics");
        if (modes.nominal_frequencies)
          throw std::runtime_error("EELS needs phonon frequencies, but material '" + modes.material +
                                   "' comes from a band file with nominal frequencies");
        set_weights(r, scattering_weights(modes, parameters));
        top = std::max(top, constants::hbar * modes.omega.maxCoeff());
      }
    energies = energy_axis(top, parameters.resolution, parameters.energy_step);
    place_samples(triangulation, line);
    gather_samples();
  }

  template <int dim>
  void EelsProbe<dim>::gather_samples()
  {
    const auto &regions = events.sweep().geometry().regions();
    const int   nd      = events.sweep().geometry().dofs_per_cell();
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        std::vector<Eigen::Triplet<double>> entries;
        probe_weight.push_back(Eigen::RowVectorXd::Zero(position.size()));
        for (const Sample &s : samples)
          if (s.region == r)
            {
              for (int d = 0; d < nd; ++d)
                entries.emplace_back(s.cell * nd + d, s.point, s.weight * s.shape_values[d]);
              probe_weight[r][s.point] += s.weight;
            }
        sample_matrix.emplace_back(regions[r].n_dofs(), position.size());
        sample_matrix[r].setFromTriplets(entries.begin(), entries.end()); // sums repeated entries
      }
  }

  template <int dim>
  void EelsProbe<dim>::set_weights(unsigned int r, const Eigen::VectorXd &f)
  {
    if (r >= weights.size())
      throw std::runtime_error("EELS: no material region " + std::to_string(r));
    const ModeSet &modes = events.physics()[r].modes;
    // All zero is allowed: a non-polar material is invisible to dipole scattering.
    if (f.size() != modes.omega.size() || !f.allFinite() || f.minCoeff() < 0)
      throw std::runtime_error("EELS: the scattering weights of material '" + modes.material +
                               "' must be finite and non-negative, one per mode");
    weights[r] = f;
    // The top of the spectrum: the highest mode the electrons see (f above 1e-6 of the largest).
    region_top[r] = 0;
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      if (f[mu] > 1e-6 * f.maxCoeff())
        region_top[r] = std::max(region_top[r], constants::hbar * modes.omega[mu]);
  }

  template <int dim>
  bool EelsProbe<dim>::add_sample(const dealii::Triangulation<dim> &triangulation,
                                  const dealii::Point<dim> &p, unsigned int point, double weight)
  {
    Sample sample{point, 0, 0, {}, weight};
    if (!locate_point(events.sweep().geometry(), triangulation, p, sample.region, sample.cell,
                      sample.shape_values))
      return false;
    samples.push_back(std::move(sample));
    return true;
  }

  template <int dim>
  void EelsProbe<dim>::place_samples(const dealii::Triangulation<dim> &triangulation,
                                     const ProbeLine &line)
  {
    // The probe profile along x, a Gaussian of FWHM `Probe size` cut at 4 sigma, is
    // integrated piecewise: pieces of at most sigma/2 that end at cell faces, so that the
    // jumps of the DG field (interfaces) fall between pieces, each with 3 Gauss points.
    // The profile is renormalized over the part inside the mesh (walls, holes).
    const double sigma = gaussian_sigma(parameters.probe_size);
    const auto   box   = dealii::GridTools::compute_bounding_box(triangulation);
    const double x_min = box.get_boundary_points().first[0], x_max = box.get_boundary_points().second[0];
    const dealii::QGauss<1> gauss(3);
    const auto             &geometry = events.sweep().geometry();
    for (unsigned int i = 0; i < line.points.size(); ++i)
      {
        position.push_back(line.points[i][0]);
        if (sigma == 0)
          {
            samples.push_back({i, line.region[i], line.cell[i], line.shape_values[i], 1.0});
            continue;
          }
        const std::size_t  first = samples.size();
        dealii::Point<dim> p;
        for (int d = 0; d < dim; ++d)
          p[d] = line.points[i][d];
        const double center = p[0], b = std::min(x_max, center + 4 * sigma);
        for (double a = std::max(x_min, center - 4 * sigma); a < b - 1e-9 * sigma;)
          {
            double          end = std::min(b, a + sigma / 2);
            unsigned int    region = 0, cell = 0;
            Eigen::VectorXd phi;
            p[0] = a + 1e-6 * sigma;
            if (locate_point(geometry, triangulation, p, region, cell, phi))
              {
                const auto &iterator = geometry.regions()[region].cells[cell];
                double      face     = -1e300;
                for (unsigned int v = 0; v < iterator->n_vertices(); ++v)
                  face = std::max(face, iterator->vertex(v)[0]);
                if (face > a + 1e-6 * sigma && face < end)
                  end = face;
              }
            for (unsigned int q = 0; q < gauss.size(); ++q)
              {
                p[0] = a + gauss.point(q)[0] * (end - a);
                const double offset = (p[0] - center) / sigma;
                add_sample(triangulation, p, i, gauss.weight(q) * (end - a) * std::exp(-0.5 * offset * offset));
              }
            a = end;
          }
        double total = 0;
        for (std::size_t s = first; s < samples.size(); ++s)
          total += samples[s].weight;
        if (samples.size() == first || !(total > 0))
          throw std::runtime_error("EELS: no probe samples inside the mesh around x = " +
                                   std::to_string(center) + " m");
        for (std::size_t s = first; s < samples.size(); ++s)
          samples[s].weight /= total;
      }
  }

  template <int dim>
  EelsResult EelsProbe<dim>::measure(const ModeField &psi) const
  {
    const unsigned int n = position.size(), n_e = energies.size();
    Eigen::MatrixXd    loss = Eigen::MatrixXd::Zero(n_e, n), gain = Eigen::MatrixXd::Zero(n_e, n);
    for (unsigned int r = 0; r < psi.region.size(); ++r)
      {
        const RegionPhysics &region = events.physics()[r];
        const RowMatrix     &p      = psi.region[r];
        const int            first = region.distribution->local_begin(), m = p.rows();
        if (m == 0)
          continue;
        const ModeSet        &modes = region.modes;
        const Eigen::VectorXd nbar  = equilibrium_occupation(modes).segment(first, m);
        const Eigen::VectorXd w     = modes.occupation_weight().segment(first, m);
        // Populations n = nbar + w psi at the samples, summed with the probe weights:
        // nbar W + w (psi A), mode by mode along psi's contiguous rows.
        const auto &a          = sample_matrix[r];
        RowMatrix   occupation = nbar * probe_weight[r];
        for (int i = 0; i < m; ++i)
          for (int k = 0; k < a.outerSize(); ++k)
            if (const double value = w[i] * p(i, k); value != 0)
              for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(a, k); it; ++it)
                occupation(i, it.col()) += value * it.value();
        const Eigen::VectorXd strength =
          (modes.density.cwiseProduct(weights[r]).cwiseQuotient(modes.omega)).segment(first, m);
        add_spectra(energies, parameters.resolution, constants::hbar * modes.omega.segment(first, m),
                    strength, occupation, probe_weight[r], loss, gain);
      }
    MPI_Allreduce(MPI_IN_PLACE, loss.data(), loss.size(), MPI_DOUBLE, MPI_SUM, events.communicator());
    MPI_Allreduce(MPI_IN_PLACE, gain.data(), gain.size(), MPI_DOUBLE, MPI_SUM, events.communicator());

    EelsResult result;
    result.parameters = parameters;
    result.energy     = energies;
    result.position   = position;
    result.loss       = loss.transpose();
    result.gain       = gain.transpose();
    result.window_loss.resize(parameters.windows.size(), n);
    result.window_gain.resize(parameters.windows.size(), n);
    std::vector<double> top(n, 0.0);
    for (const Sample &s : samples)
      top[s.point] = std::max(top[s.point], region_top[s.region]);
    for (unsigned int i = 0; i < n; ++i)
      {
        const double         hi  = parameters.fit_hi > 0 ? parameters.fit_hi : top[i];
        const TemperatureFit fit = fit_temperature(energies, loss.col(i), gain.col(i), parameters.fit_lo, hi);
        result.temperature.push_back(fit.temperature);
        result.temperature_error.push_back(fit.error);
        result.fit_points.push_back(fit.points);
        result.fit_top.push_back(hi);
        for (unsigned int k = 0; k < parameters.windows.size(); ++k)
          {
            const EnergyWindow &window = parameters.windows[k];
            result.window_loss(k, i) = window_intensity(energies, loss.col(i), window.lo, window.hi);
            result.window_gain(k, i) = window_intensity(energies, gain.col(i), window.lo, window.hi);
          }
      }
    return result;
  }

  template class EelsProbe<1>;
  template class EelsProbe<2>;
  template class EelsProbe<3>;
} // namespace kapitza
