// The mode database file (DESIGN.md section 5) and the energy-conservation contract of
// collision matrices (DESIGN.md section 1): round trips, one-line read errors, the
// symmetric projection of slightly non-conserving matrices, and a dense collision matrix
// whose conductivity is known exactly.

#include "scattering/energy_conservation.h"
#include "scattering/mode_database.h"
#include "scattering/model_materials.h"
#include "scattering/hdf5_file.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
  using namespace kapitza;

  // Three isotropic bands (|v| tau C and two unused shares per line), as in a peer band file.
  std::string write_band_file(const std::string &folder)
  {
    const std::string path = folder + "/bands.dat";
    std::ofstream     out(path);
    out << "6000 2e-11 4e5 0.5 0.5\n";
    out << "\n";
    out << "3500 5e-11 7e5 0.3 0.7\n";
    out << "1500 1e-10 9e5 0.2 0.8\n";
    return path;
  }

  ModeSet small_band_material(const std::string &folder)
  {
    const auto bands = read_band_file(write_band_file(folder));
    return band_material("bands", bands, 300, Statistics::bose, 6e13,
                         product_quadrature(4, 4, false));
  }

  void expect_identical(const ModeSet &a, const ModeSet &b)
  {
    EXPECT_EQ(a.material, b.material);
    EXPECT_EQ(a.temperature, b.temperature);
    EXPECT_EQ(a.statistics, b.statistics);
    EXPECT_EQ(a.nominal_frequencies, b.nominal_frequencies);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.provenance, b.provenance);
    const auto same = [](const auto &x, const auto &y, const char *name) {
      ASSERT_EQ(x.rows(), y.rows()) << name;
      ASSERT_EQ(x.cols(), y.cols()) << name;
      EXPECT_TRUE(x == y) << name << " differs after the round trip";
    };
    same(a.omega, b.omega, "omega");
    same(a.velocity, b.velocity, "velocity");
    same(a.density, b.density, "density");
    same(a.tau, b.tau, "tau");
    same(a.collision, b.collision, "collision");
    same(a.wavevector, b.wavevector, "wavevector");
    same(a.branch, b.branch, "branch");
    EXPECT_EQ(a.branch_labels, b.branch_labels);
  }

  // A mode file written field by field, so that each field can be broken on its own.
  struct RawModes
  {
    std::string          format = "kapitza-modes", material, statistics;
    double               temperature = 0;
    std::vector<double>  omega, density, tau, collision, velocity;
    std::vector<hsize_t> velocity_shape, density_shape;

    explicit RawModes(const ModeSet &modes)
      : material(modes.material)
      , statistics(to_string(modes.statistics))
      , temperature(modes.temperature)
      , omega(modes.omega.data(), modes.omega.data() + modes.size())
      , density(modes.density.data(), modes.density.data() + modes.size())
      , tau(modes.tau.data(), modes.tau.data() + modes.tau.size())
      , velocity(modes.velocity.data(), modes.velocity.data() + modes.velocity.size())
      , velocity_shape{modes.size(), 3}
      , density_shape{modes.size()}
    {
      if (modes.has_collision())
        {
          const RowMajor rows = modes.collision;
          collision.assign(rows.data(), rows.data() + rows.size());
        }
    }

    void write(const std::string &path) const
    {
      Hdf5File file(path, Hdf5File::Mode::create);
      file.write_attribute("/", "format", format);
      file.write_attribute("/", "version", 1);
      file.write_attribute("/", "material", material);
      file.write_attribute("/", "temperature", temperature);
      file.write_attribute("/", "statistics", statistics);
      const hsize_t n = omega.size();
      file.write("omega", {n}, omega.data());
      file.write("velocity", velocity_shape, velocity.data());
      file.write("density", density_shape, density.data());
      if (!tau.empty())
        file.write("tau", {n}, tau.data());
      if (!collision.empty())
        file.write("collision", {n, n}, collision.data());
    }

    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  };

  /// Reading `path` must throw a std::runtime_error whose text is one line containing
  /// `expected`; returns the text.
  std::string read_error(const std::string &path, const std::string &expected)
  {
    ConservationReport report;
    try
      {
        read_mode_database(path, report);
      }
    catch (const std::runtime_error &error)
      {
        const std::string what = error.what();
        EXPECT_EQ(what.find('\n'), std::string::npos) << "not one line: " << what;
        EXPECT_NE(what.find(expected), std::string::npos)
          << "'" << what << "' does not name the problem ('" << expected << "')";
        return what;
      }
    catch (const std::exception &error)
      {
        ADD_FAILURE() << path << ": threw an exception that is not a std::runtime_error: "
                      << error.what();
        return error.what();
      }
    ADD_FAILURE() << path << ": read without an error (expected '" << expected << "')";
    return "";
  }

  double worst(const ConservationReport &r)
  {
    return std::max({r.stationarity, r.creation, r.asymmetry});
  }

  GrayMaterial test_gray()
  {
    GrayMaterial gray;
    gray.name = "gray";
    gray.tau  = 1e-7 / gray.speed;
    return gray;
  }
} // namespace

