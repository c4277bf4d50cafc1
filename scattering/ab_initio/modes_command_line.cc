#include "scattering/ab_initio/modes_command_line.h"

#include "scattering/units.h"

#include <stdexcept>

namespace kapitza
{
  namespace
  {
    /// Mesh divisions per axis beyond this are refused outright (the memory estimate refuses
    /// far smaller meshes on any machine; this keeps the q-point count an unsigned int).
    constexpr int largest_mesh_division = 1000;

    std::array<int, 3> mesh_size(CommandLineOptions &options)
    {
      const std::vector<int> n = options.integers("--mesh", 3, 1, largest_mesh_division);
      return {{n[0], n[1], n[2]}};
    }

    // `text` is the smearing as the command line gave it (widths in THz), for the provenance:
    // converted back from rad/s a width would not read as typed.
    phonons::Smearing smearing(CommandLineOptions &options, std::string &text)
    {
      text = "tetrahedron";
      if (!options.has("--smearing"))
        return phonons::Smearing();
      const auto words = options.take("--smearing", 1, 2);
      text             = words[0] + (words.size() == 2 ? " " + words[1] : "");
      if (words[0] == "gaussian" && words.size() == 2 && words[1] != "adaptive")
        {
          const double width = parse_number("--smearing", words[1]);
          if (!(width > 0))
            throw std::runtime_error("option --smearing needs a positive width [THz], not '" + words[1] + "'");
          text += " THz";
          return phonons::parse_smearing("gaussian", std::to_string(units::angular_terahertz * width));
        }
      if (text != "tetrahedron" && text != "gaussian adaptive")
        throw std::runtime_error("option --smearing must be tetrahedron, gaussian WIDTH_THz or gaussian "
                                 "adaptive, not '" + text + "'");
      return phonons::parse_smearing(words[0], words.size() == 2 ? words[1] : "");
    }
  } // namespace

