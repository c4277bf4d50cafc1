#include "solver/heat_source.h"

#include "scattering/formatted.h"
#include "solver/parameters.h"

#include <deal.II/base/function_parser.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Quadrature points per direction beyond degree + 1: a gaussian narrower than a cell
    // still deposits (nearly) its power, and the projection of a smooth S is exact to
    // well below the discretization error.
    constexpr unsigned int extra_quadrature_points = 3;

    const char *const axis_names[3] = {"x", "y", "z"};

    std::runtime_error bad(const std::string &what)
    {
      return std::runtime_error("Sources/" + what);
    }

    // The parser of Function, made once per process (FunctionParser is not copyable).
    // deal.II prints muparser's report to std::cerr before it throws: that text is held
    // back, the exception gives the one line.
    std::shared_ptr<dealii::FunctionParser<3>> make_parser(const std::string &expression)
    {
      auto               parser = std::make_shared<dealii::FunctionParser<3>>();
      std::ostringstream held_back;
      std::streambuf    *cerr_buffer = std::cerr.rdbuf(held_back.rdbuf());
      try
        {
          parser->initialize("x,y,z", expression, {});
          parser->value(dealii::Point<3>()); // muparser reports syntax errors on first use
        }
      catch (const std::exception &error)
        {
          std::cerr.rdbuf(cerr_buffer);
          throw bad("Function '" + expression + "' is not an expression in x, y, z: " + one_line(error));
        }
      std::cerr.rdbuf(cerr_buffer);
      return parser;
    }
  } // namespace

  void HeatSourceParameters::declare(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.enter_subsection("Sources");
    prm.declare_entry("Profile", "none", Selection("none|gaussian|uniform|function"),
                      "volumetric heat source S(r) [W/m^3], emitted into the modes as the "
                      "relaxation emits (sum_mu e_mu G_mu = S); a steady run needs a thermalizing wall; "
                      "Solver/Method = transient starts from it as the initial population");
    prm.declare_entry("Density", "0", Double(), "[W/m^3] gaussian peak or uniform value");
    prm.declare_entry("Centre", "0, 0, 0", List(Double(), 3, 3), "gaussian centre [m]");
    prm.declare_entry("Width", "0", Double(), "gaussian standard deviation [m]");
    prm.declare_entry("Region", "", Anything(),
                      "material name the source is confined to (any profile); empty: every region");
    prm.declare_entry("Function", "", Anything(),
                      "function: S(x, y, z) [W/m^3] as a deal.II FunctionParser expression");
    prm.leave_subsection();
  }

  void HeatSourceParameters::parse(dealii::ParameterHandler &prm, unsigned int dimension,
                                   const std::vector<std::string> &material_names,
                                   const BoundaryConditions &boundaries, bool needs_sink)
  {
    prm.enter_subsection("Sources");
    profile  = prm.get("Profile");
    density  = prm.get_double("Density");
    centre   = dealii::Utilities::string_to_double(dealii::Utilities::split_string_list(prm.get("Centre")));
    width    = prm.get_double("Width");
    region   = prm.get("Region");
    function = prm.get("Function");
    prm.leave_subsection();
    // An entry the profile does not use is a mistake (a forgotten Profile, a Width for a
    // uniform source), never silently ignored.
    const bool gaussian = profile == "gaussian", uniform = profile == "uniform";
    const struct
    {
      const char *name;
      bool        set, used;
    } entries[] = {{"Density", density != 0, gaussian || uniform},
                   {"Centre", centre != std::vector<double>{0, 0, 0}, gaussian},
                   {"Width", width != 0, gaussian},
                   {"Region", !region.empty(), active()},
                   {"Function", !function.empty(), profile == "function"}};
    for (const auto &entry : entries)
      if (entry.set && !entry.used)
        throw bad(std::string(entry.name) + " is not used by Profile = " + profile);
    if (!active())
      return;
    if ((gaussian || uniform) && !(std::isfinite(density) && density != 0))
      throw bad("Density must be a finite, non-zero power density [W/m^3] for Profile = " + profile);
    if (gaussian && !(std::isfinite(width) && width > 0))
      throw bad("Width (the gaussian's standard deviation) must be positive and finite");
    for (unsigned int d = 0; d < 3; ++d)
      if (!std::isfinite(centre[d]) || (d >= dimension && centre[d] != 0))
        throw bad(std::string("Centre: its ") + axis_names[d] + " component must be finite" +
                  (d >= dimension ? " and 0 in dimension " + std::to_string(dimension) : ""));
    if (profile == "function" && function.empty())
      throw bad("Function is empty: Profile = function needs an expression in x, y, z [W/m^3]");
    if (!region.empty())
      {
        const auto found = std::find(material_names.begin(), material_names.end(), region);
        if (found == material_names.end())
          throw bad("Region '" + region + "' is not a material of Materials/Names");
        region_index = found - material_names.begin();
      }
    if (needs_sink && !boundaries.has_thermalizing())
      throw bad("Profile = " + profile + " needs a thermalizing wall: without one the heat has no "
                "way out (a periodic jump removes none) and there is no steady state");
    if (profile == "function")
      parser = make_parser(function);
  }

  double HeatSourceParameters::value(const Eigen::Vector3d &point) const
  {
    if (profile == "uniform")
      return density;
    if (profile == "gaussian")
      {
        const Eigen::Vector3d offset = point - Eigen::Vector3d(centre[0], centre[1], centre[2]);
        return density * std::exp(-offset.squaredNorm() / (2 * width * width));
      }
    if (profile == "function")
      {
        if (!parser)
          throw std::logic_error("Sources: a function profile used before parse() made its parser");
        return parser->value(dealii::Point<3>(point[0], point[1], point[2]));
      }
    return 0;
  }

  std::string HeatSourceParameters::summary() const
  {
    std::string text = profile;
    if (profile == "function")
      text += " S = " + function + " W/m^3";
    else if (profile != "none")
      text += formatted(" %.6g W/m^3", density);
    if (profile == "gaussian")
      text += formatted(" at (%g, %g, %g) m, standard deviation %g m", centre[0], centre[1], centre[2], width);
    if (!region.empty())
      text += ", in " + region;
    return text;
  }

  Eigen::VectorXd source_emission(const ModeSet &modes)
  {
    const Eigen::VectorXd rate = modes.relaxation_rate();
    return modes.uniform_shift().cwiseProduct(rate) / modes.heat_capacity().dot(rate);
  }

  template <int dim>
  std::vector<Eigen::VectorXd> project_heat_source(const HeatSourceParameters &source,
                                                   const DriftGeometry<dim>   &geometry)
  {
    const auto &fe = geometry.finite_element();
    const int   nd = fe.n_dofs_per_cell();
    dealii::FEValues<dim> values(geometry.mapping(), fe, dealii::QGauss<dim>(fe.degree + 1 + extra_quadrature_points),
                                 dealii::update_values | dealii::update_quadrature_points |
                                   dealii::update_JxW_values);
    std::vector<Eigen::VectorXd> projected(geometry.regions().size());
    for (unsigned int r = 0; r < projected.size(); ++r)
      {
        if (!source.active() || (source.region_index >= 0 && int(r) != source.region_index))
          continue;
        const DriftRegion<dim> &region = geometry.regions()[r];
        projected[r].resize(region.n_dofs());
        for (unsigned int c = 0; c < region.cells.size(); ++c)
          {
            values.reinit(region.cells[c]);
            Eigen::VectorXd load = Eigen::VectorXd::Zero(nd);
            for (unsigned int q = 0; q < values.n_quadrature_points; ++q)
              {
                Eigen::Vector3d point = Eigen::Vector3d::Zero();
                for (int d = 0; d < dim; ++d)
                  point[d] = values.quadrature_point(q)[d];
                const double s = source.value(point);
                if (!std::isfinite(s)) // only a Function can be: Density is checked
                  throw bad(formatted("Function '%s' is not finite at (%g, %g, %g) m", source.function.c_str(),
                                      point[0], point[1], point[2]));
                for (int i = 0; i < nd; ++i)
                  load[i] += s * values.shape_value(i, q) * values.JxW(q);
              }
            // The mass matrix is symmetric positive definite: M_K S_K = int phi S.
            projected[r].segment(c * nd, nd) = region.cell_data[c].mass.llt().solve(load);
          }
      }
    return projected;
  }

  const char *power_unit(int dim)
  {
    return dim == 1 ? "W/m^2" : dim == 2 ? "W/m" : "W";
  }

  template std::vector<Eigen::VectorXd> project_heat_source<1>(const HeatSourceParameters &, const DriftGeometry<1> &);
  template std::vector<Eigen::VectorXd> project_heat_source<2>(const HeatSourceParameters &, const DriftGeometry<2> &);
  template std::vector<Eigen::VectorXd> project_heat_source<3>(const HeatSourceParameters &, const DriftGeometry<3> &);
} // namespace kapitza
