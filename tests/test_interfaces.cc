// Diffuse interfaces (DMM and tabulated): a uniform temperature crosses them unchanged,
// they conserve energy flux exactly, and the ballistic gray bilayer carries exactly
// q = t_ab M_a dT with M_a = sum_{v_x > 0} C v_x (the DMM result).
#include "interface/interface_scattering.h"
#include "interface_cases.h"

#include <gtest/gtest.h>

#include <deal.II/base/quadrature_lib.h>

#include <random>

namespace
{
  using namespace kapitza::testing;

  TEST(Interfaces, UniformTemperatureCrossesUnchanged)
  {
    const std::string folder = scratch_folder("interface-uniform");
    write_gray_pair(folder, 1e-7);
    // The GiftBTE Ge/Si bands and table on 4 directions: 134 bands a side.
    const std::string data = std::string(KAPITZA_SOURCE_DIR) + "/inputs/giftbte/";
    const auto quadrature = kapitza::product_quadrature(2, 2, true);
    kapitza::write_mode_database(folder + "/ge.h5", kapitza::band_material("Ge", kapitza::read_band_file(data + "Ge_ran.dat"), 300, kapitza::Statistics::bose, 1e14, quadrature));
    kapitza::write_mode_database(folder + "/si.h5", kapitza::band_material("Si", kapitza::read_band_file(data + "Si_ran.dat"), 300, kapitza::Statistics::bose, 1e14, quadrature));
    for (const std::string model : {"dmm", "amm", "smm", "table"})
      for (const int dim : {1, 2})
        {
          auto settings = amm_bilayer("a:1e-7:10, b:1e-7:10");
          settings["Interfaces/Model"] = model;
          if (model == "table")
            {
              settings["Materials/Files"]  = "ge.h5, si.h5";
              settings["Interfaces/Model"] = "table " + data + "interface1_xin_134.dat";
            }
          settings["Dimension"]          = std::to_string(dim);
          settings["Mesh/Lateral size"]  = "5e-8";
          settings["Mesh/Lateral cells"] = "2";
          settings["Boundaries/Lateral"] = "diffuse";
          settings["Boundaries/Right"]   = "thermalizing 301";
          settings["Solver/Tolerance"]   = "1e-14";
          const CaseResult result = run_case(folder, settings);
          const auto [worst_t, worst_q] = uniform_deviation(result, 301);
          std::printf("%s, %dD: max |T - 301 K| = %.2e K, max |q| = %.2e W/m^2\n", model.c_str(), dim,
                      worst_t, worst_q);
          EXPECT_LT(worst_t, 1e-12) << model << " " << dim << "D";
          EXPECT_LT(worst_q, 1e-12 * 1e9) << model << " " << dim << "D";
        }
  }

  class InterfaceEnergy : public ::testing::TestWithParam<std::string>
  {};

  TEST_P(InterfaceEnergy, EnergyFluxIsConservedAtEveryFacePoint)
  {
    const std::string folder = scratch_folder("interface-energy");
    write_gray_pair(folder, 1e-7);
    auto settings = amm_bilayer("a:1e-7:4, b:1e-7:4");
    settings["Interfaces/Model"] = GetParam();
    std::ofstream(folder + "/case.prm") << input_text(settings);
    const auto parameters = kapitza::read_parameters(folder + "/case.prm");
    kapitza::TransportProblem<1> problem(parameters, MPI_COMM_WORLD);
    problem.setup();
    const auto &regions    = problem.event_operator().physics();
    const auto &geometry   = problem.observables().geometry();
    const auto *interfaces = problem.interface_scattering();
    std::mt19937 random(7);
    std::uniform_real_distribution<double> uniform(-1, 1);
    std::vector<kapitza::RowMatrix> outgoing, inflow;
    for (unsigned int r = 0; r < regions.size(); ++r)
      {
        outgoing.push_back(kapitza::RowMatrix::NullaryExpr(regions[r].distribution->n_local(),
                                                           geometry.regions()[r].traces.size(),
                                                           [&]() { return uniform(random); }));
        inflow.push_back(kapitza::RowMatrix::Zero(outgoing.back().rows(), outgoing.back().cols()));
      }
    interfaces->transmit(outgoing, inflow);
    // Net energy flux into the interface from both sides must vanish.
    double net = 0, scale = 0;
    for (unsigned int r = 0; r < regions.size(); ++r)
      for (unsigned int t = 0; t < geometry.regions()[r].traces.size(); ++t)
        if (geometry.regions()[r].traces[t].boundary_id == kapitza::interface_id)
          for (unsigned int mu = 0; mu < regions[r].modes.size(); ++mu)
            {
              const double vn = regions[r].modes.velocity.row(mu).dot(geometry.regions()[r].traces[t].normal);
              const double value = vn > 0 ? outgoing[r](mu, t) : inflow[r](mu, t);
              net += vn * regions[r].energy[mu] * value;
              scale += std::abs(vn * regions[r].energy[mu] * value);
            }
    EXPECT_LT(std::abs(net), 1e-14 * scale);
  }

