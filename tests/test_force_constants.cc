// Reading phono3py force-constant folders (scattering/ab_initio/io/phono3py_reader.h): cells,
// supercell maps, SI units, Born charges expanded by symmetry, point-group averages of
// tensors, and one-line errors for missing or inconsistent files.

#include "scattering/ab_initio/crystal_symmetry.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/hdf5_file.h"
#include "test_utilities.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;

  using kapitza::testing::error_of;
  const auto material = kapitza::testing::material_folder;


  TEST(Phono3pyReader, SiliconCellsAndSupercellMaps)
  {
    const ForceConstants fc = read_phono3py(material("Si-PBEsol"), true);
    ASSERT_EQ(fc.primitive.n_atoms(), 2u);
    EXPECT_NEAR(fc.primitive.volume(), std::pow(5.43356003e-10, 3) / 4, 1e-40);
    EXPECT_NEAR(fc.primitive.masses[0], 28.0855 * units::atomic_mass, 1e-32);
    for (const Supercell *super : {&fc.fc2_supercell, &fc.fc3_supercell})
      {
        ASSERT_EQ(super->structure.n_atoms(), 64u);
        EXPECT_EQ(super->primitive_to_supercell, (std::vector<int>{0, 32}));
        // Every primitive atom has 32 images, and p2s and s2p are inverse.
        EXPECT_EQ(std::count(super->supercell_to_primitive.begin(),
                             super->supercell_to_primitive.end(), 0),
                  32);
        for (unsigned int p = 0; p < 2; ++p)
          EXPECT_EQ(super->supercell_to_primitive[super->primitive_to_supercell[p]], int(p));
      }
    EXPECT_FALSE(fc.born);

    // SI units: the file's eV/Angstrom^2 and eV/Angstrom^3 times the exact factors.
    const double fc2_file = Hdf5File(material("Si-PBEsol") + "/fc2.hdf5", Hdf5File::Mode::read)
                              .read_doubles("force_constants")[0];
    EXPECT_DOUBLE_EQ(fc.fc2[0], fc2_file * units::electronvolt / 1e-20);
    ASSERT_EQ(fc.fc3.size(), 2u * 64 * 64 * 27);
    const auto fc3_file =
      Hdf5File(material("Si-PBEsol") + "/fc3.hdf5", Hdf5File::Mode::read).read_doubles("fc3");
    EXPECT_DOUBLE_EQ(fc.fc3[12345], fc3_file[12345] * units::electronvolt / 1e-30);
  }

  TEST(Phono3pyReader, SeparateSupercellsOfAlN)
  {
    const ForceConstants fc = read_phono3py(material("AlN-LDA"), false);
    EXPECT_EQ(fc.primitive.n_atoms(), 4u);
    EXPECT_EQ(fc.fc2_supercell.structure.n_atoms(), 300u); // 5x5x3
    EXPECT_EQ(fc.fc3_supercell.structure.n_atoms(), 72u);  // 3x3x2
    EXPECT_EQ(fc.fc2_supercell.matrix, Eigen::Vector3i(5, 5, 3).asDiagonal().toDenseMatrix());
    EXPECT_EQ(fc.fc2.size(), 4u * 300 * 9);
    EXPECT_TRUE(fc.fc3.empty());
  }

  // BORN lists Z* of atoms 1 and 3 only; the expansion by spglib's operations must give
  // phono3py's own full list (born_effective_charge in phono3py_params.yaml).
  TEST(Phono3pyReader, BornChargesExpandedBySymmetry)
  {
    const ForceConstants fc = read_phono3py(material("AlN-LDA"), false);
    ASSERT_TRUE(fc.born);
    EXPECT_DOUBLE_EQ(fc.born->dielectric(2, 2), 4.653269);
    const YAML::Node yaml = YAML::LoadFile(material("AlN-LDA") + "/phono3py_params.yaml");
    ASSERT_EQ(fc.born->charges.size(), 4u);
    Eigen::Matrix3d neutrality = Eigen::Matrix3d::Zero();
    for (unsigned int k = 0; k < 4; ++k)
      {
        for (unsigned int a = 0; a < 3; ++a)
          for (unsigned int b = 0; b < 3; ++b)
            EXPECT_NEAR(fc.born->charges[k](a, b),
                        yaml["born_effective_charge"][k][a][b].as<double>(), 1e-12)
              << "atom " << k << " component " << a << b;
        neutrality += fc.born->charges[k];
      }
    EXPECT_LT(neutrality.norm(), 1e-12);
  }

  // The point-group average of a general tensor has the crystal's form: isotropic for
  // cubic Si (48 operations), uniaxial about c for wurtzite AlN (6mm, 12 operations), with
  // the trace kept; a tensor of that form is left unchanged.
  TEST(CrystalSymmetry, PointGroupAverageOfTensors)
  {
    Eigen::Matrix3d tensor;
    tensor << 3.0, 0.2, -0.1, 0.4, 2.0, 0.3, 0.05, -0.2, 1.0;
    const Structure si      = read_phono3py(material("Si-PBEsol"), false).primitive;
    const auto      si_ops  = crystal_symmetry(si, "Si");
    EXPECT_EQ(si_ops.size(), 48u);
    const Eigen::Matrix3d cubic = point_group_average(tensor, si_ops, si);
    EXPECT_LT((cubic - Eigen::Matrix3d::Identity() * tensor.trace() / 3).norm(), 1e-12 * tensor.norm());

    const Structure aln     = read_phono3py(material("AlN-LDA"), false).primitive;
    const auto      aln_ops = crystal_symmetry(aln, "AlN");
    EXPECT_EQ(aln_ops.size(), 12u);
    const Eigen::Matrix3d uniaxial = point_group_average(tensor, aln_ops, aln);
    const Eigen::Vector3d expected(2.5, 2.5, 1.0);
    EXPECT_LT((uniaxial - Eigen::Matrix3d(expected.asDiagonal())).norm(), 1e-12 * tensor.norm());
    EXPECT_LT((point_group_average(uniaxial, aln_ops, aln) - uniaxial).norm(), 1e-12 * tensor.norm());
  }

  // A scratch copy of the Si folder with one file replaced.
  std::string broken_copy(const std::string &name)
  {
    const std::string folder = kapitza::testing::scratch_folder(name);
    for (const char *file : {"phono3py_params.yaml", "fc2.hdf5"})
      std::filesystem::copy_file(material("Si-PBEsol") + "/" + file, folder + "/" + file);
    return folder;
  }

  void write_fc2(const std::string &folder, std::vector<hsize_t> shape)
  {
    std::filesystem::remove(folder + "/fc2.hdf5");
    Hdf5File            file(folder + "/fc2.hdf5", Hdf5File::Mode::create);
    std::vector<double> zeros(shape[0] * shape[1] * 9, 0.0);
    file.write("force_constants", shape, zeros.data());
  }

  TEST(Phono3pyReader, OneLineErrors)
  {
    const std::string missing = kapitza::testing::scratch_folder("fc-missing");
    EXPECT_NE(error_of([&] { read_phono3py(missing, false); }).find("phono3py_params.yaml: missing"),
              std::string::npos);

    const std::string folder = broken_copy("fc-broken");
    EXPECT_NE(error_of([&] { read_phono3py(folder, true); }).find("fc3.hdf5: cannot open"),
              std::string::npos);

    write_fc2(folder, {3, 64, 3, 3});
    EXPECT_NE(error_of([&] { read_phono3py(folder, false); })
                .find("has 3 rows, but the primitive cell has 2 atoms"),
              std::string::npos);
    write_fc2(folder, {2, 60, 3, 3});
    EXPECT_NE(error_of([&] { read_phono3py(folder, false); })
                .find("has 60 supercell atoms, but the supercell of phono3py_params.yaml has 64"),
              std::string::npos);

    // A BORN file of a non-polar cell with one Z* line too many.
    write_fc2(folder, {2, 64, 3, 3});
    std::ofstream(folder + "/BORN") << "# comment\n" << "1 0 0 0 1 0 0 0 1\n"
                                    << "0 0 0 0 0 0 0 0 0\n0 0 0 0 0 0 0 0 0\n";
    const std::string born_error = error_of([&] { read_phono3py(folder, false); });
    EXPECT_NE(born_error.find("BORN: has more Z* lines than symmetry-independent atoms"),
              std::string::npos)
      << born_error;
    std::filesystem::remove_all(folder);
    std::filesystem::remove_all(missing);
  }
} // namespace
