#include "solver/eels/scattering_weights.h"

#include "solver/eels/eels_parameters.h"

#include <cmath>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    void require_crystal_data(const ModeSet &modes)
    {
      const auto fail = [&](const std::string &what) {
        throw std::runtime_error("EELS Weights = dipole needs eigenvectors, masses and Born charges, "
                                 "but material '" + modes.material + "' " + what);
      };
      std::string missing;
      for (const auto &[absent, name] : {std::pair<bool, const char *>{!modes.has_eigenvectors(), "eigenvectors"},
                                         {modes.masses.size() == 0, "masses"},
                                         {modes.born_charges.empty(), "Born charges"}})
        if (absent)
          missing += (missing.empty() ? "" : ", ") + std::string(name);
      if (!missing.empty())
        fail("lacks " + missing + " (use Weights = dos)");
      const Eigen::Index atoms = modes.masses.size();
      if (modes.eigenvector.rows() != modes.omega.size() || modes.eigenvector.cols() != 3 * atoms ||
          Eigen::Index(modes.born_charges.size()) != atoms)
        fail("has eigenvectors of shape (" + std::to_string(modes.eigenvector.rows()) + ", " +
             std::to_string(modes.eigenvector.cols()) + "), " + std::to_string(atoms) + " masses and " +
             std::to_string(modes.born_charges.size()) + " Born charges (expected (N, 3 atoms), atoms, atoms)");
      if (modes.masses.minCoeff() <= 0)
        fail("has a non-positive mass");
    }
  } // namespace

  Eigen::VectorXd scattering_weights(const ModeSet &modes, const EelsParameters &parameters)
  {
    if (parameters.weights == "dos")
      return Eigen::VectorXd::Ones(modes.size());
    if (parameters.weights != "dipole")
      throw std::runtime_error("EELS: unknown Weights '" + parameters.weights + "' (use dos or dipole)");
    require_crystal_data(modes);
    const double          theta = parameters.collection_angle * M_PI / 180;
    const Eigen::Vector3d q(std::sin(theta), std::cos(theta), 0); // off-axis direction
    Eigen::VectorXd       f(modes.size());
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        Eigen::Vector3cd a = Eigen::Vector3cd::Zero(); // effective dipole of the mode
        for (Eigen::Index k = 0; k < modes.masses.size(); ++k)
          a += modes.born_charges[k].cast<std::complex<double>>() *
               modes.eigenvector.row(mu).segment<3>(3 * k).transpose() / std::sqrt(modes.masses[k]);
        f[mu] = parameters.off_axis ? std::norm(q.cast<std::complex<double>>().dot(a)) :
                                      0.5 * (std::norm(a[0]) + std::norm(a[1]));
      }
    return f;
  }
} // namespace kapitza
