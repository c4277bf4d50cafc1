#include "solver/parameters.h"

#include "scattering/crystal_orientation.h"
#include "scattering/file_checks.h"

#include <deal.II/base/exceptions.h>

#include <cctype>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  void RunParameters::declare(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.declare_entry("Dimension", "1", Integer(1, 3), "1, 2 or 3");
    prm.enter_subsection("Materials");
    prm.declare_entry("Names", "", List(Anything()),
                      "material names; material index = position in this list");
    prm.declare_entry("Files", "", List(Anything()),
                      "mode databases (kapitza-modes HDF5), one per name");
    prm.declare_entry("Orientations", "", List(Anything(), 0, List::max_int_value, ";"),
                      "how each crystal sits in the mesh, ';' between materials (Names order): "
                      "'a b c, d e f' are the crystal directions (Cartesian, in the database's "
                      "axes) along the mesh's x and y, at right angles (z = x cross y), e.g. "
                      "'1 1 0, -1 1 0' turns a cubic crystal by 45 degrees about z; 'aligned': the "
                      "database's axes are the mesh's; empty: every crystal aligned");
    prm.leave_subsection();
    MeshParameters::declare(prm);
    BoundaryConditions::declare(prm);
    InterfaceParameters::declare(prm);
    prm.enter_subsection("Solver");
    prm.declare_entry("Reference temperature", "300", Double(0),
                      "T0 [K]; must equal the mode files' temperature");
    prm.declare_entry("Statistics", "bose", Selection("bose|classical"),
                      "must equal the mode files' statistics");
    prm.declare_entry("Method", "accelerated", Selection("accelerated|events|transient"),
                      "accelerated: the first Events orders, then GMRES on the remainder; "
                      "events: scattering events until they die out; transient: implicit Euler "
                      "steps from the Sources term as an initial population (subsection Transient)");
    prm.declare_entry("Events", "0", Integer(0), "number of event-resolved orders to store");
    prm.declare_entry("Tolerance", "1e-10", Double(0),
                      "accelerated: relative residual of GMRES; events: relative size of the part "
                      "of the series not yet summed, |psi^(m)| rho / (1 - rho) / |psi| with rho "
                      "the measured decay rate of the orders (the error of psi, not |psi^(m)| "
                      "alone, which is far smaller in thick media)");
    prm.declare_entry("Maximum iterations", "1000", Integer(1),
                      "Krylov iterations (accelerated) or events (events)");
    prm.declare_entry("Krylov restart", "40", Integer(1),
                      "GMRES restart length (each basis vector is one copy of the Krylov unknown)");
    prm.declare_entry("Krylov unknown", "auto", Selection("auto|state|scattering data"),
                      "what GMRES and the event series iterate on: the state psi (modes x DoFs), "
                      "or the scattering data (one mixing moment per DoF and the inflow at the "
                      "wall and interface trace points), which needs rank-one (RTA) mixing and "
                      "keeps psi out of the Krylov basis; auto: scattering data when every "
                      "material's mixing is rank-one, the state otherwise");
    prm.declare_entry("Preconditioner", "diffusion", Selection("diffusion|none"),
                      "GMRES preconditioner: synthetic diffusion acceleration or none");
    prm.declare_entry("Finite element degree", "1", Integer(0, 4), "FE_DGQ degree p");
    prm.declare_entry("Memory limit", "0", Double(0),
                      "[GB] per node; a run whose estimate (summed over the ranks of a node) "
                      "exceeds it is refused; 0: the memory available on each node (MemAvailable)");
    prm.declare_entry("Verbose", "true", Bool(), "print a progress line per iteration");
    prm.declare_entry("Cell matrix cache", "1", Double(0),
                      "[GB] per rank for the inverse cell matrices of the sweeps (a mode's "
                      "drift operator never changes, so later sweeps reuse them; modes with equal "
                      "rate and velocity along the mesh's axes share one); 0 disables");
    prm.leave_subsection();
    prm.enter_subsection("Output");
    prm.declare_entry("File", "results.h5", Anything(), "results HDF5; a .vtu is written beside it");
    prm.declare_entry("Line points", "400", Integer(1),
                      "probe points along x through the domain centre (cell-centred spacing)");
    prm.declare_entry("Line zoom", "", List(Double(), 0, 3),
                      "extra probe points: centre [m], half width [m], number of points, evenly "
                      "spaced in [centre - half width, centre + half width] (sub-nm sampling "
                      "of an interface on a long line); empty: none");
    prm.declare_entry("Frequency bins", "4", Integer(1),
                      "equal-width frequency bins for modal temperatures");
    prm.declare_entry("Write vtu", "true", Bool(), "also write a .vtu for ParaView");
    SurfaceArrivalSettings::declare(prm);
    prm.leave_subsection();
    EelsParameters::declare(prm);
    HeatSourceParameters::declare(prm);
    TransientSettings::declare(prm);
  }

  namespace
  {
    std::string resolve(const std::string &path, const std::string &folder)
    {
      return path.empty() || path[0] == '/' ? path : folder + "/" + path;
    }
  } // namespace

  void RunParameters::parse(dealii::ParameterHandler &prm, const std::string &folder)
  {
    dimension = prm.get_integer("Dimension");
    prm.enter_subsection("Materials");
    material_names = dealii::Utilities::split_string_list(prm.get("Names"));
    for (const auto &file : dealii::Utilities::split_string_list(prm.get("Files")))
      material_files.push_back(resolve(file, folder));
    const auto orientation_texts = dealii::Utilities::split_string_list(prm.get("Orientations"), ';');
    prm.leave_subsection();
    if (material_names.empty() || material_names.size() != material_files.size())
      throw std::runtime_error("Materials: Names and Files must list the same number (>= 1) of entries");
    if (!orientation_texts.empty() && orientation_texts.size() != material_names.size())
      throw std::runtime_error("Materials/Orientations needs one entry per material (" +
                               std::to_string(material_names.size()) + "), not " +
                               std::to_string(orientation_texts.size()));
    orientations.assign(material_names.size(), Eigen::Matrix3d::Identity());
    for (std::size_t m = 0; m < orientation_texts.size(); ++m)
      orientations[m] = parse_crystal_orientation(orientation_texts[m], "Materials/Orientations of " +
                                                                           material_names[m]);
    // Each name is a group of the results file (materials/<name>): checked before the run,
    // not when the file is written at its end.
    std::set<std::string> distinct;
    for (const std::string &name : material_names)
      if (!distinct.insert(name).second || name.find('/') != std::string::npos)
        throw std::runtime_error("Materials: Names must be distinct and contain no '/' (not '" +
                                 name + "')");
    mesh.parse(prm, folder);
    boundaries.parse(prm);
    interfaces.parse(prm, folder, orientations);
    prm.enter_subsection("Solver");
    reference_temperature  = prm.get_double("Reference temperature");
    statistics             = parse_statistics(prm.get("Statistics"));
    solver.method          = prm.get("Method");
    solver.events          = prm.get_integer("Events");
    solver.tolerance       = prm.get_double("Tolerance");
    if (!(solver.tolerance > 0))
      throw std::runtime_error("Solver/Tolerance must be positive (0 never converges)");
    solver.max_iterations  = prm.get_integer("Maximum iterations");
    solver.restart         = prm.get_integer("Krylov restart");
    solver.verbose         = prm.get_bool("Verbose");
    solver.preconditioner  = prm.get("Preconditioner");
    solver.unknown         = prm.get("Krylov unknown");
    solver.closed_system   = !boundaries.has_thermalizing();
    degree                 = prm.get_integer("Finite element degree");
    memory_limit           = prm.get_double("Memory limit");
    cell_cache             = prm.get_double("Cell matrix cache");
    prm.leave_subsection();
    prm.enter_subsection("Output");
    if (prm.get("File").empty())
      throw std::runtime_error("Output/File must name the results file (it is empty)");
    output_file    = resolve(prm.get("File"), folder);
    line_points    = prm.get_integer("Line points");
    line_zoom      = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Line zoom")));
    if (!line_zoom.empty() &&
        (line_zoom.size() != 3 || line_zoom[1] <= 0 || line_zoom[2] < 2 ||
         line_zoom[2] != std::floor(line_zoom[2])))
      throw std::runtime_error("Output/Line zoom needs: centre, half width > 0, points >= 2");
    frequency_bins = prm.get_integer("Frequency bins");
    write_vtu      = prm.get_bool("Write vtu");
    arrivals.parse(prm);
    prm.leave_subsection();
    eels.parse(prm);
    const bool transient_run = solver.method == "transient";
    // A transient's source is its initial population: it needs no sink.
    sources.parse(prm, dimension, material_names, boundaries, !transient_run);
    transient.parse(prm, transient_run, sources.active(), solver.events);
  }

  RunParameters read_parameters(const std::string &path)
  {
    const std::string text = read_text_file(path, "parameter file");
    // An empty input would otherwise be reported as its first missing entry.
    std::istringstream lines(text);
    bool               sets = false;
    for (std::string line; !sets && std::getline(lines, line);)
      sets = line.find_first_not_of(" \t\r") != std::string::npos &&
             line[line.find_first_not_of(" \t\r")] != '#';
    if (!sets)
      throw std::runtime_error(path + ": the parameter file is empty (it sets nothing)");
    std::istringstream       in(text);
    dealii::ParameterHandler prm;
    RunParameters::declare(prm);
    prm.parse_input(in, path);
    const auto    slash  = path.find_last_of('/');
    RunParameters result;
    result.parse(prm, slash == std::string::npos ? "." : path.substr(0, slash));
    result.identity = RunIdentity::of_input(path);
    return result;
  }

  std::string one_line(const std::exception &error)
  {
    std::string text = error.what();
    // deal.II exceptions: keep the part after "Additional information:".
    const auto info = text.find("Additional information:");
    if (info != std::string::npos)
      text = text.substr(info + 23);
    const auto tail = text.find("Stacktrace:");
    if (tail != std::string::npos)
      text = text.substr(0, tail);
    // Separator lines of dashes and all line breaks collapse into single spaces.
    std::string line;
    for (std::size_t k = 0; k < text.size(); ++k)
      {
        const bool dashes = text.compare(k, 4, "----") == 0;
        const char c      = dashes || std::isspace(static_cast<unsigned char>(text[k])) ? ' ' : text[k];
        while (dashes && k + 1 < text.size() && text[k + 1] == '-')
          ++k;
        if (c != ' ' || (!line.empty() && line.back() != ' '))
          line += c;
      }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    return line;
  }
} // namespace kapitza
