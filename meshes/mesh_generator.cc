#include "meshes/mesh_generator.h"
#include "meshes/gmsh_file.h"
#include "scattering/file_checks.h"

#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  void MeshParameters::declare(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Anything;
    using dealii::Patterns::Double;
    using dealii::Patterns::Integer;
    prm.enter_subsection("Mesh");
    prm.declare_entry("Generator", "layers", dealii::Patterns::Selection("layers|ball|gmsh"),
                      "layers: a stack along +x; ball: a 3D ball or 2D disc (hollow when "
                      "Inner radius > 0); gmsh: the .msh File");
    prm.declare_entry("Layers", "", Anything(),
                      "name:thickness[m]:cells, ... stacked along +x from x = 0");
    prm.declare_entry("Grading ratio", "1", Double(1),
                      "largest/smallest cell of each layer; the smallest cells sit at both "
                      "ends of the layer (interfaces and walls)");
    prm.declare_entry("Lateral size", "0", Double(0), "y (and z) extent of 2D/3D layers [m]");
    prm.declare_entry("Lateral cells", "1", Integer(1), "cells along y (and z)");
    prm.declare_entry("Lateral grading", "1", Double(1),
                      "largest/smallest lateral cell, smallest at the lateral walls");
    prm.declare_entry("Radius", "0", Double(0), "ball generator: outer radius [m]");
    prm.declare_entry("Inner radius", "0", Double(0),
                      "ball generator: inner radius [m]; > 0 gives a shell whose inner "
                      "surface is Left (id 0) and outer surface Right (id 1)");
    prm.declare_entry("Refinements", "2", Integer(0, 12), "global refinements of the ball");
    prm.declare_entry("Mapping degree", "1", Integer(1, 4),
                      "polynomial degree of the map from the reference cell: 1 gives flat "
                      "(bilinear) faces; 2 or more puts the cells on the curved surfaces of the "
                      "ball generator (its spherical and transfinite manifolds), so the mesh "
                      "has the sphere's volume, area and normals; layers and gmsh meshes have "
                      "no curved manifold and are the same for every degree");
    prm.declare_entry("File", "", Anything(),
                      "gmsh .msh: physical volume tags = material index, physical surface "
                      "tags = boundary id");
    prm.leave_subsection();
  }

  void MeshParameters::parse(dealii::ParameterHandler &prm, const std::string &input_folder)
  {
    prm.enter_subsection("Mesh");
    generator       = prm.get("Generator");
    if (generator == "layers")
      layers = parse_layers(prm.get("Layers"));
    grading_ratio   = prm.get_double("Grading ratio");
    lateral_size    = prm.get_double("Lateral size");
    lateral_cells   = prm.get_integer("Lateral cells");
    lateral_grading = prm.get_double("Lateral grading");
    radius          = prm.get_double("Radius");
    inner_radius    = prm.get_double("Inner radius");
    refinements     = prm.get_integer("Refinements");
    mapping_degree  = prm.get_integer("Mapping degree");
    file            = prm.get("File");
    if (generator == "gmsh" && file.empty())
      throw std::runtime_error("Mesh/File must name the Gmsh file of Mesh/Generator = gmsh");
    if (!file.empty() && file[0] != '/')
      file = input_folder + "/" + file;
    prm.leave_subsection();
  }

  std::vector<Layer> parse_layers(const std::string &text)
  {
    std::vector<Layer> layers;
    for (const std::string &entry : dealii::Utilities::split_string_list(text, ','))
      {
        const auto fields = dealii::Utilities::split_string_list(entry, ':');
        const std::string where = "Mesh/Layers entry '" + entry + "'";
        if (fields.size() != 3)
          throw std::runtime_error(where + " must be name:thickness:cells");
        Layer layer;
        layer.material = fields[0];
        // The whole field must be the number: "1e-6m" or "2.5" cells are errors.
        char *end = nullptr;
        layer.thickness = std::strtod(fields[1].c_str(), &end);
        if (fields[1].empty() || *end != '\0')
          throw std::runtime_error(where + " has a thickness that is not a number");
        const long long cells = std::strtoll(fields[2].c_str(), &end, 10);
        if (fields[2].empty() || *end != '\0' || cells > 1'000'000'000)
          throw std::runtime_error(where + " has a cell count that is not a whole number");
        if (cells < 1)
          throw std::runtime_error(where + " needs at least one cell");
        layer.cells = cells;
        if (!(layer.thickness > 0) || !std::isfinite(layer.thickness))
          throw std::runtime_error(where + " needs a positive thickness");
        layers.push_back(layer);
      }
    if (layers.empty())
      throw std::runtime_error("Mesh/Layers is empty");
    return layers;
  }

  std::vector<double> graded_steps(double length, unsigned int cells, double ratio)
  {
    const unsigned int half = (cells - 1) / 2;
    const double growth = half > 0 ? std::pow(ratio, 1.0 / half) : 1.0;
    std::vector<double> steps(cells);
    for (unsigned int i = 0; i < cells; ++i)
      steps[i] = std::pow(growth, std::min(i, cells - 1 - i));
    double total = 0;
    for (double s : steps)
      total += s;
    for (double &s : steps)
      s *= length / total;
    return steps;
  }

  namespace
  {
    unsigned int material_index(const std::string &name, const std::vector<std::string> &materials)
    {
      const auto it = std::find(materials.begin(), materials.end(), name);
      if (it == materials.end())
        throw std::runtime_error("unknown material '" + name +
                                 "' in Mesh/Layers (not in Materials/Names)");
      return it - materials.begin();
    }

    template <int dim>
    void make_layers(const MeshParameters &p, const std::vector<std::string> &materials,
                     dealii::Triangulation<dim> &tria)
    {
      std::vector<std::vector<double>> steps(dim);
      std::vector<double>              interfaces{0};
      for (const Layer &layer : p.layers)
        {
          const auto s = graded_steps(layer.thickness, layer.cells, p.grading_ratio);
          steps[0].insert(steps[0].end(), s.begin(), s.end());
          interfaces.push_back(interfaces.back() + layer.thickness);
        }
      if (dim > 1 && !(p.lateral_size > 0))
        throw std::runtime_error("Mesh/Lateral size must be positive for a 2D or 3D layer mesh");
      dealii::Point<dim> corner;
      corner[0] = interfaces.back();
      for (int d = 1; d < dim; ++d)
        {
          steps[d]  = graded_steps(p.lateral_size, p.lateral_cells, p.lateral_grading);
          corner[d] = p.lateral_size;
        }
      dealii::GridGenerator::subdivided_hyper_rectangle(tria, steps, dealii::Point<dim>(),
                                                        corner, true);
      for (const auto &cell : tria.active_cell_iterators())
        {
          const double x     = cell->center()[0];
          const auto   layer = std::upper_bound(interfaces.begin(), interfaces.end(), x) -
                             interfaces.begin() - 1;
          cell->set_material_id(material_index(p.layers[layer].material, materials));
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() > 1)
              cell->face(f)->set_boundary_id(2);
        }
    }

    template <int dim>
    void make_ball(const MeshParameters &p, dealii::Triangulation<dim> &tria)
    {
      if (dim == 1 || !(p.radius > 0) || p.inner_radius >= p.radius)
        throw std::runtime_error("Mesh/ball needs dimension 2 or 3 and 0 <= Inner radius < Radius");
      if (p.inner_radius > 0)
        dealii::GridGenerator::hyper_shell(tria, dealii::Point<dim>(), p.inner_radius, p.radius,
                                           0, true);
      else
        dealii::GridGenerator::hyper_ball(tria, dealii::Point<dim>(), p.radius);
      tria.refine_global(p.refinements);
    }

    template <int dim>
    void make_coarse_ball(const MeshParameters &p, dealii::Triangulation<dim> &tria)
    {
      MeshParameters coarse = p;
      coarse.refinements    = 0;
      make_ball(coarse, tria);
    }

    template <int dim>
    void read_gmsh(const MeshParameters &p, unsigned int n_materials,
                   dealii::Triangulation<dim> &tria)
    {
      const std::string  text = read_text_file(p.file, "Gmsh file");
      std::istringstream shifted(shift_boundary_tags(text, dim, 1, p.file));
      dealii::GridIn<dim> grid_in;
      grid_in.attach_triangulation(tria);
      grid_in.read_msh(shifted);
      // Tagged boundary faces came in as tag + 1; id 0 is a face the file left untagged.
      unsigned int untagged = 0;
      for (const auto &face : tria.active_face_iterators())
        if (face->at_boundary())
          {
            if (face->boundary_id() == 0)
              ++untagged;
            else
              face->set_boundary_id(face->boundary_id() - 1);
          }
      if (untagged > 0)
        throw std::runtime_error(p.file + ": " + std::to_string(untagged) +
                                 " boundary faces have no physical tag (tag every boundary "
                                 "curve or surface: 0 Left, 1 Right, 2 Lateral)");
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->material_id() >= n_materials)
          throw std::runtime_error(p.file + ": physical volume tag " +
                                   std::to_string(cell->material_id()) +
                                   " is not a material index");
    }
  } // namespace

  template <int dim>
  void generate_mesh(const MeshParameters &parameters, const std::vector<std::string> &materials,
                     dealii::Triangulation<dim> &triangulation)
  {
    if (parameters.generator == "layers")
      make_layers(parameters, materials, triangulation);
    else if (parameters.generator == "ball")
      make_ball(parameters, triangulation);
    else if (parameters.generator == "gmsh")
      read_gmsh(parameters, materials.size(), triangulation);
    else
      throw std::runtime_error("unknown mesh generator '" + parameters.generator + "'");
  }

  template <int dim>
  std::vector<double> predicted_cells(const MeshParameters &parameters,
                                      const std::vector<std::string> &materials)
  {
    std::vector<double> cells(materials.size(), 0.0);
    if (parameters.generator == "layers")
      for (const Layer &layer : parameters.layers)
        cells[material_index(layer.material, materials)] +=
          layer.cells * std::pow(double(parameters.lateral_cells), dim - 1);
    else if (parameters.generator == "ball")
      {
        dealii::Triangulation<dim> tria;
        make_coarse_ball(parameters, tria);
        cells[0] = tria.n_active_cells() * std::pow(2.0, dim * parameters.refinements);
      }
    else
      cells.clear();
    return cells;
  }

  template <int dim>
  double predicted_ball_boundary_faces(const MeshParameters &parameters)
  {
    if (parameters.generator != "ball")
      return 0;
    dealii::Triangulation<dim> tria;
    make_coarse_ball(parameters, tria);
    double faces = 0;
    for (const auto &face : tria.active_face_iterators())
      faces += face->at_boundary();
    return faces * std::pow(2.0, (dim - 1) * parameters.refinements);
  }

  template void generate_mesh<1>(const MeshParameters &, const std::vector<std::string> &,
                                 dealii::Triangulation<1> &);
  template void generate_mesh<2>(const MeshParameters &, const std::vector<std::string> &,
                                 dealii::Triangulation<2> &);
  template void generate_mesh<3>(const MeshParameters &, const std::vector<std::string> &,
                                 dealii::Triangulation<3> &);
  template std::vector<double> predicted_cells<1>(const MeshParameters &, const std::vector<std::string> &);
  template std::vector<double> predicted_cells<2>(const MeshParameters &, const std::vector<std::string> &);
  template std::vector<double> predicted_cells<3>(const MeshParameters &, const std::vector<std::string> &);
  template double predicted_ball_boundary_faces<1>(const MeshParameters &);
  template double predicted_ball_boundary_faces<2>(const MeshParameters &);
  template double predicted_ball_boundary_faces<3>(const MeshParameters &);
} // namespace kapitza
