// Materials/Orientations: a crystal turned in the mesh. The text gives a proper rotation;
// --transport-axis z is the cyclic orientation "0 0 1, 1 0 0"; a thick slab of wurtzite AlN
// (ab initio RTA, 4x4x3 mesh) conducts, in its interior, with the rotated tensor n^T kappa n
// of the crystal direction n along the slab; a uniform temperature stays uniform through a
// turned crystal in 2D between diffuse lateral walls; the dense sets of a spectral DMM turn
// with their materials (a run with turned inputs equals one with sets turned beforehand).

#include "ab_initio_case.h"
#include "scattering/hdf5_file.h"
#include "scattering/crystal_orientation.h"
#include "scattering/mode_database.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza;
  using namespace kapitza::testing;

  TEST(CrystalOrientation, DirectionsGiveAProperRotation)
  {
    const Eigen::Matrix3d r = parse_crystal_orientation("1 1 0, -1 1 0", "test");
    EXPECT_LT((r * r.transpose() - Eigen::Matrix3d::Identity()).norm(), 1e-15);
    EXPECT_NEAR(r.determinant(), 1, 1e-15);
    EXPECT_LT((Eigen::Vector3d(r.row(2)) - Eigen::Vector3d(0, 0, 1)).norm(), 1e-15);
    EXPECT_NEAR(r(0, 0), std::sqrt(0.5), 1e-15);
    EXPECT_TRUE(parse_crystal_orientation("aligned", "test").isIdentity());
    EXPECT_TRUE(parse_crystal_orientation(" ", "test").isIdentity());
    for (const char *bad : {"1 1 0, 1 0 0", "1 1 0", "1 1, 0 0 1", "0 0 0, 1 0 0", "1 0 0, 0 1 0, 0 0 1",
                            "1 0 0 2, 0 1 0", "x y z, 1 0 0", "nan 0 0, 0 1 0"})
      {
        try
          {
            parse_crystal_orientation(bad, "Materials/Orientations of m");
            ADD_FAILURE() << "accepted '" << bad << "'";
          }
        catch (const std::runtime_error &error)
          {
            EXPECT_NE(std::string(error.what()).find("Materials/Orientations of m"), std::string::npos);
          }
      }
  }

  phonons::CollisionOptions adaptive_rta()
  {
    phonons::CollisionOptions options;
    options.smearing = phonons::parse_smearing("gaussian", "adaptive"); // every mode scatters
    return options;
  }

  // Wurtzite AlN, c along the database's z, with RTA lifetimes, eigenvectors and cell.
  const ModeSet &aluminium_nitride()
  {
    static const ModeSet modes = [] {
      const phonons::CollisionOptions options = adaptive_rta();
      AbInitioCase c = ab_initio_case("AlN-LDA", {{4, 4, 3}}, options);
      const Eigen::MatrixXd rates = phonons::relaxation_rates(
        c.fc, c.mesh, options, phonons::irreducible_representatives(c.fc.primitive, c.mesh, "AlN"),
        MPI_COMM_SELF);
      phonons::attach_relaxation_rates(rates, c.set);
      return c.set.modes;
    }();
    return modes;
  }

  TEST(CrystalOrientation, TransportAxisIsTheCyclicOrientation)
  {
    ModeSet axis = aluminium_nitride(), turned = aluminium_nitride();
    phonons::rotate_axis_to_x(2, axis);
    rotate_crystal(turned, parse_crystal_orientation("0 0 1, 1 0 0", "test"));
    EXPECT_EQ((axis.velocity - turned.velocity).norm(), 0);
    EXPECT_EQ((axis.wavevector - turned.wavevector).norm(), 0);
    EXPECT_EQ((axis.cell - turned.cell).norm(), 0);
    EXPECT_EQ((axis.eigenvector - turned.eigenvector).norm(), 0);
  }

  std::map<std::string, std::string> aln_case(int dim, double length, double left, double right,
                                              const std::string &orientation)
  {
    return {{"Dimension", std::to_string(dim)},
            {"Materials/Names", "AlN"},
            {"Materials/Files", "aln.h5"},
            {"Materials/Orientations", orientation},
            {"Mesh/Layers", "AlN:" + number(length) + ":" + (dim == 1 ? "100" : "6")},
            {"Mesh/Lateral size", number(length / 2)},
            {"Mesh/Lateral cells", "3"},
            {"Boundaries/Lateral", "diffuse"},
            {"Solver/Reference temperature", "300"},
            {"Boundaries/Left", "thermalizing " + number(left)},
            {"Boundaries/Right", "thermalizing " + number(right)},
            {"Output/Line points", "100"}};
  }

  TEST(CrystalOrientation, ThickSlabConductsWithTheRotatedTensor)
  {
    const ModeSet    &modes   = aluminium_nitride();
    const double      longest = longest_mean_free_path(modes);
    const double      length  = 2000 * longest;
    const std::string folder = scratch_folder("orientation-slab");
    write_mode_database(folder + "/aln.h5", modes);
    // n = (a + c) / sqrt 2 along the slab: kappa_n = n^T kappa n = (k_xx + k_zz) / 2 + k_xz.
    const std::string     orientation = "1 0 1, 0 1 0";
    const Eigen::Vector3d n = parse_crystal_orientation(orientation, "test").row(0);
    const Eigen::Matrix3d kappa   = rta_conductivity(modes);
    const double          turned  = n.dot(kappa * n);
    const CaseResult      result  = run_case(folder, aln_case(1, length, 301, 300, orientation));
    ASSERT_TRUE(result.report.converged);
    const double gradient = fitted_slope(result.x, result.temperature, 0.3 * length, 0.7 * length);
    const double interior = -result.mean_flux / gradient;
    std::printf("AlN 4x4x3 RTA: kappa xx %.4f zz %.4f xz %.2e; along (a + c)/sqrt 2: %.4f; slab "
                "interior %.4f W/(m K) (slab %.3e m, 2000 longest mean free paths)\n",
                kappa(0, 0), kappa(2, 2), kappa(0, 2), turned, interior, length);
    // Tolerance: the boundary layers of a slab 2000 mean free paths thick, as for Si
    // (test_ab_initio_transport); the test tells the rotated tensor from the unrotated.
    constexpr double fourier_limit = 2e-3;
    ASSERT_GT(std::abs(turned / kappa(0, 0) - 1), 5 * fourier_limit);
    EXPECT_NEAR(interior / turned, 1.0, fourier_limit);
    Hdf5File   file(result.results_path, Hdf5File::Mode::read);
    const auto stored = file.read_doubles("materials/AlN/orientation");
    ASSERT_EQ(stored.size(), 9u);
    for (int k = 0; k < 3; ++k)
      EXPECT_EQ(stored[k], n[k]); // row 0: the crystal direction along the mesh's x
  }

  TEST(CrystalOrientation, UniformTemperatureStaysUniformInATurnedCrystal)
  {
    const ModeSet &modes  = aluminium_nitride();
    const std::string folder = scratch_folder("orientation-uniform");
    write_mode_database(folder + "/aln.h5", modes);
    auto settings = aln_case(2, 1e-7, 301, 301, "1 2 3, 3 0 -1"); // no symmetry of the crystal
    settings["Solver/Tolerance"] = "1e-14";
    const CaseResult       result = run_case(folder, settings);
    ASSERT_TRUE(result.report.converged);
    const UniformDeviation worst  = uniform_deviation(result, 301);
    // Scale of a flux: kappa dT / L.
    const double scale = rta_conductivity(modes).trace() / 3 / 1e-7;
    std::printf("turned AlN, 2D, diffuse lateral walls: max |T - 301 K| = %.2e K, max |q_x| = %.2e "
                "W/m^2 (scale %.2e)\n", worst.temperature, worst.flux, scale);
    EXPECT_LT(worst.temperature, 1e-12);
    EXPECT_LT(worst.flux, 1e-12 * scale);
  }

  // Harmonic SW silicon (or its heavy twin) on an n^3 mesh, with a lifetime for the spatial
  // run and the provenance keys the spectral files are checked by, turned by `rotation`.
  ModeSet turned_sw_set(const std::string &material, int n, const Eigen::Matrix3d &rotation)
  {
    ModeSet modes = ab_initio_case(material, {{n, n, n}}, phonons::CollisionOptions()).set.modes;
    modes.tau     = Eigen::VectorXd::Constant(modes.size(), 1e-11);
    modes.provenance["q_mesh"] = std::to_string(n) + " " + std::to_string(n) + " " + std::to_string(n);
    modes.provenance["transport_axis"] = "x";
    rotate_crystal(modes, rotation);
    return modes;
  }

  double landauer_conductance(const CaseResult &result)
  {
    return Hdf5File(result.results_path, Hdf5File::Mode::read)
      .read_double_attribute("interfaces/0", "landauer_conductance");
  }

  TEST(CrystalOrientation, SpectralFilesTurnWithTheirMaterials)
  {
    const std::string     orientation = "1 1 0, -1 1 0";
    const Eigen::Matrix3d rotation    = parse_crystal_orientation(orientation, "test");
    const std::string     folder      = scratch_folder("orientation-spectral");
    for (const auto &[prefix, turn] : {std::pair{std::string(""), Eigen::Matrix3d(Eigen::Matrix3d::Identity())},
                                       std::pair{std::string("turned-"), rotation}})
      for (const int n : {3, 6})
        {
          write_mode_database(folder + "/" + prefix + "si-" + std::to_string(n) + ".h5",
                              turned_sw_set("Si-SW", n, turn));
          write_mode_database(folder + "/" + prefix + "heavy-" + std::to_string(n) + ".h5",
                              turned_sw_set("Si-SW-heavy72.63", n, turn));
        }
    const auto bilayer = [](const std::string &prefix, const std::string &orientations) {
      return std::map<std::string, std::string>{
        {"Output/File", prefix + (orientations.empty() ? "aligned" : "oriented") + ".h5"}, // one file per run
        {"Dimension", "1"},
        {"Materials/Names", "Si, heavy"},
        {"Materials/Files", prefix + "si-3.h5, " + prefix + "heavy-3.h5"},
        {"Materials/Orientations", orientations},
        {"Mesh/Layers", "Si:1e-7:8, heavy:1e-7:8"},
        {"Interfaces/Model", "dmm"},
        {"Interfaces/Frequency bins", "40"},
        {"Interfaces/Spectral files", prefix + "si-6.h5, " + prefix + "heavy-6.h5"},
        {"Solver/Reference temperature", "300"},
        {"Solver/Tolerance", "1e-14"},
        {"Boundaries/Left", "thermalizing 301"},
        {"Boundaries/Right", "thermalizing 300"},
        {"Output/Line points", "50"}};
    };
    const CaseResult aligned   = run_case(folder, bilayer("", ""));
    const CaseResult beforehand = run_case(folder, bilayer("turned-", ""));
    const CaseResult in_input  = run_case(folder, bilayer("", orientation + "; " + orientation));
    ASSERT_TRUE(aligned.report.converged && beforehand.report.converged && in_input.report.converged);
    double worst = 0;
    for (std::size_t i = 0; i < in_input.temperature.size(); ++i)
      worst = std::max(worst, std::abs(in_input.temperature[i] - beforehand.temperature[i]));
    const double g_aligned = landauer_conductance(aligned), g_turned = landauer_conductance(beforehand);
    std::printf("spectral DMM Si-SW | heavy, 3^3 transport on 6^3 spectra: G aligned %.10g, turned 45 degrees "
                "about z beforehand %.10g, in the input %.10g W/m^2K; max |dT| %.2e K\n",
                g_aligned, g_turned, landauer_conductance(in_input), worst);
    EXPECT_GT(std::abs(g_turned / g_aligned - 1), 1e-4); // the turn matters: the test can fail
    EXPECT_NEAR(landauer_conductance(in_input) / g_turned, 1, 1e-12);
    EXPECT_LT(worst, 1e-11); // 1 K across: round-off of the solve at tolerance 1e-14
  }
} // namespace
