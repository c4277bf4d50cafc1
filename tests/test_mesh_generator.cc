// Geometries (DESIGN.md section 5, subsection Mesh): the Layers syntax, graded cell
// sizes, layer stacks in 1D/2D/3D with material and boundary ids, and hollow balls.

#include "meshes/mesh_generator.h"

#include <deal.II/grid/tria.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace
{
  using namespace kapitza;

  /// `f()` must throw a std::runtime_error whose text is one line containing `expected`.
  template <typename F>
  void expect_one_line_error(F &&f, const std::string &expected, const std::string &context)
  {
    try
      {
        f();
      }
    catch (const std::runtime_error &error)
      {
        const std::string what = error.what();
        EXPECT_EQ(what.find('\n'), std::string::npos) << context << ": not one line: " << what;
        EXPECT_NE(what.find(expected), std::string::npos)
          << context << ": '" << what << "' does not contain '" << expected << "'";
        return;
      }
    catch (const std::exception &error)
      {
        ADD_FAILURE() << context << ": threw an exception that is not a std::runtime_error: "
                      << error.what();
        return;
      }
    ADD_FAILURE() << context << ": accepted";
  }

  void expect_layers_rejected(const std::string &text)
  {
    expect_one_line_error([&] { parse_layers(text); }, "Mesh/Layers", "Layers = '" + text + "'");
  }

  MeshParameters two_layers()
  {
    MeshParameters p;
    p.generator    = "layers";
    p.layers       = parse_layers("A:1e-6:10, B:2e-6:5");
    p.lateral_size = 1.5e-6;
    return p;
  }

  /// Every cell lies inside its layer and carries that layer's material id; every
  /// boundary face has id 0 at x = 0, 1 at x = L, 2 elsewhere. Returns faces per id.
  template <int dim>
  std::map<unsigned int, unsigned int>
  check_layers(const dealii::Triangulation<dim> &tria, const std::vector<double> &interfaces,
               const std::vector<unsigned int> &layer_material)
  {
    const double length = interfaces.back(), tol = 1e-9 * length;
    std::map<unsigned int, unsigned int> faces;
    for (const auto &cell : tria.active_cell_iterators())
      {
        const double x     = cell->center()[0];
        const auto   layer = std::upper_bound(interfaces.begin(), interfaces.end(), x) -
                           interfaces.begin() - 1;
        EXPECT_EQ(cell->material_id(), layer_material[layer]) << "cell at x = " << x;
        for (const auto v : cell->vertex_indices())
          {
            EXPECT_GE(cell->vertex(v)[0], interfaces[layer] - tol);
            EXPECT_LE(cell->vertex(v)[0], interfaces[layer + 1] + tol);
          }
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              const double       fx = cell->face(f)->center()[0];
              const unsigned int id = cell->face(f)->boundary_id();
              const unsigned int expected =
                std::abs(fx) < tol ? 0 : std::abs(fx - length) < tol ? 1 : 2;
              EXPECT_EQ(id, expected) << "boundary face at x = " << fx;
              ++faces[id];
            }
      }
    return faces;
  }

  template <int dim>
  void check_ball(double inner, double outer)
  {
    MeshParameters p;
    p.generator    = "ball";
    p.radius       = outer;
    p.inner_radius = inner;
    p.refinements  = 1;
    dealii::Triangulation<dim> tria;
    generate_mesh(p, {"only"}, tria);
    EXPECT_GT(tria.n_active_cells(), 0u);
    std::map<unsigned int, unsigned int> faces;
    for (const auto &cell : tria.active_cell_iterators())
      {
        EXPECT_EQ(cell->material_id(), 0u);
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              // The vertices of a boundary face lie on one of the two spheres.
              double r = 0;
              for (const auto v : cell->face(f)->vertex_indices())
                r = std::max(r, cell->face(f)->vertex(v).norm());
              const unsigned int id = cell->face(f)->boundary_id();
              if (inner > 0)
                {
                  const bool on_inner = std::abs(r - inner) < 1e-9 * outer;
                  const bool on_outer = std::abs(r - outer) < 1e-9 * outer;
                  EXPECT_TRUE(on_inner || on_outer) << "boundary face at radius " << r;
                  EXPECT_EQ(id, on_inner ? 0u : 1u) << "boundary face at radius " << r;
                }
              else
                EXPECT_EQ(id, 0u) << "the surface of a full ball is Left (id 0)";
              ++faces[id];
            }
      }
    if (inner > 0)
      {
        EXPECT_EQ(faces.size(), 2u);
        EXPECT_GT(faces[0], 0u);
        EXPECT_GT(faces[1], 0u);
      }
    else
      EXPECT_EQ(faces.size(), 1u);
  }

  // The memory check before the mesh counts a ball's cells and wall trace points from the
  // parameters: both must be what generate_mesh then makes.
  template <int dim>
  void check_ball_prediction(double inner, unsigned int refinements)
  {
    MeshParameters p;
    p.generator    = "ball";
    p.radius       = 1e-6;
    p.inner_radius = inner;
    p.refinements  = refinements;
    dealii::Triangulation<dim> tria;
    generate_mesh(p, {"only"}, tria);
    unsigned int boundary_faces = 0;
    for (const auto &face : tria.active_face_iterators())
      boundary_faces += face->at_boundary();
    EXPECT_EQ(predicted_cells<dim>(p, {"only"}).at(0), tria.n_active_cells()) << dim << "D, " << refinements;
    EXPECT_EQ(predicted_ball_boundary_faces<dim>(p), boundary_faces) << dim << "D, " << refinements;
  }
} // namespace

