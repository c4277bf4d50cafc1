#pragma once
// Geometries (DESIGN.md section 5, subsection Mesh): layer stacks along x, balls/discs
// (optionally hollow), and Gmsh files. Cells carry the material index as material id;
// faces carry the boundary ids Left = 0, Right = 1, Lateral = 2.

#include <deal.II/base/parameter_handler.h>
#include <deal.II/grid/tria.h>

#include <string>
#include <vector>

namespace kapitza
{
  struct Layer
  {
    std::string  material;
    double       thickness; // [m]
    unsigned int cells;
  };

  struct MeshParameters
  {
    std::string        generator = "layers";
    std::vector<Layer> layers;
    double             grading_ratio   = 1;  // largest / smallest cell within each layer
    double             lateral_size    = 0;  // [m]
    unsigned int       lateral_cells   = 1;
    double             lateral_grading = 1;  // largest / smallest lateral cell
    double             radius          = 0;  // [m]
    double             inner_radius    = 0;  // [m]; > 0 makes a hollow ball (shell)
    unsigned int       refinements     = 2;
    unsigned int       mapping_degree  = 1;  // 1: flat faces; > 1 follows curved manifolds
    std::string        file;

    static void declare(dealii::ParameterHandler &prm);
    /// Reads subsection Mesh; `input_folder` resolves a relative Gmsh path.
    void parse(dealii::ParameterHandler &prm, const std::string &input_folder);
  };

  /// Parses "name:thickness:cells, ..." and checks every entry (positive thickness,
  /// at least one cell). Throws with one line naming the bad entry.
  std::vector<Layer> parse_layers(const std::string &text);

  /// Cell sizes of a segment of `length` in `cells` cells whose sizes grow geometrically
  /// from both ends to the middle so that largest / smallest = ratio.
  std::vector<double> graded_steps(double length, unsigned int cells, double ratio);

  /// Active cells per material that generate_mesh will make, from the parameters alone
  /// (layers: exact; balls: the coarse mesh times 2^(dim refinements)), so that memory can
  /// be checked before the mesh exists. Empty for Gmsh files, known only once read.
  template <int dim>
  std::vector<double> predicted_cells(const MeshParameters &parameters,
                                      const std::vector<std::string> &materials);

  /// Boundary faces of the ball that generate_mesh will make (the coarse ball's times
  /// 2^((dim - 1) refinements): refinement splits each face into 2^(dim - 1)), so that the
  /// wall trace points are known before the mesh; 0 for the other generators.
  template <int dim>
  double predicted_ball_boundary_faces(const MeshParameters &parameters);

  /// Builds the mesh. Material names map to material ids by their position in
  /// `materials`; an unknown name or a Gmsh tag outside the list is an error.
  template <int dim>
  void generate_mesh(const MeshParameters &parameters, const std::vector<std::string> &materials,
                     dealii::Triangulation<dim> &triangulation);
} // namespace kapitza
