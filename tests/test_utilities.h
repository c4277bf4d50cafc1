#pragma once
// Helpers for the physics tests: model materials in a scratch folder, an input file
// written from a few settings, a run through the real program path, and its results.

#include "scattering/mode_database.h"
#include "scattering/model_materials.h"
#include "scattering/hdf5_file.h"
#include "solver/transport_problem.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace kapitza::testing
{
  /// A crystal folder of inputs/materials (force constants, phono3py results).
  inline std::string material_folder(const std::string &name)
  {
    return std::string(KAPITZA_SOURCE_DIR) + "/inputs/materials/" + name;
  }

  /// The message of the runtime_error `action` throws ("" when it does not throw).
  template <typename Action>
  std::string error_of(Action action)
  {
    try
      {
        action();
      }
    catch (const std::runtime_error &error)
      {
        return error.what();
      }
    return "";
  }

  /// A fresh scratch folder below the system temporary folder, private to this process
  /// (ctest runs test cases in parallel processes).
  inline std::string scratch_folder(const std::string &name)
  {
    const auto path = std::filesystem::temp_directory_path() /
                      ("kapitza-test-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path.string();
  }

  /// A number as input-file text, with every digit (std::to_string keeps only six decimals).
  inline std::string number(double value)
  {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
  }

  /// Writes a gray material: C = 1e6 J/(m^3 K), |v| = 1000 m/s, the given mean free path.
  inline std::string write_gray(const std::string &folder, double mfp, unsigned int polar,
                                unsigned int azimuth, bool half_range)
  {
    GrayMaterial gray;
    gray.tau = mfp / gray.speed;
    const std::string path = folder + "/gray.h5";
    write_mode_database(path, gray_material(gray, product_quadrature(polar, azimuth, half_range)));
    return path;
  }

  /// Input-file text: `settings` maps "Section/Name" (or "Name") to a value.
  inline std::string input_text(const std::map<std::string, std::string> &settings)
  {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> sections;
    for (const auto &[key, value] : settings)
      {
        const auto slash = key.find('/');
        if (slash == std::string::npos)
          sections[""].push_back({key, value});
        else
          sections[key.substr(0, slash)].push_back({key.substr(slash + 1), value});
      }
    std::string text;
    for (const auto &[section, entries] : sections)
      {
        if (!section.empty())
          text += "subsection " + section + "\n";
        for (const auto &[name, value] : entries)
          text += "  set " + name + " = " + value + "\n";
        if (!section.empty())
          text += "end\n";
      }
    return text;
  }

  struct CaseResult
  {
    SolveReport         report;
    std::vector<double> x, temperature, flux_x, flux_y;
    double              mean_flux = 0, conductivity = 0;
    std::string         results_path;
  };

  /// Largest |T - temperature| [K] and |q_x| [W/m^2] along the probe line: what a case at
  /// one uniform temperature must keep at round-off.
  struct UniformDeviation
  {
    double temperature = 0, flux = 0;
  };
  inline UniformDeviation uniform_deviation(const CaseResult &result, double temperature)
  {
    UniformDeviation worst;
    for (std::size_t i = 0; i < result.x.size(); ++i)
      {
        worst.temperature = std::max(worst.temperature, std::abs(result.temperature[i] - temperature));
        worst.flux        = std::max(worst.flux, std::abs(result.flux_x[i]));
      }
    return worst;
  }

  /// Runs a case through read_parameters and TransportProblem, then reads the results file.
  inline CaseResult run_case(const std::string &folder, std::map<std::string, std::string> settings)
  {
    settings.emplace("Solver/Verbose", "false");
    settings.emplace("Output/Write vtu", "false");
    settings.emplace("Output/File", "results.h5");
    {
      std::ofstream(folder + "/case.prm") << input_text(settings);
    }
    const RunParameters parameters = read_parameters(folder + "/case.prm");
    CaseResult          result;
    switch (parameters.dimension)
      {
        case 1:
          result.report = TransportProblem<1>(parameters, MPI_COMM_WORLD).run();
          break;
        case 2:
          result.report = TransportProblem<2>(parameters, MPI_COMM_WORLD).run();
          break;
        default:
          result.report = TransportProblem<3>(parameters, MPI_COMM_WORLD).run();
      }
    result.results_path = parameters.output_file;
    Hdf5File file(result.results_path, Hdf5File::Mode::read);
    result.x           = file.read_doubles("line/position");
    result.temperature = file.read_doubles("line/temperature");
    const auto flux    = file.read_doubles("line/heat_flux");
    for (std::size_t i = 0; i < result.x.size(); ++i)
      {
        result.flux_x.push_back(flux[3 * i]);
        result.flux_y.push_back(flux[3 * i + 1]);
      }
    result.mean_flux = file.read_double_attribute("summary", "mean_heat_flux");
    if (file.has_attribute("summary", "effective_conductivity"))
      result.conductivity = file.read_double_attribute("summary", "effective_conductivity");
    return result;
  }
} // namespace kapitza::testing

namespace kapitza::testing
{
  /// The set with a dense, energy-conserving collision matrix: the rank-one RTA mixing of
  /// DESIGN.md section 1 in dense form, Omega = diag(1/tau) - M_rta, plus (when
  /// elastic_rate > 0) an elastic isotropization within each band of `per_band`
  /// consecutive modes at elastic_rate / tau, which makes the full-matrix conductivity
  /// differ from the RTA one: Omega_el = (rate / tau) (I - P_b),
  /// (P_b psi)_mu = sum_{nu in b} (C_nu / C_b) psi_nu; it is symmetric in the W-weighted
  /// form, positive semidefinite and conserves energy. The result has no `tau`: the
  /// diagonal of Omega is the relaxation rate.
  inline ModeSet with_dense_collision_matrix(const ModeSet &rta, double elastic_rate = 0,
                                             unsigned int per_band = 0)
  {
    ModeSet               modes = rta;
    const Eigen::VectorXd c     = modes.heat_capacity();
    const Eigen::VectorXd rate  = modes.tau.cwiseInverse();
    const Eigen::VectorXd h     = constants::hbar * modes.omega;
    const Eigen::VectorXd a     = c.cwiseProduct(rate).cwiseQuotient(h) / c.dot(rate);
    Eigen::MatrixXd omega_matrix = Eigen::MatrixXd(rate.asDiagonal()) - h.cwiseProduct(rate) * a.transpose();
    for (unsigned int first = 0; elastic_rate > 0 && first < modes.size(); first += per_band)
      {
        const auto            block = Eigen::seqN(first, per_band);
        const Eigen::VectorXd cb    = c(block) / c(block).sum();
        omega_matrix(block, block) += elastic_rate * rate[first] *
                                      (Eigen::MatrixXd::Identity(per_band, per_band) -
                                       Eigen::VectorXd::Ones(per_band) * cb.transpose());
      }
    modes.collision = omega_matrix;
    modes.tau.resize(0);
    return modes;
  }

  /// Isotropic bands (|v| [m/s], tau [s], C [J/(m^3 K)]) on a quadrature, with the dense
  /// matrix above.
  inline ModeSet dense_band_material(const std::vector<Band> &bands, double elastic_rate,
                                     const AngularQuadrature &quadrature)
  {
    return with_dense_collision_matrix(
      band_material("bands", bands, 300, Statistics::bose, 1e14, quadrature), elastic_rate,
      quadrature.weight.size());
  }

  /// Least-squares slope of y(x) over the points with lo <= x <= hi.
  inline double fitted_slope(const std::vector<double> &x, const std::vector<double> &y,
                             double lo, double hi)
  {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i] >= lo && x[i] <= hi)
        {
          n += 1, sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
        }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }
} // namespace kapitza::testing
