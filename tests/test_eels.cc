// Synthetic EELS building blocks: input parsing, the dipole weights of a diatomic crystal
// (acoustic modes invisible, Born-charge row/column convention, on- and off-axis
// collection), the one-mode spectra (detailed balance for any population and resolution)
// and the zero-intercept temperature fit.
#include "solver/eels/eels_parameters.h"
#include "solver/eels/scattering_weights.h"
#include "solver/eels/spectra.h"
#include "solver/eels/temperature_fit.h"

#include <deal.II/base/parameter_handler.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>

namespace
{
  using namespace kapitza;

  EelsParameters parse_eels(const std::string &settings)
  {
    dealii::ParameterHandler prm;
    EelsParameters::declare(prm);
    prm.parse_input_from_string("subsection EELS\n" + settings + "end\n");
    EelsParameters parameters;
    parameters.parse(prm);
    return parameters;
  }

  TEST(EelsParameters, DefaultsAndUnits)
  {
    const EelsParameters p = parse_eels("");
    EXPECT_FALSE(p.enabled);
    EXPECT_DOUBLE_EQ(p.resolution, 0.010 * electron_volt);
    EXPECT_DOUBLE_EQ(p.fit_lo, 0.055 * electron_volt);
    EXPECT_EQ(p.fit_hi, 0.0); // top
    EXPECT_FALSE(p.off_axis);
    EXPECT_DOUBLE_EQ(p.probe_size, 0.3e-9);
    ASSERT_EQ(p.windows.size(), 3u);
    EXPECT_EQ(p.windows[0].name, "AlN TO");
    EXPECT_DOUBLE_EQ(p.windows[0].lo, 0.081 * electron_volt);
    EXPECT_DOUBLE_EQ(p.windows[0].hi, 0.085 * electron_volt);
  }

  TEST(EelsParameters, CollectionFitWindowAndErrors)
  {
    EXPECT_TRUE(parse_eels("set Collection = off-axis\n").off_axis);
    EXPECT_DOUBLE_EQ(parse_eels("set Collection = off-axis\n").collection_angle, 45);
    EXPECT_DOUBLE_EQ(parse_eels("set Collection = off-axis 30\n").collection_angle, 30);
    EXPECT_DOUBLE_EQ(parse_eels("set Fit window = 0.06, 0.1\n").fit_hi, 0.1 * electron_volt);
    EXPECT_THROW(parse_eels("set Collection = sideways\n"), std::runtime_error);
    EXPECT_THROW(parse_eels("set Collection = off-axis 120\n"), std::runtime_error);
    EXPECT_THROW(parse_eels("set Fit window = 0.1, 0.05\n"), std::runtime_error);
    EXPECT_THROW(parse_energy_windows("TO:0.085:0.081"), std::runtime_error);
    EXPECT_THROW(parse_energy_windows("TO:0.081"), std::runtime_error);
    EXPECT_THROW(parse_energy_windows("TO:a:0.081"), std::runtime_error);
    EXPECT_EQ(parse_energy_windows("").size(), 0u);
  }

  // Two atoms of masses m1, m2 with Born charges +Z and -Z (acoustic sum rule), and four
  // modes: acoustic along x, optical along x, y and z.
  ModeSet diatomic(const Eigen::Matrix3d &z)
  {
    const double m1 = 27 * 1.66e-27, m2 = 14 * 1.66e-27;
    ModeSet      modes;
    modes.material    = "diatomic";
    modes.temperature = 300;
    modes.omega       = Eigen::VectorXd::Constant(4, 1e14);
    modes.density     = Eigen::VectorXd::Ones(4);
    modes.masses      = Eigen::Vector2d(m1, m2);
    modes.born_charges = {z, -z};
    modes.eigenvector  = Eigen::MatrixXcd::Zero(4, 6);
    const double total = m1 + m2;
    modes.eigenvector(0, 0) = std::sqrt(m1 / total), modes.eigenvector(0, 3) = std::sqrt(m2 / total);
    for (int alpha = 0; alpha < 3; ++alpha)
      {
        // Optical: the centre of mass rests; a phase factor must not matter.
        const std::complex<double> phase = std::polar(1.0, 0.7 * alpha);
        modes.eigenvector(1 + alpha, alpha)     = phase * std::sqrt(m2 / total);
        modes.eigenvector(1 + alpha, 3 + alpha) = -phase * std::sqrt(m1 / total);
      }
    return modes;
  }

