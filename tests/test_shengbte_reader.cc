// Reading ShengBTE folders (scattering/ab_initio/io/shengbte_reader.h). tests/reference/shengbte-Si is
// Si-PBEsol's phono3py data written by tests/programs/write_shengbte.py: fc2 refolded onto
// the 4x4x4 supercell of the primitive cell, fc3 split over minimum-image pairs and
// truncated at 5.7 Angstrom (its README). It must give phono3py's frequencies, and, with
// phono3py's fc3 truncated the same way, phono3py's relaxation rates; a small cubic cell
// checks the choice of the fc3 supercell and the namelist syntax; bad files give one-line
// errors.

#include "scattering/ab_initio/collision_matrix.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/ab_initio/io/phono3py_reader.h"
#include "scattering/ab_initio/io/shengbte_reader.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace
{
  using namespace kapitza;
  using namespace kapitza::phonons;

  const std::string shengbte_si = std::string(KAPITZA_SOURCE_DIR) + "/tests/reference/shengbte-Si";
  const std::string phono3py_si = kapitza::testing::material_folder("Si-PBEsol");

  using kapitza::testing::error_of;

  // Minimum-image distance [m] between atoms a and b of a supercell.
  double distance(const Structure &cell, int a, int b)
  {
    Eigen::Vector3d f = (cell.fractional.row(b) - cell.fractional.row(a)).transpose();
    f -= f.array().round().matrix();
    double best = INFINITY;
    for (int s = 0; s < 27; ++s)
      best = std::min(best, (cell.lattice.transpose() *
                             (f + Eigen::Vector3d(s % 3 - 1, s / 3 % 3 - 1, s / 9 - 1)))
                              .norm());
    return best;
  }

  // The generator's truncation: keep fc3(i, j, k) only when the distances i-j, i-k and j-k
  // are all below `cutoff` (thirdorder.py's rule).
  void truncate_fc3(ForceConstants &fc, double cutoff)
  {
    const Supercell &s = fc.fc3_supercell;
    const int        n = s.structure.n_atoms();
    for (unsigned int i = 0; i < fc.primitive.n_atoms(); ++i)
      for (int j = 0; j < n; ++j)
        for (int k = 0; k < n; ++k)
          {
            const int home = s.primitive_to_supercell[i];
            if (distance(s.structure, home, j) >= cutoff || distance(s.structure, home, k) >= cutoff ||
                distance(s.structure, j, k) >= cutoff)
              std::fill_n(&fc.fc3[((std::size_t(i) * n + j) * n + k) * 27], 27, 0.0);
          }
  }

  TEST(ShengBTEReader, SiliconCells)
  {
    const ForceConstants fc  = read_shengbte(shengbte_si, true);
    const ForceConstants ref = read_phono3py(phono3py_si, false);
    EXPECT_LT((fc.primitive.lattice - ref.primitive.lattice).norm(), 1e-15 * ref.primitive.lattice.norm());
    EXPECT_EQ(fc.primitive.fractional, ref.primitive.fractional);
    EXPECT_EQ(fc.primitive.masses, ref.primitive.masses);
    EXPECT_EQ(fc.primitive.symbols, ref.primitive.symbols);
    EXPECT_FALSE(fc.born);
    ASSERT_EQ(fc.fc2_supercell.structure.n_atoms(), 128u); // scell 4 4 4
    EXPECT_EQ(fc.fc2_supercell.primitive_to_supercell, (std::vector<int>{0, 64}));
    EXPECT_EQ(fc.fc2.size(), 2u * 128 * 9);
    // The smallest diagonal supercell on which the triplets (up to 5.43 Angstrom from atom
    // i) are minimum images: 3x3x3 (the 4th shell's two images in phono3py's 2x2x2
    // conventional supercell become two atoms).
    EXPECT_EQ(fc.fc3_supercell.matrix, Eigen::Matrix3i(Eigen::Vector3i(3, 3, 3).asDiagonal()));
    const unsigned int n = fc.fc3_supercell.structure.n_atoms();
    EXPECT_EQ(fc.fc3.size(), 2u * n * n * 27);
    // Every primitive atom's images and the supercell map agree.
    EXPECT_EQ(supercell_to_primitive(fc.primitive, fc.fc3_supercell.structure, "test"),
              fc.fc3_supercell.supercell_to_primitive);
    EXPECT_EQ(read_force_constants_folder(shengbte_si, false).fc2, fc.fc2);
    EXPECT_EQ(read_force_constants_folder(phono3py_si, false).fc2, ref.fc2);
  }

  TEST(ShengBTEReader, SiliconFrequenciesMatchPhono3py)
  {
    const PhononMesh a = harmonic_phonons(read_shengbte(shengbte_si, false), {{4, 4, 4}});
    const PhononMesh b = harmonic_phonons(read_phono3py(phono3py_si, false), {{4, 4, 4}});
    // Relative, above phonopy's 1e-4 THz cutoff; the acoustic modes at Gamma are the
    // square roots of round-off (|f| < 1e-6 THz) on both sides.
    double worst = 0, gamma = 0;
    for (unsigned int q = 0; q < b.n_q(); ++q)
      for (unsigned int s = 0; s < b.n_branch(); ++s)
        if (std::abs(b.omega(q, s)) > 2 * M_PI * 1e8)
          worst = std::max(worst, std::abs(a.omega(q, s) / b.omega(q, s) - 1));
        else
          gamma = std::max({gamma, std::abs(a.omega(q, s)), std::abs(b.omega(q, s))});
    EXPECT_LT(worst, 1e-10);
    EXPECT_LT(gamma, 2 * M_PI * 1e6);
    std::cout << "4x4x4 frequencies: largest relative difference " << worst
              << "; acoustic at Gamma below " << gamma / (2 * M_PI * 1e12) << " THz\n";
  }

  // The same fc2 as phonopy's full format (what ShengBTE itself reads), made from the
  // compact file by the supercell's translations.
  TEST(ShengBTEReader, FullAndCompactSecondOrderAgree)
  {
    const ForceConstants compact = read_shengbte(shengbte_si, false);
    const std::string    folder  = kapitza::testing::scratch_folder("shengbte-full");
    std::filesystem::copy_file(shengbte_si + "/CONTROL", folder + "/CONTROL");
    std::ofstream out(folder + "/FORCE_CONSTANTS_2ND");
    const int     n = 128, cells = 64;
    out << n << "\n"; // phonopy's old one-number header
    char line[96];
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        {
          // Translate the pair so that atom a is its cell-0 image: cell indices subtract.
          const int ca = a % cells, cb = b % cells;
          int       shifted = 0;
          for (int d = 0, stride = 1; d < 3; ++d, stride *= 4)
            shifted += ((cb / stride % 4 - ca / stride % 4 + 4) % 4) * stride;
          const double *block = &compact.fc2[((a / cells) * std::size_t(n) + (b / cells) * cells + shifted) * 9];
          out << a + 1 << " " << b + 1 << "\n";
          for (int r = 0; r < 3; ++r)
            {
              const double s = 1e-20 / units::electronvolt; // back to eV/Angstrom^2
              std::snprintf(line, sizeof line, "%.17g %.17g %.17g\n", block[3 * r] * s,
                            block[3 * r + 1] * s, block[3 * r + 2] * s);
              out << line;
            }
        }
    out.close();
    const ForceConstants full = read_shengbte(folder, false);
    double               worst = 0;
    for (std::size_t m = 0; m < full.fc2.size(); ++m)
      worst = std::max(worst, std::abs(full.fc2[m] - compact.fc2[m]));
    EXPECT_LT(worst, 1e-14 * Eigen::Map<const Eigen::VectorXd>(compact.fc2.data(), compact.fc2.size()).cwiseAbs().maxCoeff());
    std::filesystem::remove_all(folder);
  }

  // phono3py's fc3 truncated as the ShengBTE file is, on the same phonon mesh: the folded
  // triplets must give the same rates at round-off. On each reader's own mesh the
  // eigenvectors differ by phases and, where a degenerate set is also degenerate in
  // kapitza's velocity tie-break (two transverse modes along a symmetry line), by an
  // arbitrary rotation; tetrahedron weights differ between bands of such a set, so those
  // rates depend on the rotation (3 % on this mesh, either reader). Gaussian weights of
  // fixed width do not, and must agree at round-off too.
  TEST(ShengBTEReader, SiliconRelaxationRatesMatchPhono3py)
  {
    const ForceConstants sheng = read_shengbte(shengbte_si, true);
    ForceConstants       ref   = read_phono3py(phono3py_si, true);
    const ForceConstants full  = ref;
    truncate_fc3(ref, 5.7e-10);
    const PhononMesh mesh           = harmonic_phonons(ref, {{4, 4, 4}});
    const PhononMesh own            = harmonic_phonons(sheng, {{4, 4, 4}});
    const auto       representative = irreducible_representatives(ref.primitive, mesh, "Si");
    auto rates = [&](const ForceConstants &fc, const PhononMesh &m, const Smearing &smearing) {
      CollisionOptions options;
      options.temperature = 300;
      options.smearing    = smearing;
      return relaxation_rates(fc, m, options, representative, MPI_COMM_WORLD);
    };
    auto difference = [](const Eigen::MatrixXd &x, const Eigen::MatrixXd &y) {
      return (x - y).cwiseAbs().maxCoeff() / y.maxCoeff();
    };
    const Smearing        tetrahedra = parse_smearing("tetrahedron");
    const Eigen::MatrixXd reference  = rates(ref, mesh, tetrahedra);
    ASSERT_GT(reference.maxCoeff(), 0);
    const double same_mesh = difference(rates(sheng, mesh, tetrahedra), reference);
    EXPECT_LT(same_mesh, 1e-8);
    const Smearing gaussian  = parse_smearing("gaussian", "2e12");
    const double   own_mesh = difference(rates(sheng, own, gaussian), rates(ref, mesh, gaussian));
    EXPECT_LT(own_mesh, 1e-8);
    std::cout << "4x4x4 rates at 300 K, ShengBTE files vs phono3py with fc3 truncated alike "
              << "(largest difference of the largest): tetrahedra, same mesh " << same_mesh
              << "; Gaussian 2e12 rad/s, own meshes " << own_mesh
              << ". Tetrahedra on own meshes (degenerate rotations) " << difference(rates(sheng, own, tetrahedra), reference)
              << "; the truncation itself changes the rates by "
              << difference(reference, rates(full, mesh, tetrahedra)) << "\n";
  }

  // A simple cubic cell (a = 3 Angstrom) with two triplets at R2 = +-a1.
  std::string cubic_folder(const std::string &name, double plus, double minus)
  {
    const std::string folder = kapitza::testing::scratch_folder(name);
    std::ofstream(folder + "/CONTROL")
      << "! comment line\n&allocations nelements=1, natoms=1, ngrid(:)=4 4 4 &end\n"
      << "&crystal\n lfactor=0.1, ! Angstrom\n lattvec=3 2*0.0, 0 3.0d0 0\n"
      << " lattvec(1:3, 3) = 0.0 0.0 3.0\n elements='Si'\n types=1 positions(:,1)=3*0\n"
      << " scell(:)=1 1 1\n epsilon(:,1)=10 0.5 0, epsilon(:,2) = 0.5 11 0\n"
      << " born(2,1,1)=0.1 born(1,1,1)=2\n/\n&flags nonanalytic=.TRUE. /\n";
    std::ofstream(folder + "/FORCE_CONSTANTS_2ND") << "1 1\n1 1\n1 0 0\n0 1 0\n0 0 1\n";
    std::ofstream fc3(folder + "/FORCE_CONSTANTS_3RD");
    fc3 << (minus != 0 ? 2 : 1) << "\n";
    for (int t = 0; t < (minus != 0 ? 2 : 1); ++t)
      {
        fc3 << "\n" << t + 1 << "\n" << (t ? "-3" : "3") << " 0 0\n0 0 0\n1 1 1\n";
        for (int abc = 0; abc < 27; ++abc)
          fc3 << abc / 9 + 1 << " " << abc / 3 % 3 + 1 << " " << abc % 3 + 1 << " "
              << (abc == 5 ? (t ? minus : plus) : 0.0) << "\n";
      }
    return folder;
  }

  TEST(ShengBTEReader, CubicControlAndSupercellChoice)
  {
    const double ev_a3 = units::electronvolt / 1e-30;
    // An even split of one atom's two images at +-a1: 2x1x1 holds it as one atom.
    std::string          folder = cubic_folder("shengbte-even", 0.5, 0.5);
    const ForceConstants even   = read_shengbte(folder, true);
    EXPECT_EQ(even.fc3_supercell.matrix, Eigen::Matrix3i(Eigen::Vector3i(2, 1, 1).asDiagonal()));
    EXPECT_NEAR(even.fc3[(1 * 2 + 0) * 27 + 5], 1.0 * ev_a3, 1e-15 * ev_a3);
    EXPECT_NEAR(even.primitive.lattice(1, 1), 3e-10, 1e-25);
    EXPECT_NEAR(even.primitive.lattice(2, 2), 3e-10, 1e-25);
    EXPECT_EQ(even.primitive.lattice(0, 1), 0.0);
    // autoisotopes (ShengBTE's default): the natural mass of Si.
    EXPECT_NEAR(even.primitive.masses[0] / units::atomic_mass, 28.0855, 1e-4);
    ASSERT_TRUE(even.born);
    EXPECT_EQ(even.born->dielectric(1, 0), 0.5);
    EXPECT_EQ(even.born->dielectric(2, 2), 1.0); // ShengBTE's default
    EXPECT_EQ(even.born->charges[0](1, 0), 0.1); // born(a, b): a the field, b the displacement
    EXPECT_EQ(even.born->charges[0](0, 0), 2.0);
    std::filesystem::remove_all(folder);

    // Unequal values (or one image only) are two atoms: 3x1x1.
    for (double minus : {0.25, 0.0})
      {
        folder                 = cubic_folder("shengbte-uneven", 0.5, minus);
        const ForceConstants f = read_shengbte(folder, true);
        EXPECT_EQ(f.fc3_supercell.matrix, Eigen::Matrix3i(Eigen::Vector3i(3, 1, 1).asDiagonal()));
        EXPECT_NEAR(f.fc3[(1 * 3 + 0) * 27 + 5], 0.5 * ev_a3, 1e-15 * ev_a3);   // R = +a1
        EXPECT_NEAR(f.fc3[(2 * 3 + 0) * 27 + 5], minus * ev_a3, 1e-15 * ev_a3); // R = -a1
        std::filesystem::remove_all(folder);
      }
  }

  // Replaces line `number` (1-based) of a file, or deletes it when `text` is empty.
  void edit_line(const std::string &path, unsigned int number, const std::string &text)
  {
    std::ifstream            in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    if (text.empty())
      lines.erase(lines.begin() + number - 1);
    else
      lines[number - 1] = text;
    std::ofstream out(path);
    for (const std::string &line : lines)
      out << line << "\n";
  }

  void expect_error(const std::string &folder, const std::string &expected)
  {
    const std::string error = error_of([&] { read_shengbte(folder, true); });
    EXPECT_NE(error.find(expected), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }

  TEST(ShengBTEReader, OneLineErrors)
  {
    const std::string missing = kapitza::testing::scratch_folder("shengbte-missing");
    expect_error(missing, "/CONTROL: cannot open");
    EXPECT_NE(error_of([&] { read_force_constants_folder(missing, false); })
                .find("neither CONTROL (ShengBTE) nor phono3py_params.yaml (phono3py)"),
              std::string::npos);

    const std::string folder = kapitza::testing::scratch_folder("shengbte-broken");
    auto restore = [&] {
      for (const char *file : {"CONTROL", "FORCE_CONSTANTS_2ND", "FORCE_CONSTANTS_3RD"})
        std::filesystem::copy_file(shengbte_si + "/" + file, folder + "/" + file,
                                   std::filesystem::copy_options::overwrite_existing);
    };
    restore();
    std::filesystem::remove(folder + "/FORCE_CONSTANTS_3RD");
    expect_error(folder, "FORCE_CONSTANTS_3RD: cannot open");

    // One edited line of an intact folder each: (file, line, new text, expected message).
    struct LineEdit
    {
      const char  *file;
      unsigned int line;
      const char  *text, *message;
    };
    const LineEdit edits[] = {
      // Triplet counts that do not match the blocks.
      {"FORCE_CONSTANTS_3RD", 1, "1515",
       "FORCE_CONSTANTS_3RD: ends at line 48449, before the index of triplet 1515 of 1515"},
      {"FORCE_CONSTANTS_3RD", 1, "1513",
       "FORCE_CONSTANTS_3RD: line 48419: more lines than the 1513 triplets announced"},
      // A block one value line short.
      {"FORCE_CONSTANTS_3RD", 10, "",
       "FORCE_CONSTANTS_3RD: line 10: expected the Cartesian indices 1 2 1 of 27 lines "
       "'a b c value' of triplet 1 of 1514"},
      // R not a lattice vector (e.g. written in another unit).
      {"FORCE_CONSTANTS_3RD", 4, "1.0 0 0", "FORCE_CONSTANTS_3RD: line 4: no lattice vector of CONTROL's cell"},
      // fc2 of another supercell, and a missing line.
      {"FORCE_CONSTANTS_2ND", 1, "   2   64",
       "FORCE_CONSTANTS_2ND: line 1 announces 2 x 64 blocks, but CONTROL's scell has 128 atoms (2 per cell)"},
      {"FORCE_CONSTANTS_2ND", 3, "", "FORCE_CONSTANTS_2ND: line 5: expected 3 force constants, found '1 2'"},
      // CONTROL without a lattice vector, or with a misspelt variable.
      {"CONTROL", 9, "", "CONTROL: &crystal does not set every element of 'lattvec'"},
      {"CONTROL", 16, "  scel(:)=4 4 4", "CONTROL: unknown variable 'scel' in &crystal"},
    };
    for (const auto &[file, line, text, message] : edits)
      {
        restore();
        edit_line(folder + "/" + file, line, text);
        expect_error(folder, message);
      }

    // Triplets too far apart for any supercell of the cap.
    const std::string far = cubic_folder("shengbte-far", 0.5, 0);
    edit_line(far + "/FORCE_CONSTANTS_3RD", 4, "60 0 0");
    expect_error(far, "FORCE_CONSTANTS_3RD: the triplets fit no diagonal supercell");
    for (const std::string &f : {missing, folder, far})
      std::filesystem::remove_all(f);
  }
} // namespace
