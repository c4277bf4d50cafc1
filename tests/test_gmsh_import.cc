// Gmsh import: physical volume (here surface) tags become material indices and physical
// boundary tags boundary ids; a one-material Gmsh mesh runs like the equivalent layers.
#include "meshes/mesh_generator.h"
#include "test_utilities.h"

#include <gtest/gtest.h>

namespace
{
  using namespace kapitza::testing;

  // Two unit squares side by side (x in [0,2]); `right_material` tags the right one.
  std::string write_two_squares(const std::string &folder, int right_material)
  {
    const std::string path = folder + "/squares.msh";
    std::ofstream(path) << "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n6\n"
                           "1 0 0 0\n2 1e-7 0 0\n3 2e-7 0 0\n4 0 1e-7 0\n5 1e-7 1e-7 0\n6 2e-7 1e-7 0\n"
                           "$EndNodes\n$Elements\n8\n"
                           "1 1 2 0 1 4 1\n2 1 2 1 2 3 6\n3 1 2 2 3 1 2\n4 1 2 2 3 2 3\n"
                           "5 1 2 2 3 4 5\n6 1 2 2 3 5 6\n"
                           "7 3 2 0 10 1 2 5 4\n"
                           "8 3 2 "
                        << right_material << " 11 2 3 6 5\n$EndElements\n";
    return path;
  }

  // The same two squares in MSH 4.1: physical tags live on the entities. Curve 1 is the
  // Left edge, 2 the Right edge, 3 the four lateral segments; `left_tags` = 0 leaves the
  // Left edge without a physical tag.
  std::string write_two_squares_v4(const std::string &folder, int right_material, int left_tags = 1)
  {
    const std::string path = folder + "/squares4.msh";
    std::ofstream(path) << "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Entities\n0 3 2 0\n"
                        << "1 0 0 0 0 1e-7 0 " << left_tags << (left_tags ? " 0" : "") << " 0\n"
                        << "2 2e-7 0 0 2e-7 1e-7 0 1 1 0\n"
                           "3 0 0 0 2e-7 1e-7 0 1 2 0\n"
                           "10 0 0 0 1e-7 1e-7 0 1 0 0\n"
                        << "11 1e-7 0 0 2e-7 1e-7 0 1 " << right_material << " 0\n"
                        << "$EndEntities\n$Nodes\n1 6 1 6\n2 10 0 6\n1\n2\n3\n4\n5\n6\n"
                           "0 0 0\n1e-7 0 0\n2e-7 0 0\n0 1e-7 0\n1e-7 1e-7 0\n2e-7 1e-7 0\n"
                           "$EndNodes\n$Elements\n5 8 1 8\n1 1 1 1\n1 1 4\n1 2 1 1\n2 3 6\n"
                           "1 3 1 4\n3 1 2\n4 2 3\n5 4 5\n6 5 6\n2 10 3 1\n7 1 2 5 4\n"
                           "2 11 3 1\n8 2 3 6 5\n$EndElements\n";
    return path;
  }

  // Two squares whose Left edge has no physical tag (MSH 2.2).
  std::string write_untagged_left(const std::string &folder)
  {
    const std::string path = folder + "/untagged.msh";
    std::ofstream(path) << "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n6\n"
                           "1 0 0 0\n2 1e-7 0 0\n3 2e-7 0 0\n4 0 1e-7 0\n5 1e-7 1e-7 0\n6 2e-7 1e-7 0\n"
                           "$EndNodes\n$Elements\n7\n"
                           "2 1 2 1 2 3 6\n3 1 2 2 3 1 2\n4 1 2 2 3 2 3\n"
                           "5 1 2 2 3 4 5\n6 1 2 2 3 5 6\n"
                           "7 3 2 0 10 1 2 5 4\n8 3 2 0 11 2 3 6 5\n$EndElements\n";
    return path;
  }

  class GmshFormats : public ::testing::TestWithParam<int>
  {};

