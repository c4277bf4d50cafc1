#include "scattering/mode_database.h"

#include "scattering/hdf5_file.h"

#include <cmath>
#include <complex>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    using Shape = std::vector<hsize_t>;

    std::string shape_string(const Shape &shape)
    {
      std::string s = "(";
      for (unsigned int i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
      return s + ")";
    }

    // Reads a dataset after checking it has exactly the expected shape.
    void require_shape(const Hdf5File &file, const std::string &name, const Shape &expected)
    {
      const Shape actual = file.shape(name);
      if (actual != expected)
        throw std::runtime_error(file.path() + ": dataset '" + name + "' has shape " +
                                 shape_string(actual) + ", expected " +
                                 shape_string(expected));
    }

    std::vector<double> read_checked(const Hdf5File &file, const std::string &name,
                                     const Shape &expected)
    {
      require_shape(file, name, expected);
      return file.read_doubles(name);
    }

    // The result of `step`, or its error prefixed with the file's path.
    template <typename Step>
    auto naming(const std::string &path, Step step)
    {
      try
        {
          return step();
        }
      catch (const std::runtime_error &error)
        {
          throw std::runtime_error(path + ": " + error.what());
        }
    }

    void require(bool condition, const std::string &origin, const std::string &message)
    {
      if (!condition)
        throw std::runtime_error(origin + ": " + message);
    }

    template <typename Derived>
    bool all_finite(const Eigen::DenseBase<Derived> &x)
    {
      return x.allFinite();
    }

    VelocityMatrix as_vectors(const std::vector<double> &data)
    {
      return Eigen::Map<const VelocityMatrix>(data.data(), data.size() / 3, 3);
    }

    using RowMatrix3 = Eigen::Matrix<double, 3, 3, Eigen::RowMajor>;
    using ComplexRows =
      Eigen::Matrix<std::complex<double>, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    // Crystal fields (DESIGN.md section 5): masses (atoms), cell (3,3), born_charges
    // (atoms,3,3), eigenvector (N, atoms, 3) complex; the atom count comes from masses.
    void read_crystal(const Hdf5File &file, hsize_t n, ModeSet &modes)
    {
      hsize_t atoms = 0;
      if (file.has("masses"))
        {
          const Shape shape = file.shape("masses");
          require(shape.size() == 1, file.path(), "dataset 'masses' must be one-dimensional");
          atoms             = shape[0];
          const auto masses = file.read_doubles("masses");
          modes.masses      = Eigen::Map<const Eigen::VectorXd>(masses.data(), atoms);
        }
      if (file.has("cell"))
        modes.cell = Eigen::Map<const RowMatrix3>(read_checked(file, "cell", {3, 3}).data());
      if (file.has("born_charges"))
        {
          require(atoms > 0, file.path(), "'born_charges' needs the dataset 'masses'");
          const auto z = read_checked(file, "born_charges", {atoms, 3, 3});
          for (hsize_t k = 0; k < atoms; ++k)
            modes.born_charges.push_back(Eigen::Map<const RowMatrix3>(&z[9 * k]));
        }
      if (file.has("eigenvector"))
        {
          require(atoms > 0, file.path(), "'eigenvector' needs the dataset 'masses'");
          const Shape shape = file.shape("eigenvector");
          if (shape != Shape{n, atoms, 3})
            throw std::runtime_error(file.path() + ": dataset 'eigenvector' has shape " +
                                     shape_string(shape) + ", expected " +
                                     shape_string({n, atoms, 3}));
          const auto e      = file.read_complex("eigenvector");
          modes.eigenvector = Eigen::Map<const ComplexRows>(e.data(), n, 3 * atoms);
        }
    }

    void write_crystal(Hdf5File &file, const ModeSet &modes)
    {
      const hsize_t atoms = modes.masses.size();
      if (atoms > 0)
        file.write("masses", {atoms}, modes.masses.data());
      if (!modes.cell.isZero(0))
        {
          const RowMatrix3 cell = modes.cell;
          file.write("cell", {3, 3}, cell.data());
        }
      if (!modes.born_charges.empty())
        {
          std::vector<double> z;
          for (const RowMatrix3 charge : modes.born_charges)
            z.insert(z.end(), charge.data(), charge.data() + 9);
          file.write("born_charges", {atoms, 3, 3}, z.data());
        }
      if (modes.has_eigenvectors())
        {
          const ComplexRows e = modes.eigenvector;
          file.write("eigenvector", {hsize_t(modes.size()), atoms, 3}, e.data());
        }
    }
  } // namespace

  namespace
  {
    // The crystal fields of ab initio sets: consistent atom counts, finite values and
    // unit-norm eigenvectors (sum over atoms and directions of |e|^2 = 1).
    void validate_crystal(const ModeSet &modes, const std::string &origin)
    {
      const unsigned int atoms = modes.masses.size();
      require(all_finite(modes.cell), origin, "cell must be finite");
      require(modes.cell.isZero(0) || std::abs(modes.cell.determinant()) > 0, origin,
              "cell vectors are linearly dependent");
      require(atoms == 0 || (all_finite(modes.masses) && modes.masses.minCoeff() > 0), origin,
              "masses must be finite and positive");
      require(modes.born_charges.empty() || modes.born_charges.size() == atoms, origin,
              "born_charges needs one 3x3 tensor per atom of 'masses'");
      for (const auto &z : modes.born_charges)
        require(all_finite(z), origin, "born_charges must be finite");
      if (!modes.has_eigenvectors())
        return;
      require(atoms > 0, origin, "eigenvector needs the atom masses ('masses')");
      require(modes.eigenvector.rows() == modes.omega.size() &&
                modes.eigenvector.cols() == 3 * atoms,
              origin, "eigenvector must have shape (N, atoms, 3)");
      require(all_finite(modes.eigenvector), origin, "eigenvector must be finite");
      const Eigen::VectorXd norm = modes.eigenvector.rowwise().squaredNorm();
      require((norm.array() - 1).abs().maxCoeff() < 1e-8, origin,
              "eigenvectors must be normalized (sum |e|^2 = 1 per mode)");
    }
  } // namespace

  void validate_modes(const ModeSet &modes, const std::string &origin, bool require_scattering)
  {
    const unsigned int n = modes.size();
    require(n > 0, origin, "no modes");
    require(modes.temperature > 0 && std::isfinite(modes.temperature), origin,
            "temperature must be positive");
    require(all_finite(modes.omega) && modes.omega.minCoeff() > 0, origin,
            "omega must be finite and positive");
    require(all_finite(modes.velocity), origin, "velocity must be finite");
    require(all_finite(modes.density) && modes.density.minCoeff() > 0, origin,
            "density must be finite and positive");
    require(!require_scattering || modes.tau.size() > 0 || modes.has_collision(), origin,
            "needs 'tau' or 'collision'");
    require(modes.gruneisen.size() == 0 || (modes.gruneisen.size() == n && all_finite(modes.gruneisen)), origin,
            "gruneisen must have one finite value per mode");
    if (modes.tau.size() > 0)
      require(all_finite(modes.tau) && modes.tau.minCoeff() > 0, origin,
              "tau must be finite and positive (a lifetime is never negative or zero)");
    if (modes.has_collision())
      {
        require(all_finite(modes.collision), origin, "collision matrix is not finite");
        require(modes.collision.diagonal().minCoeff() > 0, origin,
                "collision matrix has a non-positive diagonal (1/tau)");
        if (modes.tau.size() > 0)
          require(((modes.collision.diagonal().cwiseProduct(modes.tau)).array() - 1.0)
                      .abs()
                      .maxCoeff() < 1e-8,
                  origin, "diagonal of 'collision' differs from 1/tau");
      }
    // Elastic walls and interfaces need a set with zero net heat current per frequency
    // (inversion or time-reversal symmetry); otherwise equilibrium would not be stationary.
    int              n_groups = 0;
    const auto       group    = modes.frequency_groups(n_groups);
    const Eigen::VectorXd c   = modes.heat_capacity();
    // Velocities that are zero up to round-off (1e-12 of the fastest mode, e.g. zone-
    // boundary modes of ab initio sets) count as zero.
    Eigen::MatrixXd  current  = Eigen::MatrixXd::Zero(n_groups, 3);
    Eigen::VectorXd  scale    = Eigen::VectorXd::Zero(n_groups);
    Eigen::VectorXd  floor    = Eigen::VectorXd::Zero(n_groups);
    const double     v_max    = modes.velocity.rowwise().norm().maxCoeff();
    for (unsigned int mu = 0; mu < n; ++mu)
      {
        current.row(group[mu]) += c[mu] * modes.velocity.row(mu);
        scale[group[mu]] += c[mu] * modes.velocity.row(mu).norm();
        floor[group[mu]] += 1e-12 * c[mu] * v_max;
      }
    for (int g = 0; g < n_groups; ++g)
      require(current.row(g).norm() <= 1e-10 * scale[g] + floor[g], origin,
              "modes of one frequency carry a net heat current at equilibrium "
              "(the set lacks inversion symmetry)");
    validate_crystal(modes, origin);
  }

  Provenance read_provenance(const Hdf5File &file, const std::string &group)
  {
    Provenance provenance;
    if (file.has(group))
      for (const std::string &key : file.attribute_names(group))
        provenance[key] = file.read_string_attribute(group, key);
    return provenance;
  }

  void write_provenance(Hdf5File &file, const std::string &group, const Provenance &provenance)
  {
    if (provenance.empty())
      return;
    file.create_group(group);
    for (const auto &[key, value] : provenance)
      file.write_attribute(group, key, value);
  }

  namespace
  {
    void require_format(const Hdf5File &file, const std::string &path)
    {
      require(file.has_attribute("/", "format") &&
                file.read_string_attribute("/", "format") == "kapitza-modes",
              path, "not a kapitza mode database (format attribute must be 'kapitza-modes')");
      require(file.read_double_attribute("/", "version") == 1, path, "unsupported version");
    }
  } // namespace

  ModeDatabaseSummary summarize_mode_database(const std::string &path)
  {
    Hdf5File file(path, Hdf5File::Mode::read);
    require_format(file, path);
    const Shape omega_shape = file.shape("omega");
    require(omega_shape.size() == 1, path, "dataset 'omega' must be one-dimensional");
    return {file.read_string_attribute("/", "material"), omega_shape[0], file.has("collision")};
  }

  ModeSet read_mode_database(const std::string &path, ConservationReport &report,
                             bool require_scattering)
  {
    Hdf5File file(path, Hdf5File::Mode::read);
    require_format(file, path);

    ModeSet modes;
    modes.material    = file.read_string_attribute("/", "material");
    modes.temperature = file.read_double_attribute("/", "temperature");
    modes.statistics  = naming(path, [&] { return parse_statistics(file.read_string_attribute("/", "statistics")); });
    modes.nominal_frequencies = file.has_attribute("/", "nominal_frequencies") &&
                                file.read_double_attribute("/", "nominal_frequencies") != 0;
    if (file.has_attribute("/", "source"))
      modes.source = file.read_string_attribute("/", "source");
    modes.provenance = read_provenance(file, "provenance");

    const Shape omega_shape = file.shape("omega");
    require(omega_shape.size() == 1, path, "dataset 'omega' must be one-dimensional");
    const hsize_t n   = omega_shape[0];
    const auto    vec = [](const std::vector<double> &d) {
      return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(d.data(), d.size()));
    };
    modes.omega    = vec(file.read_doubles("omega"));
    modes.velocity = as_vectors(read_checked(file, "velocity", {n, 3}));
    modes.density  = vec(read_checked(file, "density", {n}));
    if (file.has("tau"))
      modes.tau = vec(read_checked(file, "tau", {n}));
    if (file.has("collision"))
      {
        // Read in place (a large matrix is most of a run's memory): the file's C order
        // fills the column-major storage with the transpose, turned back in place.
        require_shape(file, "collision", {n, n});
        modes.collision.resize(n, n);
        file.read_doubles("collision", modes.collision.data());
        modes.collision.transposeInPlace();
      }
    if (file.has("wavevector"))
      modes.wavevector = as_vectors(read_checked(file, "wavevector", {n, 3}));
    if (file.has("gruneisen"))
      modes.gruneisen = vec(read_checked(file, "gruneisen", {n}));
    if (file.has("branch"))
      {
        require(file.shape("branch") == Shape{n}, path, "dataset 'branch' must have shape (N)");
        const auto b = file.read_ints("branch");
        modes.branch = Eigen::Map<const Eigen::VectorXi>(b.data(), n);
        if (file.has_attribute("branch", "labels"))
          modes.branch_labels = file.read_string_array_attribute("branch", "labels");
        require(modes.branch.minCoeff() >= 0 &&
                  (modes.branch_labels.empty() ||
                   modes.branch.maxCoeff() < int(modes.branch_labels.size())),
                path, "branch indices do not match the branch labels");
      }
    read_crystal(file, n, modes);
    validate_modes(modes, path, require_scattering);
    if (modes.has_collision())
      report = naming(path, [&] { return enforce_conservation(modes); });
    return modes;
  }

  void write_mode_database(const std::string &path, const ModeSet &modes)
  {
    validate_modes(modes, path, false);
    Hdf5File file(path, Hdf5File::Mode::create);
    file.write_attribute("/", "format", std::string("kapitza-modes"));
    file.write_attribute("/", "version", 1);
    file.write_attribute("/", "material", modes.material);
    file.write_attribute("/", "temperature", modes.temperature);
    file.write_attribute("/", "statistics", to_string(modes.statistics));
    if (modes.nominal_frequencies)
      file.write_attribute("/", "nominal_frequencies", 1);
    if (!modes.source.empty())
      file.write_attribute("/", "source", modes.source);
    write_provenance(file, "provenance", modes.provenance);
    const hsize_t n = modes.size();
    file.write("omega", {n}, modes.omega.data());
    file.write("velocity", {n, 3}, modes.velocity.data());
    file.write("density", {n}, modes.density.data());
    if (modes.tau.size() > 0)
      file.write("tau", {n}, modes.tau.data());
    if (modes.has_collision())
      {
        file.write_column_major("collision", n, n, modes.collision.data());
      }
    if (modes.wavevector.size() > 0)
      file.write("wavevector", {n, 3}, modes.wavevector.data());
    if (modes.gruneisen.size() > 0)
      file.write("gruneisen", {n}, modes.gruneisen.data());
    if (modes.branch.size() > 0)
      {
        file.write("branch", {n}, modes.branch.data());
        if (!modes.branch_labels.empty())
          file.write_attribute("branch", "labels", modes.branch_labels);
      }
    write_crystal(file, modes);
  }
} // namespace kapitza