TEST(ModeDatabase, RoundTripOfGrayMaterial)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-gray");
  const ModeSet     gray   = gray_material(test_gray(), product_quadrature(8, 4, true));
  write_mode_database(folder + "/gray.h5", gray);
  ConservationReport report;
  const ModeSet      back = read_mode_database(folder + "/gray.h5", report);
  expect_identical(gray, back);
  EXPECT_EQ(back.size(), 32u);
  EXPECT_EQ(report.correction, 0.0);
}

TEST(ModeDatabase, RoundTripOfBandMaterialWithOptionalFields)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-bands");
  ModeSet           bands  = small_band_material(folder);
  ASSERT_EQ(bands.size(), 3u * 16u);
  EXPECT_TRUE(bands.nominal_frequencies);
  // Optional fields: wavevectors and branches with labels.
  bands.wavevector = 1e9 * bands.velocity / 6000.0;
  bands.branch.resize(bands.size());
  for (unsigned int mu = 0; mu < bands.size(); ++mu)
    bands.branch[mu] = mu / 16;
  bands.branch_labels = {"LA", "TA", "ZA"};
  bands.statistics    = Statistics::bose;
  write_mode_database(folder + "/bands.h5", bands);
  ConservationReport report;
  expect_identical(bands, read_mode_database(folder + "/bands.h5", report));

  // Classical statistics survive too.
  ModeSet classical     = gray_material(test_gray(), product_quadrature(4, 2, false));
  classical.statistics  = Statistics::classical;
  classical.density    *= 3.0; // any positive density
  write_mode_database(folder + "/classical.h5", classical);
  expect_identical(classical, read_mode_database(folder + "/classical.h5", report));
}

TEST(ModeDatabase, RoundTripOfDenseCollisionMatrix)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-dense");
  const ModeSet     dense  = kapitza::testing::with_dense_collision_matrix(small_band_material(folder));
  write_mode_database(folder + "/dense.h5", dense);
  ConservationReport report;
  const ModeSet      back = read_mode_database(folder + "/dense.h5", report);
  // A matrix that conserves energy to round-off is used as it is: bit for bit.
  EXPECT_EQ(report.correction, 0.0);
  expect_identical(dense, back);
}

