#include "scattering/phonon_mode_set.h"

#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    void set_crystal_fields(const ForceConstants &fc, ModeSet &modes)
    {
      modes.cell   = fc.primitive.lattice;
      modes.masses = fc.primitive.masses;
      modes.born_charges.clear();
      if (fc.born)
        modes.born_charges = fc.born->charges;
    }

    MeshModeSet mesh_mode_set(const ForceConstants &fc, const PhononMesh &mesh,
                              const std::string &material, double temperature,
                              Statistics statistics)
    {
      const unsigned int n_branch = mesh.n_branch();
      const unsigned int gamma    = mesh.index({{0, 0, 0}});
      const unsigned int n_modes  = mesh.n_q() * n_branch - 3;
      MeshModeSet        result;
      ModeSet           &modes = result.modes;
      modes.material           = material;
      modes.temperature        = temperature;
      modes.statistics         = statistics;
      modes.omega.resize(n_modes);
      modes.velocity.resize(n_modes, 3);
      modes.wavevector.resize(n_modes, 3);
      modes.branch.resize(n_modes);
      modes.eigenvector.resize(n_modes, n_branch);
      modes.density = Eigen::VectorXd::Constant(n_modes, 1 / (mesh.n_q() * fc.primitive.volume()));
      modes.branch_labels = branch_labels(n_branch);
      set_crystal_fields(fc, modes);

      const Eigen::Matrix3d b = fc.primitive.reciprocal();
      unsigned int          mu = 0;
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        for (unsigned int s = 0; s < n_branch; ++s)
          {
            const double omega = mesh.omega(q, s);
            if (q == gamma && s < 3)
              {
                result.gamma_acoustic = std::max(result.gamma_acoustic, std::abs(omega));
                continue;
              }
            if (!(omega > 0))
              {
                std::ostringstream where;
                where << "frequency " << omega / (2 * M_PI * units::terahertz) << " THz at q = ("
                      << mesh.q_fractional.row(q) << "), branch " << s + 1
                      << ": the force constants are unstable or not translationally invariant";
                throw std::runtime_error(where.str());
              }
            modes.omega[mu]          = omega;
            modes.velocity.row(mu)   = mesh.velocity[q].row(s);
            modes.wavevector.row(mu) = 2 * M_PI * mesh.q_fractional.row(q) * b;
            modes.branch[mu]         = s;
            modes.eigenvector.row(mu) = mesh.eigenvectors[q].col(s).transpose();
            result.q_index.push_back(q);
            ++mu;
          }
      return result;
    }
  } // namespace phonons
} // namespace kapitza