  INSTANTIATE_TEST_SUITE_P(Models, InterfaceEnergy, ::testing::Values("dmm", "amm", "smm"));

  TEST(Interfaces, BallisticGrayBilayerCarriesTheDmmFlux)
  {
    const std::string folder = scratch_folder("interface-ballistic");
    write_gray_pair(folder, 1e-1); // mean free path 1e6 times the bilayer
    const CaseResult result = run_case(folder, bilayer("a:5e-8:10, b:5e-8:10", "dmm"));
    ASSERT_TRUE(result.report.converged);
    // M = sum_{v_x > 0} C v_x = C |v| / 4 for the half-range quadrature, exactly.
    const double m_a = 1e6 * 1000 / 4, m_b = 2e6 * 3000 / 4, t_ab = m_b / (m_a + m_b);
    const double exact = t_ab * m_a * 1.0;
    std::printf("ballistic DMM bilayer: q = %.9e W/m^2, t_ab M_a dT = %.9e W/m^2\n", result.mean_flux, exact);
    EXPECT_NEAR(result.mean_flux / exact, 1.0, 1e-5);
  }

  double identical_dmm(const std::string &folder, double mfp, const std::string &layers,
                       const std::string &grading, double &resistance)
  {
    const auto            quadrature = kapitza::product_quadrature(16, 2, true);
    kapitza::GrayMaterial gray;
    gray.tau = mfp / gray.speed;
    for (const std::string name : {"a", "b"})
      {
        gray.name = name;
        kapitza::write_mode_database(folder + "/" + name + ".h5", kapitza::gray_material(gray, quadrature));
      }
    auto settings                  = bilayer(layers, "dmm");
    settings["Mesh/Grading ratio"] = grading;
    settings["Solver/Tolerance"]   = "1e-12";
    const CaseResult  result       = run_case(folder, settings);
    kapitza::Hdf5File file(result.results_path, kapitza::Hdf5File::Mode::read);
    resistance = file.read_double_attribute("interfaces/0", "resistance");
    return result.mean_flux;
  }

  TEST(Interfaces, DmmBetweenIdenticalMaterials)
  {
    // DMM sends half of what arrives back even between identical media (M = C |v| / 4).
    const std::string folder = scratch_folder("interface-identical");
    double            resistance = 0;
    const double      m          = 1e6 * 1000 / 4;
    // Ballistic: the flux is exactly halved.
    const double q = identical_dmm(folder, 1e-1, "a:1e-6:20, b:1e-6:20", "1", resistance);
    std::printf("identical, ballistic: q / (M dT) = %.8f (DMM: 1/2)\n", q / m);
    EXPECT_NEAR(q / m, 0.5, 1e-5);
    // Diffusive (1000 mean free paths a side): the bulk profiles extrapolate to a drop
    // q R. The diffusion (Marshak, P1) estimate is R = 1/(t M) - 1/(2 M_a) - 1/(2 M_b)
    // = 1/M; transport puts it higher, as it puts the extrapolated jump at a black wall
    // 0.7104/(2/3) = 1.066 times above the Marshak value. The measured value must not
    // depend on the mesh (uniform 100 vs graded 200 cells a side).
    double coarse = 0, fine = 0;
    identical_dmm(folder, 1e-9, "a:1e-6:100, b:1e-6:100", "1", coarse);
    identical_dmm(folder, 1e-9, "a:1e-6:200, b:1e-6:200", "10", fine);
    std::printf("identical, diffusive: R M = %.5f (100 cells), %.5f (200 graded); P1 estimate 1\n",
                coarse * m, fine * m);
    EXPECT_NEAR(coarse / fine, 1.0, 5e-3);
    EXPECT_GT(fine * m, 1.0);
    EXPECT_LT(fine * m, 1.1);
  }
  TEST(Interfaces, DiffusiveBilayerIsASeriesOfResistances)
  {
    // 2000 mean free paths a side: dT / q = L_a / kappa_a + L_b / kappa_b + the two black
    // walls + the interface. A black wall of a thick gray slab adds (3/4) q_inf / M with
    // the Milne constant q_inf = 0.7104461 (Heaslet-Warming: Q -> 4 / (3 (tau + 2 q_inf))),
    // and the interface adds the R fitted from the bulk profiles.
    const std::string folder = scratch_folder("interface-series");
    write_gray_pair(folder, 1e-9);
    auto settings                  = bilayer("a:2e-6:200, b:2e-6:200", "dmm");
    settings["Mesh/Grading ratio"] = "20";
    settings["Solver/Tolerance"]   = "1e-12";
    const CaseResult  result = run_case(folder, settings);
    kapitza::Hdf5File file(result.results_path, kapitza::Hdf5File::Mode::read);
    const double interface = file.read_double_attribute("interfaces/0", "resistance");
    const double m_a = 1e6 * 1000 / 4, m_b = 2e6 * 3000 / 4;
    const double bulk  = 2e-6 / (1e6 * 1000 * 1e-9 / 3) + 2e-6 / (2e6 * 3000 * 1e-9 / 3);
    const double walls = 0.75 * 0.7104461 * (1 / m_a + 1 / m_b);
    const double total = 1.0 / result.mean_flux;
    std::printf("series: total %.6e, bulk %.6e + walls %.6e + interface %.6e = %.6e m^2K/W\n", total,
                bulk, walls, interface, bulk + walls + interface);
    EXPECT_NEAR(total - bulk, walls + interface, 1e-2 * (walls + interface));
  }
  double ballistic_amm_flux(const std::string &folder, unsigned int polar, double speed_b)
  {
    const auto            quadrature = kapitza::product_quadrature(polar, 2, true);
    kapitza::GrayMaterial a, b;
    a.name = "a", a.tau = 1e-1 / a.speed;
    b.name = "b", b.speed = speed_b, b.heat_capacity = 2e6, b.tau = 1e-1 / b.speed;
    kapitza::write_mode_database(folder + "/a.h5", kapitza::gray_material(a, quadrature));
    kapitza::write_mode_database(folder + "/b.h5", kapitza::gray_material(b, quadrature));
    return run_case(folder, amm_bilayer("a:5e-8:10, b:5e-8:10")).mean_flux;
  }