TEST(ModeDatabase, ReadErrorsAreOneLineAndNameTheProblem)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-errors");
  const ModeSet     gray   = gray_material(test_gray(), product_quadrature(4, 4, false));
  const unsigned    n      = gray.size();

  read_error(folder + "/missing.h5", "cannot open");

  {
    std::ofstream(folder + "/text.h5") << "omega velocity density\n1 2 3\n";
    read_error(folder + "/text.h5", "not an HDF5 file");
  }
  {
    RawModes raw(gray);
    raw.format = "kapitza-results";
    raw.write(folder + "/format.h5");
    read_error(folder + "/format.h5", "format");
  }
  {
    RawModes raw(gray);
    raw.velocity.resize(2 * n);
    raw.velocity_shape = {n, 2};
    raw.write(folder + "/velocity.h5");
    const std::string what = read_error(folder + "/velocity.h5", "'velocity'");
    EXPECT_NE(what.find("(" + std::to_string(n) + ",2)"), std::string::npos) << what;
  }
  {
    RawModes raw(gray);
    raw.density.pop_back();
    raw.density_shape = {n - 1};
    raw.write(folder + "/density.h5");
    read_error(folder + "/density.h5", "'density'");
  }
  {
    RawModes raw(gray);
    raw.tau[3] = -raw.tau[3];
    raw.write(folder + "/tau.h5");
    read_error(folder + "/tau.h5", "tau");
  }
  {
    RawModes raw(gray);
    raw.omega[5] = std::numeric_limits<double>::quiet_NaN();
    raw.write(folder + "/omega.h5");
    read_error(folder + "/omega.h5", "omega");
  }
  {
    // An energy-conserving matrix, then one row scaled by 1 + 1e-2.
    ModeSet dense = kapitza::testing::with_dense_collision_matrix(small_band_material(folder));
    dense.collision.row(7) *= 1.01;
    RawModes(dense).write(folder + "/collision.h5");
    read_error(folder + "/collision.h5", "energy conservation");
  }
}

// The header promises one line "naming the file and the problem" for every read error.
TEST(ModeDatabase, ReadErrorsNameTheFile)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-error-files");
  const ModeSet     gray   = gray_material(test_gray(), product_quadrature(4, 4, false));
  {
    RawModes raw(gray);
    raw.tau[0] = -1;
    raw.write(folder + "/negative-tau.h5");
    const std::string what = read_error(folder + "/negative-tau.h5", "tau");
    EXPECT_NE(what.find(folder + "/negative-tau.h5"), std::string::npos) << what;
  }
  {
    ModeSet dense = kapitza::testing::with_dense_collision_matrix(small_band_material(folder));
    dense.collision.row(7) *= 1.01;
    RawModes(dense).write(folder + "/non-conserving.h5");
    const std::string what = read_error(folder + "/non-conserving.h5", "energy conservation");
    EXPECT_NE(what.find(folder + "/non-conserving.h5"), std::string::npos)
      << "the conservation error does not name the file: " << what;
  }
}

TEST(ModeDatabase, SmallViolationIsCorrectedBySymmetricProjection)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-correction");
  ModeSet           dense  = kapitza::testing::with_dense_collision_matrix(small_band_material(folder));
  ASSERT_LE(worst(measure_conservation(dense)), conservation_roundoff);

  // Break conservation and W-weighted symmetry by a relative 1e-8.
  std::mt19937                           random(12345);
  std::uniform_real_distribution<double> uniform(-1, 1);
  for (int i = 0; i < dense.collision.rows(); ++i)
    for (int j = 0; j < dense.collision.cols(); ++j)
      dense.collision(i, j) *= 1 + 1e-8 * uniform(random);
  const ConservationReport broken = measure_conservation(dense);
  EXPECT_GT(worst(broken), conservation_roundoff);
  EXPECT_LT(worst(broken), 1e-6);
  EXPECT_GT(broken.asymmetry, conservation_roundoff);

  const std::string path = folder + "/slightly-broken.h5";
  write_mode_database(path, dense);
  ConservationReport report;
  const ModeSet      corrected = read_mode_database(path, report);
  EXPECT_GT(report.correction, 0.0);
  EXPECT_LT(report.correction, 1e-6) << "the projection moved the matrix more than the error";
  EXPECT_NEAR(report.stationarity, broken.stationarity, 1e-3 * broken.stationarity);

  const ConservationReport after = measure_conservation(corrected);
  EXPECT_LE(after.stationarity, 1e-12);
  EXPECT_LE(after.creation, 1e-12);
  EXPECT_LE(after.asymmetry, 1e-12);

  // The same projection in memory, and it is idempotent.
  ModeSet                  in_memory = dense;
  const ConservationReport direct    = enforce_conservation(in_memory);
  EXPECT_GT(direct.correction, 0.0);
  EXPECT_LE(worst(measure_conservation(in_memory)), 1e-12);
  const Eigen::MatrixXd    once  = in_memory.collision;
  const ConservationReport again = enforce_conservation(in_memory);
  EXPECT_EQ(again.correction, 0.0);
  EXPECT_TRUE(in_memory.collision == once);
}

