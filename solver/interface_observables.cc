#include "solver/interface_observables.h"

namespace kapitza
{
  namespace
  {
    // Least-squares line through (x, T) for lo <= x <= hi: returns (slope, intercept).
    std::pair<double, double> fit_line(const std::vector<Eigen::Vector3d> &points,
                                       const std::vector<double> &temperature, double lo, double hi)
    {
      double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (std::size_t i = 0; i < points.size(); ++i)
        if (points[i][0] >= lo && points[i][0] <= hi)
          {
            const double x = points[i][0], y = temperature[i];
            n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
          }
      if (n < 2)
        throw std::runtime_error("an interface fit window holds fewer than two probe points "
                                 "(raise Output/Line points or widen Interfaces/Fit window)");
      const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
      return {slope, (sy - slope * sx) / n};
    }
  } // namespace

  template <int dim>
  std::vector<InterfaceReport>
  measure_interfaces(const RunParameters &parameters, const Observables<dim> &observables,
                     const std::vector<RegionFields> &fields, const LineObservables &line,
                     double mean_flux, const InterfaceScattering<dim> &interfaces,
                     const std::vector<Eigen::MatrixXd> &spectral_flux)
  {
    std::vector<InterfaceReport> reports;
    const auto &layers = parameters.mesh.layers;
    if (parameters.mesh.generator != "layers")
      return reports;
    const auto &points = observables.line().points;
    const auto [lo, hi] = parameters.interfaces.fit_window;
    double start = 0;
    for (unsigned int i = 0; i + 1 < layers.size(); ++i)
      {
        const double x_i = start + layers[i].thickness;
        const auto   index = [&](const std::string &name) {
          return std::find(parameters.material_names.begin(), parameters.material_names.end(), name) -
                 parameters.material_names.begin();
        };
        const unsigned int a = index(layers[i].material), b = index(layers[i + 1].material);
        start = x_i;
        if (a == b)
          continue;
        InterfaceReport report;
        report.material_a = layers[i].material;
        report.material_b = layers[i + 1].material;
        report.position   = x_i;
        report.heat_flux  = mean_flux;
        report.model      = parameters.interfaces.name();
        const double L_a = layers[i].thickness, L_b = layers[i + 1].thickness;
        const auto fit_a = fit_line(points, line.temperature, x_i - L_a + lo * L_a, x_i - L_a + hi * L_a);
        const auto fit_b = fit_line(points, line.temperature, x_i + lo * L_b, x_i + hi * L_b);
        report.temperature_drop = (fit_a.first * x_i + fit_a.second) - (fit_b.first * x_i + fit_b.second);
        report.resistance       = report.temperature_drop / mean_flux;
        report.kappa_a          = std::abs(mean_flux / fit_a.first);
        report.kappa_b          = std::abs(mean_flux / fit_b.first);
        for (unsigned int p = 0; p < interfaces.pairs().size(); ++p)
          {
            const InterfacePair &pair = interfaces.pairs()[p];
            if (!((pair.region_a == a && pair.region_b == b) || (pair.region_a == b && pair.region_b == a)))
              continue;
            const auto temperature_a = observables.trace_temperatures(fields, pair.region_a);
            const auto temperature_b = observables.trace_temperatures(fields, pair.region_b);
            const auto &traces = observables.geometry().regions()[pair.region_a].traces;
            const double sign = pair.region_a == a ? 1.0 : -1.0;
            double jump = 0;
            int    n    = 0;
            Eigen::VectorXd t_ab = Eigen::VectorXd::Zero(pair.n_channels), t_ba = t_ab, flux = t_ab;
            for (unsigned int k = 0; k < pair.traces_a.size(); ++k)
              {
                const TracePoint &point = traces[pair.traces_a[k]];
                if (std::abs(point.position[0] - x_i) > 1e-9 * (L_a + L_b))
                  continue;
                jump += sign * (temperature_a[pair.traces_a[k]] - temperature_b[point.partner_trace]);
                t_ab += pair.t_ab.row(k).transpose(), t_ba += pair.t_ba.row(k).transpose(), ++n;
                flux += spectral_flux[p].row(k).transpose();
              }
            report.face_jump    = n > 0 ? jump / n : 0;
            report.frequency    = pair.frequency;
            report.transmission = Eigen::MatrixXd(2, pair.n_channels);
            report.transmission.row(sign > 0 ? 0 : 1) = t_ab.transpose() / std::max(n, 1);
            report.transmission.row(sign > 0 ? 1 : 0) = t_ba.transpose() / std::max(n, 1);
            report.spectral_flux = sign * flux / std::max(n, 1);
            report.strain        = pair.strain;
            report.landauer_conductance = pair.landauer_conductance;
            report.spectral_conductance = pair.spectral_conductance;
          }
        reports.push_back(report);
      }
    return reports;
  }

  template std::vector<InterfaceReport>
  measure_interfaces<1>(const RunParameters &, const Observables<1> &, const std::vector<RegionFields> &,
                        const LineObservables &, double, const InterfaceScattering<1> &,
                        const std::vector<Eigen::MatrixXd> &);
  template std::vector<InterfaceReport>
  measure_interfaces<2>(const RunParameters &, const Observables<2> &, const std::vector<RegionFields> &,
                        const LineObservables &, double, const InterfaceScattering<2> &,
                        const std::vector<Eigen::MatrixXd> &);
  template std::vector<InterfaceReport>
  measure_interfaces<3>(const RunParameters &, const Observables<3> &, const std::vector<RegionFields> &,
                        const LineObservables &, double, const InterfaceScattering<3> &,
                        const std::vector<Eigen::MatrixXd> &);
} // namespace kapitza