  TEST(Interfaces, AmmConvergesToTheFresnelTransmission)
  {
    // Ballistic, black walls: q = M_a dT int_0^1 tau(mu) 2 mu dmu, with the acoustic
    // Fresnel coefficient tau = 4 Z_a Z_b mu_a mu_b / (Z_b mu_a + Z_a mu_b)^2, Snell's law
    // and total internal reflection beyond sin(theta_a) = v_a / v_b; Z = rho v.
    const double v_a = 1000, v_b = 1500, z_a = 3000 * v_a, z_b = 5000 * v_b;
    const auto   tau = [&](double mu) {
      const double s = std::sqrt(1 - mu * mu) * v_b / v_a;
      if (s >= 1)
        return 0.0;
      const double mu_b = std::sqrt(1 - s * s);
      return 4 * z_a * z_b * mu * mu_b / std::pow(z_b * mu + z_a * mu_b, 2);
    };
    // Composite Gauss-Legendre on both sides of the kink at the critical angle.
    const double critical = std::sqrt(1 - v_a * v_a / (v_b * v_b));
    double       average  = 0;
    const dealii::QGauss<1> rule(20);
    for (const auto &[lo, hi] : {std::make_pair(0.0, critical), std::make_pair(critical, 1.0)})
      for (int piece = 0; piece < 50; ++piece)
        for (unsigned int q = 0; q < rule.size(); ++q)
          {
            const double h  = (hi - lo) / 50;
            const double mu = lo + h * (piece + rule.point(q)[0]);
            average += h * rule.weight(q) * tau(mu) * 2 * mu;
          }
    const double      exact  = 1e6 * v_a / 4 * average;
    const std::string folder = scratch_folder("interface-amm");
    const double      e64    = std::abs(ballistic_amm_flux(folder, 64, v_b) / exact - 1);
    const double      e128   = std::abs(ballistic_amm_flux(folder, 128, v_b) / exact - 1);
    std::printf("AMM ballistic flux vs Fresnel: relative error %.2e (64 cosines), %.2e (128)\n", e64, e128);
    EXPECT_LT(e128, 1e-3);
    EXPECT_GT(e64 / e128, 3.0); // about second order in the number of cosines
  }

  TEST(Interfaces, AmmBetweenIdenticalMaterialsIsTransparent)
  {
    // Identical materials and densities: AMM transmits everything, so the face carries no
    // temperature jump and, ballistic, the slab keeps its own flux Q = 1 - tau_L + ...
    const std::string folder = scratch_folder("interface-amm-identical");
    const auto quadrature = kapitza::product_quadrature(16, 2, true);
    for (const double mfp : {1e-1, 1e-9})
      {
        kapitza::GrayMaterial gray;
        gray.tau = mfp / gray.speed;
        for (const std::string name : {"a", "b"})
          {
            gray.name = name;
            kapitza::write_mode_database(folder + "/" + name + ".h5", kapitza::gray_material(gray, quadrature));
          }
        auto settings                         = amm_bilayer("a:1e-6:100, b:1e-6:100");
        settings["Interfaces/Mass densities"] = "3000, 3000";
        settings["Solver/Tolerance"]          = "1e-13";
        const CaseResult  result = run_case(folder, settings);
        kapitza::Hdf5File file(result.results_path, kapitza::Hdf5File::Mode::read);
        const double jump = file.read_double_attribute("interfaces/0", "face_temperature_jump");
        std::printf("AMM identical, mfp %g: face jump %.2e K, q / (M dT) = %.10f\n", mfp, jump,
                    result.mean_flux / 2.5e8);
        EXPECT_LT(std::abs(jump), 1e-10);
        if (mfp > 1e-3) // tau_L = 2e-5
          {
            EXPECT_NEAR(result.mean_flux / 2.5e8, 1.0, 3e-5);
          }
      }
  }
} // namespace