TEST(ModeDatabase, DenseRtaMatrixConservesEnergyAndHasTheRtaConductivity)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-conductivity");
  const ModeSet     rta    = small_band_material(folder);
  const ModeSet     dense  = kapitza::testing::with_dense_collision_matrix(rta);

  const ConservationReport report = measure_conservation(dense);
  EXPECT_LE(report.stationarity, 1e-12);
  EXPECT_LE(report.creation, 1e-12);
  EXPECT_LE(report.asymmetry, 1e-12);

  // The isotropic re-emission carries no current: the full solution is the RTA one
  // with the lifetimes tau (not with the diagonal of Omega, which is 1/tau - M_mumu).
  const Eigen::Matrix3d kappa_rta  = rta_conductivity(rta);
  const Eigen::Matrix3d kappa_full = collision_conductivity(dense);
  const double          scale      = kappa_rta.cwiseAbs().maxCoeff();
  ASSERT_GT(scale, 0);
  EXPECT_LE((kappa_full - kappa_rta).cwiseAbs().maxCoeff(), 1e-10 * scale)
    << "RTA:\n" << kappa_rta << "\nfull:\n" << kappa_full;
  // Sanity: isotropic, and kappa_xx = sum C |v|^2 tau / 3.
  double expected = 0;
  for (const double v_c_tau : {6000.0 * 6000 * 4e5 * 2e-11, 3500.0 * 3500 * 7e5 * 5e-11,
                               1500.0 * 1500 * 9e5 * 1e-10})
    expected += v_c_tau / 3;
  EXPECT_NEAR(kappa_rta(0, 0), expected, 1e-10 * expected);
  EXPECT_NEAR(kappa_rta(1, 1), expected, 1e-10 * expected);
  EXPECT_NEAR(kappa_rta(2, 2), expected, 1e-10 * expected);
}