TEST(MeshGenerator, ParseLayersAcceptsTheDocumentedSyntax)
{
  const auto layers = parse_layers("A:1e-6:10, B:2e-6:5");
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].material, "A");
  EXPECT_EQ(layers[0].thickness, 1e-6);
  EXPECT_EQ(layers[0].cells, 10u);
  EXPECT_EQ(layers[1].material, "B");
  EXPECT_EQ(layers[1].thickness, 2e-6);
  EXPECT_EQ(layers[1].cells, 5u);

  const auto one = parse_layers("AlN:3.5e-7:400");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].material, "AlN");
  EXPECT_EQ(one[0].thickness, 3.5e-7);
  EXPECT_EQ(one[0].cells, 400u);
}

TEST(MeshGenerator, ParseLayersRejectsBadEntries)
{
  expect_layers_rejected("A:1e-6:0");              // zero cells
  expect_layers_rejected("A:1e-6:10, B:2e-6:0");   // zero cells in a later layer
  expect_layers_rejected("A:1e-6:-3");             // negative cells
  expect_layers_rejected("A:-1e-6:10");            // negative thickness
  expect_layers_rejected("A:0:10");                // zero thickness
  expect_layers_rejected("A:thick:10");            // thickness not a number
  expect_layers_rejected("A:1e-6:many");           // cells not a number
  expect_layers_rejected("A:1e-6");                // two fields
  expect_layers_rejected("A:1e-6:10:4");           // four fields
  expect_layers_rejected("A");                     // one field
  expect_layers_rejected("");                      // empty
  // The bad entry is named.
  expect_one_line_error([] { parse_layers("A:1e-6:10, B:2e-6:0"); }, "B:2e-6:0", "names entry");
}

// Numbers followed by other text, fractional cell counts and overflowing thicknesses
// are not numbers of the documented kind either; each must be a one-line runtime_error.
TEST(MeshGenerator, ParseLayersRejectsPartialNumbers)
{
  expect_layers_rejected("A:1e-6:10x");   // trailing text after the cell count
  expect_layers_rejected("A:1e-6:2.5");   // fractional cell count
  expect_layers_rejected("A:1e-6m:10");   // trailing text after the thickness
  expect_layers_rejected("A:1e999:10");   // thickness out of range (std::out_of_range)
  expect_layers_rejected("A:1e-6:99999999999999999999"); // cell count out of range
}

TEST(MeshGenerator, GradedStepsSumToLengthWithTheRatio)
{
  for (const unsigned int cells : {3u, 4u, 10u, 11u, 64u})
    for (const double ratio : {1.0, 2.0, 7.5})
      {
        const double length = 3.7e-6;
        const auto   steps  = graded_steps(length, cells, ratio);
        ASSERT_EQ(steps.size(), cells);
        const double sum = std::accumulate(steps.begin(), steps.end(), 0.0);
        EXPECT_NEAR(sum, length, 1e-13 * length) << cells << " cells, ratio " << ratio;
        const auto [smallest, largest] = std::minmax_element(steps.begin(), steps.end());
        EXPECT_NEAR(*largest / *smallest, ratio, 1e-12 * ratio)
          << cells << " cells, ratio " << ratio;
        // Smallest cells at both ends, symmetric, growing towards the middle.
        EXPECT_DOUBLE_EQ(steps.front(), *smallest);
        EXPECT_DOUBLE_EQ(steps.back(), *smallest);
        for (unsigned int i = 0; i < cells; ++i)
          EXPECT_NEAR(steps[i], steps[cells - 1 - i], 1e-14 * length);
        for (unsigned int i = 0; i + 1 < (cells + 1) / 2; ++i)
          EXPECT_GE(steps[i + 1], steps[i]);
      }
  const auto single = graded_steps(2e-6, 1, 5);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_DOUBLE_EQ(single[0], 2e-6);
}