  TEST(ScatteringWeights, DipoleOfDiatomicCrystal)
  {
    const ModeSet modes = diatomic(2.5 * Eigen::Matrix3d::Identity());
    const double  mu    = modes.masses[0] * modes.masses[1] / modes.masses.sum();
    const double  full  = 2.5 * 2.5 / mu; // |a|^2 of an optical mode
    EelsParameters p;
    p.weights = "dipole";
    // On-axis: q averaged over the x-y plane (beam along z).
    const Eigen::VectorXd on = scattering_weights(modes, p);
    EXPECT_LT(on[0], 1e-12 * full); // acoustic: sum_k Z_k = 0
    EXPECT_NEAR(on[1] / full, 0.5, 1e-12);
    EXPECT_NEAR(on[2] / full, 0.5, 1e-12);
    EXPECT_LT(on[3], 1e-12 * full); // polarized along the beam
    // Off-axis at theta from the interface plane: q = (sin theta, cos theta, 0).
    p.off_axis = true;
    for (const double theta : {0.0, 30.0, 45.0, 90.0})
      {
        p.collection_angle    = theta;
        const Eigen::VectorXd f = scattering_weights(modes, p);
        const double          t = theta * M_PI / 180;
        EXPECT_NEAR(f[1] / full, std::sin(t) * std::sin(t), 1e-12) << theta;
        EXPECT_NEAR(f[2] / full, std::cos(t) * std::cos(t), 1e-12) << theta;
        EXPECT_LT(f[3], 1e-12 * full);
      }
  }

  TEST(ScatteringWeights, BornChargeRowsAreFieldColumnsAreDisplacement)
  {
    // Z*_xy only: a displacement along y polarizes along x, seen by q along x (90 deg).
    Eigen::Matrix3d z = Eigen::Matrix3d::Zero();
    z(0, 1)           = 1.8;
    const ModeSet  modes = diatomic(z);
    const double   full  = 1.8 * 1.8 * modes.masses.sum() / (modes.masses[0] * modes.masses[1]);
    EelsParameters p;
    p.weights          = "dipole";
    p.off_axis         = true;
    p.collection_angle = 90;
    Eigen::VectorXd f  = scattering_weights(modes, p);
    EXPECT_NEAR(f[2] / full, 1.0, 1e-12); // mode polarized along y
    EXPECT_LT(f[1], 1e-12 * full);
    p.collection_angle = 0; // q along y sees nothing
    f                  = scattering_weights(modes, p);
    EXPECT_LT(f.maxCoeff(), 1e-12 * full);
  }

  TEST(ScatteringWeights, DipoleWithoutCrystalDataIsOneClearError)
  {
    ModeSet modes        = diatomic(Eigen::Matrix3d::Identity());
    modes.born_charges.clear();
    EelsParameters p;
    p.weights = "dipole";
    try
      {
        scattering_weights(modes, p);
        FAIL() << "no error";
      }
    catch (const std::runtime_error &error)
      {
        const std::string text = error.what();
        EXPECT_NE(text.find("'diatomic'"), std::string::npos) << text;
        EXPECT_NE(text.find("lacks Born charges"), std::string::npos) << text;
        EXPECT_EQ(text.find('\n'), std::string::npos) << text;
      }
    modes = diatomic(Eigen::Matrix3d::Identity());
    modes.eigenvector.conservativeResize(4, 5);
    EXPECT_THROW(scattering_weights(modes, p), std::runtime_error);
    p.weights = "dos";
    EXPECT_EQ(scattering_weights(modes, p), Eigen::VectorXd::Ones(4));
  }