TEST(ModeDatabase, ProvenanceReadsBackIdentically)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-provenance");
  ModeSet           gray   = gray_material(test_gray(), product_quadrature(4, 2, false));
  gray.provenance          = provenance_of("kapitza-material");
  gray.provenance["q_mesh"]      = "2 2 2";
  gray.provenance["smearing"]    = "gaussian 0.05 THz"; // spaces, units: values are free text
  gray.provenance["temperature"] = provenance_number(0.1, "K");
  gray.source                    = "a test";
  write_mode_database(folder + "/gray.h5", gray);
  {
    // One string attribute per key in the group `provenance` (docs/results.md).
    const Hdf5File file(folder + "/gray.h5", Hdf5File::Mode::read);
    EXPECT_EQ(file.attribute_names("provenance"),
              (std::vector<std::string>{"date", "program", "q_mesh", "smearing", "temperature",
                                        "version"}));
    EXPECT_EQ(file.read_string_attribute("provenance", "q_mesh"), "2 2 2");
  }
  ConservationReport report;
  const ModeSet      back = read_mode_database(folder + "/gray.h5", report);
  expect_identical(gray, back);
  EXPECT_EQ(back.provenance.at("temperature"), "0.1 K");
  EXPECT_EQ(back.provenance.at("program"), "kapitza-material");
  EXPECT_EQ(back.provenance.at("version"), code_version());
  EXPECT_FALSE(code_version().empty());
  EXPECT_TRUE(std::regex_match(back.provenance.at("date"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
    << back.provenance.at("date");
  EXPECT_EQ(provenance_number(300), "300");
  EXPECT_EQ(provenance_number(1e-7, "m"), "1e-07 m");
}

TEST(ModeDatabase, FileWithoutProvenanceReadsWithAnEmptyMap)
{
  // A database committed before provenance was recorded (written by h5py).
  ConservationReport report;
  const ModeSet      old =
    read_mode_database(std::string(KAPITZA_SOURCE_DIR) + "/inputs/si_film/Si15.h5", report);
  EXPECT_GT(old.size(), 0u);
  EXPECT_TRUE(old.provenance.empty());

  // A set without provenance writes no group: its file is as before.
  const std::string folder = kapitza::testing::scratch_folder("mode-database-no-provenance");
  write_mode_database(folder + "/gray.h5", gray_material(test_gray(), product_quadrature(4, 2, false)));
  EXPECT_FALSE(Hdf5File(folder + "/gray.h5", Hdf5File::Mode::read).has("provenance"));
  EXPECT_TRUE(read_mode_database(folder + "/gray.h5", report).provenance.empty());
}

// A collision matrix that conserves energy and keeps detailed balance but is not positive
// semidefinite (it would destroy entropy along one direction) gets no conductivity: the
// gradient solve meets the negative curvature and says so, instead of returning a number.
TEST(ModeDatabase, ConductivityRefusesAMatrixThatIsNotSemidefinite)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-indefinite");
  ModeSet           dense  = kapitza::testing::with_dense_collision_matrix(small_band_material(folder));
  const Eigen::VectorXd row_scale = dense.energy_weight().cwiseQuotient(dense.uniform_shift());
  Eigen::MatrixXd       a         = row_scale.asDiagonal() * dense.collision;
  a                               = 0.5 * (a + a.transpose()).eval();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(a);
  ASSERT_LT(std::abs(eigen.eigenvalues()[0]), 1e-10 * eigen.eigenvalues().maxCoeff()); // energy
  // The softest direction off the null vector turned negative: -lambda_1 instead of lambda_1.
  const Eigen::VectorXd u = eigen.eigenvectors().col(1);
  a -= 2 * eigen.eigenvalues()[1] * u * u.transpose();
  dense.collision = row_scale.cwiseInverse().asDiagonal() * a;
  ASSERT_GT(dense.collision.diagonal().minCoeff(), 0);
  EXPECT_LE(worst(measure_conservation(dense)), 1e-12);
  try
    {
      collision_conductivity(dense);
      ADD_FAILURE() << "a matrix with a negative eigenvalue got a conductivity";
    }
  catch (const std::runtime_error &error)
    {
      EXPECT_NE(std::string(error.what()).find("not positive definite"), std::string::npos) << error.what();
    }
}

// A column-major matrix written as a C-order dataset in blocks of rows (the collision
// matrix is never copied whole): exact round trip over several blocks and a ragged last one.
TEST(ModeDatabase, ColumnMajorMatrixWrittenInBlocksReadsBackInRowOrder)
{
  const std::string folder = kapitza::testing::scratch_folder("mode-database-blocks");
  const Eigen::Index rows = 3001, cols = 1500; // 16 MB blocks hold 1398 rows of 1500 doubles
  std::mt19937                           random(7);
  std::uniform_real_distribution<double> uniform(-1, 1);
  Eigen::MatrixXd                        matrix(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i)
      matrix(i, j) = uniform(random);
  {
    kapitza::Hdf5File file(folder + "/blocks.h5", kapitza::Hdf5File::Mode::create);
    file.write_column_major("m", rows, cols, matrix.data());
  }
  const kapitza::Hdf5File file(folder + "/blocks.h5", kapitza::Hdf5File::Mode::read);
  ASSERT_EQ(file.shape("m"), (std::vector<hsize_t>{hsize_t(rows), hsize_t(cols)}));
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> back(rows, cols);
  file.read_doubles("m", back.data());
  EXPECT_TRUE(back == matrix);
}