TEST(MeshGenerator, Layers1D)
{
  MeshParameters           p = two_layers();
  dealii::Triangulation<1> tria;
  generate_mesh(p, {"A", "B"}, tria);
  EXPECT_EQ(tria.n_active_cells(), 15u);
  const auto faces = check_layers(tria, {0, 1e-6, 3e-6}, {0, 1});
  EXPECT_EQ(faces.at(0), 1u);
  EXPECT_EQ(faces.at(1), 1u);
  EXPECT_EQ(faces.count(2), 0u);

  // Material ids follow the position in the material list, not the layer order.
  dealii::Triangulation<1> swapped;
  generate_mesh(p, {"X", "B", "A"}, swapped);
  check_layers(swapped, {0, 1e-6, 3e-6}, {2, 1});

  // Graded cells keep the layers and the interface in place.
  p.grading_ratio = 4;
  dealii::Triangulation<1> graded;
  generate_mesh(p, {"A", "B"}, graded);
  EXPECT_EQ(graded.n_active_cells(), 15u);
  check_layers(graded, {0, 1e-6, 3e-6}, {0, 1});
}

TEST(MeshGenerator, Layers2D)
{
  MeshParameters p  = two_layers();
  p.lateral_cells   = 3;
  p.grading_ratio   = 2;
  p.lateral_grading = 3;
  dealii::Triangulation<2> tria;
  generate_mesh(p, {"A", "B"}, tria);
  EXPECT_EQ(tria.n_active_cells(), 15u * 3u);
  const auto faces = check_layers(tria, {0, 1e-6, 3e-6}, {0, 1});
  EXPECT_EQ(faces.at(0), 3u);
  EXPECT_EQ(faces.at(1), 3u);
  EXPECT_EQ(faces.at(2), 2u * 15u);
  EXPECT_EQ(faces.size(), 3u);
  // The lateral extent.
  double y_max = 0;
  for (const auto &cell : tria.active_cell_iterators())
    for (const auto v : cell->vertex_indices())
      y_max = std::max(y_max, cell->vertex(v)[1]);
  EXPECT_NEAR(y_max, 1.5e-6, 1e-15);
}

TEST(MeshGenerator, Layers3D)
{
  MeshParameters p = two_layers();
  p.lateral_cells  = 2;
  dealii::Triangulation<3> tria;
  generate_mesh(p, {"A", "B"}, tria);
  EXPECT_EQ(tria.n_active_cells(), 15u * 4u);
  const auto faces = check_layers(tria, {0, 1e-6, 3e-6}, {0, 1});
  EXPECT_EQ(faces.at(0), 4u);
  EXPECT_EQ(faces.at(1), 4u);
  EXPECT_EQ(faces.at(2), 4u * 2u * 15u);
  EXPECT_EQ(faces.size(), 3u);
}

TEST(MeshGenerator, UnknownMaterialIsAnError)
{
  const MeshParameters p = two_layers();
  expect_one_line_error(
    [&] {
      dealii::Triangulation<1> tria;
      generate_mesh(p, {"A", "C"}, tria);
    },
    "'B'", "1D");
  expect_one_line_error(
    [&] {
      dealii::Triangulation<2> tria;
      generate_mesh(p, {"A"}, tria);
    },
    "'B'", "2D");
  expect_one_line_error(
    [&] {
      dealii::Triangulation<3> tria;
      generate_mesh(p, {"B"}, tria);
    },
    "'A'", "3D");
}

TEST(MeshGenerator, BallCellsAndBoundaryFacesArePredicted)
{
  for (unsigned int refinements = 0; refinements < 3; ++refinements)
    for (const double inner : {0.0, 0.4e-6})
      {
        check_ball_prediction<2>(inner, refinements);
        check_ball_prediction<3>(inner, refinements);
      }
  MeshParameters layers;
  layers.layers = parse_layers("only:1e-6:4");
  EXPECT_EQ(predicted_ball_boundary_faces<3>(layers), 0) << "not a ball: unknown before the mesh";
}

TEST(MeshGenerator, BallBoundaryIds)
{
  check_ball<2>(0.4e-6, 1e-6);
  check_ball<3>(0.4e-6, 1e-6);
  check_ball<2>(0, 1e-6);
  check_ball<3>(0, 1e-6);

  MeshParameters p;
  p.generator    = "ball";
  p.radius       = 1e-6;
  p.inner_radius = 2e-6;
  expect_one_line_error(
    [&] {
      dealii::Triangulation<2> tria;
      generate_mesh(p, {"only"}, tria);
    },
    "Inner radius", "inner radius > radius");
}