  TEST(Spectra, OneModeObeysDetailedBalanceAtEveryEnergy)
  {
    // Whatever the population and the resolution, loss/gain of one mode is (n+1)/n at
    // every energy, and the loss integrates to rho f (n+1)/omega.
    const double          resolution = 0.01 * electron_volt, step = 0.1e-3 * electron_volt;
    const double          energy     = 0.083 * electron_volt;
    const Eigen::VectorXd axis       = energy_axis(energy, resolution, step);
    EXPECT_GT(axis[axis.size() - 1], energy + 2 * resolution);
    for (const double n : {0.03, 0.5, 4.0})
      {
        Eigen::MatrixXd loss = Eigen::MatrixXd::Zero(axis.size(), 2), gain = loss;
        // Two points: the population n at weight 1, and 2n at probe weight 2 (two samples).
        Eigen::MatrixXd occupation(1, 2);
        occupation << n, 2 * 2 * n;
        add_spectra(axis, resolution, Eigen::VectorXd::Constant(1, energy), Eigen::VectorXd::Constant(1, 3.0),
                    occupation, Eigen::RowVector2d(1, 2), loss, gain);
        for (Eigen::Index k = 0; k < axis.size(); k += 37)
          if (gain(k, 0) > 1e-300)
            {
              EXPECT_NEAR(loss(k, 0) / gain(k, 0), (n + 1) / n, 1e-12 * (n + 1) / n);
              EXPECT_NEAR(loss(k, 1) / gain(k, 1), (2 * n + 1) / (2 * n), 1e-12 * (n + 1) / n);
            }
        // The axis ends 5 sigma above the peak: the tail beyond holds 2.9e-7 of the area.
        EXPECT_NEAR(loss.col(0).sum() * step / (3 * (n + 1)), 1.0, 5e-7);
      }
  }

  TEST(TemperatureFit, LineThroughOriginAndStandardError)
  {
    const double    kT = constants::boltzmann * 412.5;
    Eigen::VectorXd e  = Eigen::VectorXd::LinSpaced(200, 0.001, 0.2) * electron_volt;
    Eigen::VectorXd gain = Eigen::VectorXd::Ones(e.size()), loss(e.size());
    for (Eigen::Index k = 0; k < e.size(); ++k)
      loss[k] = std::exp(e[k] / kT);
    TemperatureFit fit = fit_temperature(e, loss, gain, 0.055 * electron_volt, 0.12 * electron_volt);
    EXPECT_NEAR(fit.temperature, 412.5, 1e-9);
    EXPECT_LT(fit.error, 1e-9);
    // Window bounds hold to round-off (relative 1e-12): the axis point at 55 meV is inside.
    const auto inside = [&](double energy) {
      return energy >= 0.055 * electron_volt * (1 - 1e-12) && energy <= 0.12 * electron_volt * (1 + 1e-12);
    };
    EXPECT_EQ(fit.points, int(std::count_if(e.data(), e.data() + e.size(), inside)));
    EXPECT_EQ(fit.points, 66); // 55, 56, ..., 120 meV
    // An alternating perturbation +-d: the slope's standard error by hand.
    const double d = 0.01;
    double       sxx = 0, sxy = 0, n = 0;
    std::vector<double> x, y;
    for (Eigen::Index k = 0; k < e.size(); ++k)
      {
        loss[k] = std::exp(e[k] / kT + (k % 2 ? d : -d));
        if (inside(e[k]))
          {
            x.push_back(e[k] / electron_volt), y.push_back(std::log(loss[k]));
            sxx += x.back() * x.back(), sxy += x.back() * y.back(), n += 1;
          }
      }
    const double slope = sxy / sxx;
    double       rss   = 0;
    for (std::size_t k = 0; k < x.size(); ++k)
      rss += std::pow(y[k] - slope * x[k], 2);
    const double to_kelvin = electron_volt / constants::boltzmann;
    fit = fit_temperature(e, loss, gain, 0.055 * electron_volt, 0.12 * electron_volt);
    EXPECT_NEAR(fit.temperature, to_kelvin / slope, 1e-9);
    EXPECT_NEAR(fit.error, to_kelvin * std::sqrt(rss / (n - 1) / sxx) / (slope * slope), 1e-9);
    // No points: NaN, never a made-up number.
    EXPECT_TRUE(std::isnan(fit_temperature(e, loss, gain, 1.0, 2.0).temperature));
    // Window integrals: the rectangle rule on the axis.
    EXPECT_NEAR(window_intensity(e, gain, 0.05 * electron_volt, 0.1 * electron_volt) /
                  (0.05 * electron_volt),
                1.0, 0.02);
  }
} // namespace