  TEST_P(GmshFormats, TagsBecomeMaterialsAndBoundaryIds)
  {
    const std::string        folder = scratch_folder("gmsh-tags");
    kapitza::MeshParameters  mesh;
    mesh.generator = "gmsh";
    mesh.file      = GetParam() == 2 ? write_two_squares(folder, 1) : write_two_squares_v4(folder, 1);
    dealii::Triangulation<2> triangulation;
    kapitza::generate_mesh(mesh, {"a", "b"}, triangulation);
    ASSERT_EQ(triangulation.n_active_cells(), 2u);
    std::map<unsigned int, unsigned int> faces_per_id;
    for (const auto &cell : triangulation.active_cell_iterators())
      {
        EXPECT_EQ(cell->material_id(), cell->center()[0] < 1e-7 ? 0u : 1u);
        for (const auto f : cell->face_indices())
          if (cell->at_boundary(f))
            {
              const auto c  = cell->face(f)->center();
              const auto id = cell->face(f)->boundary_id();
              ++faces_per_id[id];
              EXPECT_EQ(id, c[0] < 1e-12 ? 0u : c[0] > 2e-7 - 1e-12 ? 1u : 2u);
            }
      }
    EXPECT_EQ(faces_per_id[0], 1u);
    EXPECT_EQ(faces_per_id[1], 1u);
    EXPECT_EQ(faces_per_id[2], 4u);
    // A tag beyond the material list is an error naming the file.
    dealii::Triangulation<2> other;
    EXPECT_THROW(kapitza::generate_mesh(mesh, {"a"}, other), std::runtime_error);
  }

  INSTANTIATE_TEST_SUITE_P(GmshImport, GmshFormats, ::testing::Values(2, 4));

  // A boundary face without a physical tag would silently become the Left wall (id 0).
  TEST(GmshImport, UntaggedBoundaryFacesAreRefused)
  {
    const std::string        folder = scratch_folder("gmsh-untagged");
    kapitza::MeshParameters  mesh;
    mesh.generator = "gmsh";
    for (const std::string &file : {write_untagged_left(folder), write_two_squares_v4(folder, 1, 0)})
      {
        mesh.file = file;
        dealii::Triangulation<2> triangulation;
        try
          {
            kapitza::generate_mesh(mesh, {"a", "b"}, triangulation);
            ADD_FAILURE() << file << ": an untagged boundary face was accepted";
          }
        catch (const std::runtime_error &error)
          {
            EXPECT_NE(std::string(error.what()).find("1 boundary faces have no physical tag"),
                      std::string::npos)
              << error.what();
          }
      }
  }

  TEST(GmshImport, RunsLikeTheLayerMesh)
  {
    const std::string folder = scratch_folder("gmsh-run");
    write_gray(folder, 1e-7, 8, 8, false);
    write_two_squares(folder, 0);
    std::map<std::string, std::string> settings{{"Dimension", "2"},
                                                {"Materials/Names", "gray"},
                                                {"Materials/Files", "gray.h5"},
                                                {"Boundaries/Left", "thermalizing 301"},
                                                {"Boundaries/Right", "thermalizing 300"},
                                                {"Boundaries/Lateral", "specular 1"},
                                                {"Output/Line points", "4"}};
    settings["Mesh/Generator"] = "gmsh";
    settings["Mesh/File"]      = "squares.msh";
    const CaseResult gmsh      = run_case(folder, settings);
    settings["Mesh/Generator"]    = "layers";
    settings["Mesh/Layers"]       = "gray:2e-7:2";
    settings["Mesh/Lateral size"] = "1e-7";
    const CaseResult layers       = run_case(folder, settings);
    EXPECT_NEAR(gmsh.mean_flux / layers.mean_flux, 1.0, 1e-12);
    for (std::size_t i = 0; i < gmsh.temperature.size(); ++i)
      EXPECT_NEAR(gmsh.temperature[i], layers.temperature[i], 1e-12);
  }
} // namespace