  const char *const modes_usage = R"(  kapitza-modes --fc DIR --mesh N1 N2 N3 --out F.h5 [--temperature T...]
                [--statistics bose|classical] [--collision none|rta|full]
                [--assembly mean-of-views|own-view]
                [--smearing tetrahedron | gaussian WIDTH_THz | gaussian adaptive]
                [--isotopes] [--transport-axis x|y|z] [--material NAME] [--cache DIR]
                [--eels-born BORN] [--lifetimes-from COARSE.h5] [--partner-mesh N1 N2 N3]
      phonons of a phono3py folder (phono3py_params.yaml, fc2.hdf5, fc3.hdf5 for
      scattering, BORN when present) or a ShengBTE folder (CONTROL,
      FORCE_CONSTANTS_2ND/3RD; docs/force_constants.md) on the full Gamma-centred mesh, with three-phonon
      (and isotope) relaxation times (rta) or the full collision matrix (full) at T.
      --assembly: how the full matrix's rows take a process's rate: each row its own mode's
      view, symmetrized and projected as a whole (own-view, phono3py's; nearer the q-mesh
      limit at equal mesh), or the mean of its three modes' views with a per-process energy
      projection (mean-of-views: positive semidefinite by construction). A matrix whose LBTE
      solve meets a direction of non-positive curvature is refused, before it is written.
      Several temperatures write one database each, to --out with {T} replaced by the
      temperature (%g), each exactly what a run at that temperature alone writes (and
      caches); |V|^2 and the delta weights are computed once (full: one N x N matrix per
      temperature in memory).
      --transport-axis z rotates the crystal so that its z (the c axis of hexagonal
      cells) becomes the solver's x. Run it under mpirun to share the q-points.
      --eels-born stores Born charges (phonopy BORN format) for the EELS dipole weights
      only, without a non-analytic correction: for force constants from potentials
      without long-range dipoles, whose phonons must stay as the potential gives them.
      --lifetimes-from: harmonic phonons on --mesh, lifetimes interpolated from an rta set
      of the same force constants on a coarser mesh ({T} as in --out; docs/results.md).
      --partner-mesh (rta): every mode of --mesh gets its rate at its own q, with the sums
      over partner q-points on this sub-mesh (each size divides --mesh's) and its delta
      weights: (sub-mesh / mesh) of the three-phonon work (docs/results.md).
      The memory the run needs is estimated before any q-mesh is built; a run that would
      not fit in the memory available on its node is refused at once.
  kapitza-modes --import-phono3py-kappa KAPPA.hdf5 --fc DIR --out F.h5 [--temperature T]
                [--statistics bose|classical] [--material NAME] [--transport-axis A]
      phono3py's RTA lifetimes unfolded to the full mesh (DIR gives the crystal).
  kapitza-modes --kappa F.h5 [--fc DIR]
      The database's provenance (one `key = value` a line), then its RTA and (with a
      collision matrix) full linearized conductivity.
Every database records its provenance (docs/results.md): program, version, date, the
force constants (with the fc2 and fc3 conventions as read and as used) and the options
that decide the modes, with the values as used.
The conductivities are printed as computed and averaged over the crystal's point group
(the latter needs the atomic positions: given by --fc, which for --kappa must be the
folder the database was built from). With a collision matrix, the relaxation-time kappa
is that of 1/tau = the matrix diagonal, which is not the --collision rta kappa
(docs/results.md, "Mode databases").
The three acoustic modes at Gamma (omega = 0) carry no heat and are left out.
)";

  const std::vector<OptionHelp> modes_options_help = {
    {"--fc DIR", "force-constant folder, phono3py or ShengBTE (with --kappa: the folder the "
                 "database was built from, for the point-group average)", ""},
    {"--mesh N1 N2 N3", "Gamma-centred q-mesh", ""},
    {"--out F.h5", "the database; {T} becomes each temperature", ""},
    {"--temperature T...", "temperatures [K], one database each", "300"},
    {"--statistics bose|classical", "phonon occupations", "bose"},
    {"--collision none|rta|full", "harmonic modes only, relaxation times, or the full collision "
                                  "matrix", "none"},
    {"--assembly mean-of-views|own-view", "rows of the full matrix: the mean of a process's three views, or "
                                          "each mode's own view (phono3py's); only with --collision full",
     phonons::to_string(phonons::CollisionOptions{}.assembly)},
    {"--smearing METHOD [WIDTH]", "delta functions: tetrahedron, gaussian WIDTH_THz or gaussian "
                                  "adaptive", "tetrahedron"},
    {"--isotopes", "add isotope scattering (natural abundances)", "off"},
    {"--transport-axis x|y|z", "crystal axis that becomes the solver's x", "x"},
    {"--material NAME", "material name stored in the database", "the --fc folder's name"},
    {"--cache DIR", "reuse the database of an identical earlier run (same input bytes, program "
                    "and options)", "no cache"},
    {"--eels-born BORN", "Born charges for the EELS dipole weights only", "none"},
    {"--lifetimes-from COARSE.h5", "rates interpolated from a coarser rta database ({T} as in --out)",
     "computed on --mesh"},
    {"--partner-mesh N1 N2 N3", "the rates' sums over partner q-points on this sub-mesh of --mesh (rta)",
     "--mesh"},
    {"--import-phono3py-kappa KAPPA.hdf5", "phono3py's RTA lifetimes instead of kapitza's own", ""},
    {"--kappa F.h5", "print a database's provenance and conductivities", ""},
    {"--help", "this text", ""}};

  unsigned int transport_axis(CommandLineOptions &options)
  {
    return options.choice("--transport-axis", "x", {"x", "y", "z"})[0] - 'x';
  }

  Statistics statistics(CommandLineOptions &options)
  {
    return parse_statistics(options.choice("--statistics", "bose", {"bose", "classical"}));
  }

  ModesRequest read_modes_request(CommandLineOptions &options)
  {
    ModesRequest request;
    request.mesh                 = mesh_size(options);
    request.collision.statistics = statistics(options);
    request.collision.smearing   = smearing(options, request.smearing_text);
    request.collision.isotopes   = options.flag("--isotopes");
    request.kind                 = options.choice("--collision", "none", {"none", "rta", "full"});
    if (options.has("--assembly") && request.kind != "full")
      throw std::runtime_error("option --assembly needs --collision full (the rates are each mode's own view)");
    request.collision.assembly = phonons::parse_collision_assembly(
      options.choice("--assembly", phonons::to_string(request.collision.assembly), {"mean-of-views", "own-view"}));
    request.axis                 = transport_axis(options);
    request.eels_born            = options.text("--eels-born", "");
    request.lifetimes_from       = options.text("--lifetimes-from", "");
    if (options.has("--partner-mesh"))
      {
        if (request.kind != "rta")
          throw std::runtime_error("option --partner-mesh needs --collision rta" +
                                   std::string(request.kind == "full" ? " (the full matrix couples every mode of "
                                                                        "its mesh)" : ""));
        if (!request.lifetimes_from.empty())
          throw std::runtime_error("options --partner-mesh and --lifetimes-from exclude each other (rates "
                                   "computed here, or interpolated from a coarse database)");
        const std::vector<int> n = options.integers("--partner-mesh", 3, 1, largest_mesh_division);
        const std::array<int, 3> sub = phonons::partner_mesh(request.mesh, {{n[0], n[1], n[2]}});
        if (sub != request.mesh) // the mesh itself is no sub-mesh: the default
          request.collision.partner_mesh = sub;
      }
    options.finish();
    if (!request.lifetimes_from.empty() &&
        (request.kind != "rta" || request.collision.isotopes || request.smearing_text != "tetrahedron"))
      throw std::runtime_error("--lifetimes-from needs --collision rta and takes the smearing and isotopes "
                               "of its coarse database (no --smearing or --isotopes)");
    return request;
  }
} // namespace kapitza
