// Mode databases of crystals: the harmonic full-mesh set (scattering/ab_initio/phonon_mode_set.h)
// and the crystal fields of the file (eigenvector as h5py's complex compound, cell,
// masses, born_charges) through a write/read round trip, and their validation.

#include "scattering/mode_database.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;

  ForceConstants aln()
  {
    return read_phono3py(kapitza::testing::material_folder("AlN-LDA"), false);
  }

  using kapitza::testing::error_of;

  TEST(PhononModeSet, FullMeshWithoutGammaAcousticModes)
  {
    const ForceConstants fc   = aln();
    const PhononMesh     mesh = harmonic_phonons(fc, {{3, 3, 2}});
    const MeshModeSet    set  = mesh_mode_set(fc, mesh, "AlN", 300, Statistics::bose);
    const ModeSet       &m    = set.modes;
    ASSERT_EQ(m.size(), 18u * 12 - 3);
    EXPECT_LT(set.gamma_acoustic, 2 * M_PI * 1e12 * 1e-5);
    EXPECT_GT(m.omega.minCoeff(), 0);
    // Densities add up to the number of branches per cell volume minus the dropped modes.
    EXPECT_NEAR(m.density.sum() * fc.primitive.volume(), 12 - 3.0 / 18, 1e-12);
    // Wavevectors: 2 pi q . a_i = 2 pi q_i for the mesh point each mode came from.
    for (unsigned int mu = 0; mu < m.size(); mu += 7)
      for (unsigned int i = 0; i < 3; ++i)
        EXPECT_NEAR(m.wavevector.row(mu).dot(fc.primitive.lattice.row(i)) / (2 * M_PI),
                    mesh.q_fractional(set.q_index[mu], i), 1e-12);
    EXPECT_EQ(m.branch_labels.size(), 12u);
    EXPECT_EQ(m.born_charges.size(), 4u);
    validate_modes(m, "harmonic AlN", false);
    EXPECT_NE(error_of([&] { validate_modes(m, "harmonic AlN"); }).find("needs 'tau'"),
              std::string::npos);
  }

  TEST(PhononModeSet, CrystalFieldsRoundTrip)
  {
    const ForceConstants fc     = aln();
    const ModeSet        modes  = mesh_mode_set(fc, harmonic_phonons(fc, {{2, 2, 2}}), "AlN", 300,
                                        Statistics::classical).modes;
    const std::string    folder = kapitza::testing::scratch_folder("crystal-fields");
    const std::string    path   = folder + "/aln.h5";
    write_mode_database(path, modes);
    ConservationReport report;
    EXPECT_NE(error_of([&] { read_mode_database(path, report); }).find("needs 'tau' or 'collision'"),
              std::string::npos);
    const ModeSet back = read_mode_database(path, report, false);
    EXPECT_TRUE(back.eigenvector == modes.eigenvector);
    EXPECT_TRUE(back.cell == modes.cell);
    EXPECT_TRUE(back.masses == modes.masses);
    ASSERT_EQ(back.born_charges.size(), modes.born_charges.size());
    for (unsigned int k = 0; k < modes.born_charges.size(); ++k)
      EXPECT_TRUE(back.born_charges[k] == modes.born_charges[k]);
    EXPECT_TRUE(back.wavevector == modes.wavevector);
    EXPECT_TRUE(back.omega == modes.omega);
    EXPECT_EQ(back.statistics, Statistics::classical);

    ModeSet broken = modes;
    broken.eigenvector.row(5) *= 1.01;
    EXPECT_NE(error_of([&] { write_mode_database(path, broken); }).find("normalized"),
              std::string::npos);
    broken = modes;
    broken.masses.conservativeResize(3);
    broken.born_charges.pop_back();
    EXPECT_NE(error_of([&] { write_mode_database(path, broken); })
                .find("eigenvector must have shape (N, atoms, 3)"),
              std::string::npos);
    std::filesystem::remove_all(folder);
  }
} // namespace
