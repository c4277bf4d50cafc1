#include "scattering/mode_database.h"

#include "solver/hdf5_file.h"

#include <cmath>
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
    std::vector<double> read_checked(const Hdf5File &file, const std::string &name,
                                     const Shape &expected)
    {
      const Shape actual = file.shape(name);
      if (actual != expected)
        throw std::runtime_error(file.path() + ": dataset '" + name + "' has shape " +
                                 shape_string(actual) + ", expected " +
                                 shape_string(expected));
      return file.read_doubles(name);
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
  } // namespace

  void validate_modes(const ModeSet &modes, const std::string &origin)
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
    require(modes.tau.size() > 0 || modes.has_collision(), origin,
            "needs 'tau' or 'collision'");
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
    Eigen::MatrixXd  current  = Eigen::MatrixXd::Zero(n_groups, 3);
    Eigen::VectorXd  scale    = Eigen::VectorXd::Zero(n_groups);
    for (unsigned int mu = 0; mu < n; ++mu)
      {
        current.row(group[mu]) += c[mu] * modes.velocity.row(mu);
        scale[group[mu]] += c[mu] * modes.velocity.row(mu).norm();
      }
    for (int g = 0; g < n_groups; ++g)
      require(current.row(g).norm() <= 1e-10 * scale[g], origin,
              "modes of one frequency carry a net heat current at equilibrium "
              "(the set lacks inversion symmetry)");
  }

  ModeSet read_mode_database(const std::string &path, ConservationReport &report)
  {
    Hdf5File file(path, Hdf5File::Mode::read);
    require(file.has_attribute("/", "format") &&
              file.read_string_attribute("/", "format") == "kapitza-modes",
            path, "not a kapitza mode database (format attribute must be 'kapitza-modes')");
    require(file.read_double_attribute("/", "version") == 1, path, "unsupported version");

    ModeSet modes;
    modes.material    = file.read_string_attribute("/", "material");
    modes.temperature = file.read_double_attribute("/", "temperature");
    modes.statistics  = parse_statistics(file.read_string_attribute("/", "statistics"));
    modes.nominal_frequencies = file.has_attribute("/", "nominal_frequencies") &&
                                file.read_double_attribute("/", "nominal_frequencies") != 0;

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
        const auto data = read_checked(file, "collision", {n, n});
        modes.collision = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic,
                                                         Eigen::Dynamic, Eigen::RowMajor>>(
          data.data(), n, n);
      }
    if (file.has("wavevector"))
      modes.wavevector = as_vectors(read_checked(file, "wavevector", {n, 3}));
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
    validate_modes(modes, path);
    if (modes.has_collision())
      try
        {
          report = enforce_conservation(modes);
        }
      catch (const std::runtime_error &error)
        {
          throw std::runtime_error(path + ": " + error.what());
        }
    return modes;
  }

  void write_mode_database(const std::string &path, const ModeSet &modes)
  {
    validate_modes(modes, path);
    Hdf5File file(path, Hdf5File::Mode::create);
    file.write_attribute("/", "format", std::string("kapitza-modes"));
    file.write_attribute("/", "version", 1);
    file.write_attribute("/", "material", modes.material);
    file.write_attribute("/", "temperature", modes.temperature);
    file.write_attribute("/", "statistics", to_string(modes.statistics));
    if (modes.nominal_frequencies)
      file.write_attribute("/", "nominal_frequencies", 1);
    const hsize_t n = modes.size();
    file.write("omega", {n}, modes.omega.data());
    file.write("velocity", {n, 3}, modes.velocity.data());
    file.write("density", {n}, modes.density.data());
    if (modes.tau.size() > 0)
      file.write("tau", {n}, modes.tau.data());
    if (modes.has_collision())
      {
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows =
          modes.collision;
        file.write("collision", {n, n}, rows.data());
      }
    if (modes.wavevector.size() > 0)
      file.write("wavevector", {n, 3}, modes.wavevector.data());
    if (modes.branch.size() > 0)
      {
        file.write("branch", {n}, modes.branch.data());
        if (!modes.branch_labels.empty())
          file.write_attribute("branch", "labels", modes.branch_labels);
      }
  }
} // namespace kapitza
