// Importing phono3py's RTA results (scattering/ab_initio/io/phono3py_kappa.h): the unfolded full-mesh
// set must reproduce phono3py's own kappa tensor. phono3py's mode heat capacities use
// older physical constants than kapitza's CODATA 2018 ones: they differ by 0.6-2.2e-6
// mode by mode. A diagonal kappa element is a positive-weighted sum over modes, so its
// ratio to phono3py's must lie within the range of those per-mode ratios; a wrong
// unfolding (rotation, weight, lifetime unit) would miss by orders of magnitude more.

#include "scattering/ab_initio/io/phono3py_kappa.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/hdf5_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;

  struct Case
  {
    std::string folder, kappa_file;
    double      kappa_xx, kappa_zz; // phono3py's values as the data README quotes them
  };

  // Range of (kapitza's C) / (phono3py's C) - 1 over the file's modes.
  std::pair<double, double> heat_capacity_ratio_range(const Hdf5File &file, double temperature)
  {
    const auto frequency = file.read_doubles("frequency");
    const auto c_file    = file.read_doubles("heat_capacity"); // eV/K, one temperature
    ModeSet    modes;
    modes.temperature = temperature;
    std::vector<double> omega, c_phono3py;
    for (std::size_t i = 0; i < frequency.size(); ++i)
      if (frequency[i] > 1e-4)
        {
          omega.push_back(2 * M_PI * frequency[i] * 1e12);
          c_phono3py.push_back(c_file[i] * units::electronvolt);
        }
    modes.omega   = Eigen::Map<Eigen::VectorXd>(omega.data(), omega.size());
    modes.density = Eigen::VectorXd::Ones(omega.size());
    const Eigen::VectorXd c = modes.heat_capacity();
    double low = INFINITY, high = -INFINITY;
    for (std::size_t i = 0; i < omega.size(); ++i)
      {
        low  = std::min(low, c[i] / c_phono3py[i] - 1);
        high = std::max(high, c[i] / c_phono3py[i] - 1);
      }
    return {low, high};
  }

  class Phono3pyKappa : public ::testing::TestWithParam<Case>
  {};

  TEST_P(Phono3pyKappa, ReproducesPhono3pyConductivity)
  {
    const Case        &c      = GetParam();
    const std::string  folder = std::string(KAPITZA_SOURCE_DIR) + "/inputs/materials/" + c.folder;
    const std::string  path   = folder + "/" + c.kappa_file;
    const ForceConstants fc   = read_phono3py(folder, false);
    const ModeSet modes = import_phono3py_kappa(path, fc.primitive, c.folder, Statistics::bose);
    EXPECT_EQ(modes.source, phono3py_kappa_source);
    EXPECT_EQ(modes.temperature, 300);

    const Hdf5File  file(path, Hdf5File::Mode::read);
    const auto      mesh = file.read_ints("mesh");
    const unsigned  n_q  = mesh[0] * mesh[1] * mesh[2];
    EXPECT_EQ(modes.size(), n_q * 3 * fc.primitive.n_atoms() - 3); // all but Gamma acoustic
    EXPECT_NEAR(modes.density[0] * n_q * fc.primitive.volume(), 1, 1e-12);

    const auto            reference = file.read_doubles("kappa"); // xx yy zz yz xz xy
    const Eigen::Matrix3d kappa     = rta_conductivity(modes);
    const auto [low, high]          = heat_capacity_ratio_range(file, 300);
    for (unsigned int d = 0; d < 3; ++d)
      {
        const double ratio = kappa(d, d) / reference[d] - 1;
        EXPECT_GE(ratio, low - 1e-9) << "kappa " << d << d;
        EXPECT_LE(ratio, high + 1e-9) << "kappa " << d << d;
        EXPECT_LT(std::abs(ratio), 3e-6);
      }
    EXPECT_NEAR(kappa(0, 0), c.kappa_xx, 0.05);
    EXPECT_NEAR(kappa(2, 2), c.kappa_zz, 0.05);
    // Off-diagonal elements vanish by symmetry (phono3py's are ~1e-16 W/m-K).
    EXPECT_LT((kappa - Eigen::Matrix3d(kappa.diagonal().asDiagonal())).norm(), 1e-9 * kappa.norm());
    std::cout << c.folder << ": kappa xx yy zz = " << kappa(0, 0) << " " << kappa(1, 1) << " "
              << kappa(2, 2) << " W/m-K (phono3py " << reference[0] << " " << reference[1]
              << " " << reference[2] << "), heat-capacity ratio range [" << low << ", "
              << high << "]\n";
  }

  INSTANTIATE_TEST_SUITE_P(
    Materials, Phono3pyKappa,
    ::testing::Values(Case{"Si-PBEsol", "phono3py-kappa-m111111-RTA-300K.hdf5", 109.0, 109.0},
                      Case{"AlN-LDA", "phono3py-kappa-m13139-RTA-300K.hdf5", 235.84, 222.24}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return info.param.folder.substr(0, info.param.folder.find('-'));
    });

  TEST(Phono3pyKappaErrors, WrongCrystal)
  {
    const std::string root = std::string(KAPITZA_SOURCE_DIR) + "/inputs/materials/";
    const ForceConstants si = read_phono3py(root + "Si-PBEsol", false);
    try
      {
        import_phono3py_kappa(root + "AlN-LDA/phono3py-kappa-m13139-RTA-300K.hdf5", si.primitive,
                              "x", Statistics::bose);
        FAIL() << "imported AlN data with the Si cell";
      }
    catch (const std::runtime_error &error)
      {
        EXPECT_NE(std::string(error.what()).find("'frequency' must have shape (q-points, 6)"),
                  std::string::npos)
          << error.what();
      }
  }
} // namespace
