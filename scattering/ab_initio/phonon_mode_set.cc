#include "scattering/ab_initio/phonon_mode_set.h"

#include "scattering/crystal_orientation.h"

#include <cmath>
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

    void check_cell_and_masses(const ModeSet &modes, const Structure &primitive, const std::string &origin)
    {
      const Eigen::Matrix3d metric = primitive.lattice * primitive.lattice.transpose();
      if (modes.masses.size() != primitive.masses.size() ||
          (modes.masses - primitive.masses).norm() > 1e-9 * primitive.masses.norm() ||
          (modes.cell * modes.cell.transpose() - metric).norm() > 1e-6 * metric.norm())
        throw std::runtime_error(origin + ": its cell and masses are not those of the force constants");
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
                where << "frequency " << omega / units::angular_terahertz << " THz at q = ("
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

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      std::string describe_mode(const MeshModeSet &set, unsigned int mu)
      {
        std::ostringstream where;
        where << "mode " << mu << " (branch " << set.modes.branch[mu] + 1 << ", "
              << set.modes.omega[mu] / units::angular_terahertz << " THz, mesh q-point "
              << set.q_index[mu] << ")";
        return where.str();
      }

      void set_lifetimes(const Eigen::VectorXd &rate, MeshModeSet &set)
      {
        set.modes.tau.resize(rate.size());
        for (Eigen::Index mu = 0; mu < rate.size(); ++mu)
          {
            if (!(rate[mu] > 0) || !std::isfinite(rate[mu]))
              throw std::runtime_error(
                describe_mode(set, mu) + " has scattering rate " + std::to_string(rate[mu]) +
                " 1/s: no finite lifetime on this mesh (use a finer mesh, Gaussian smearing or "
                "isotopes)");
            set.modes.tau[mu] = 1 / rate[mu];
          }
      }

      std::vector<Eigen::Index> mesh_modes(const MeshModeSet &set, unsigned int n_branch)
      {
        std::vector<Eigen::Index> index(set.modes.size());
        for (unsigned int mu = 0; mu < set.modes.size(); ++mu)
          index[mu] = Eigen::Index(set.q_index[mu]) * n_branch + set.modes.branch[mu];
        return index;
      }
    } // namespace

    void attach_relaxation_rates(const Eigen::MatrixXd &rates, MeshModeSet &set)
    {
      Eigen::VectorXd rate(set.modes.size());
      for (unsigned int mu = 0; mu < set.modes.size(); ++mu)
        rate[mu] = rates(set.q_index[mu], set.modes.branch[mu]);
      set_lifetimes(rate, set);
    }

    void require_matrix_modes(const std::vector<unsigned int> &matrix_modes, unsigned int n_branch,
                              const MeshModeSet &set)
    {
      const auto index = mesh_modes(set, n_branch);
      for (std::size_t mu = 0; mu < std::max(index.size(), matrix_modes.size()); ++mu)
        if (mu == index.size() || mu == matrix_modes.size() || Eigen::Index(matrix_modes[mu]) != index[mu])
          throw std::runtime_error("the collision matrix's modes (those above the frequency cutoff) are not the "
                                   "mode set's (all but the acoustic modes at Gamma) from its row " +
                                   std::to_string(mu) + " on: the force constants break the acoustic sum rule");
    }

    void attach_collision_matrix(CollisionMatrix &&matrix, unsigned int n_branch, MeshModeSet &set)
    {
      require_matrix_modes(matrix.mesh_mode, n_branch, set);
      set.modes.collision = std::move(matrix.omega);
      set_lifetimes(set.modes.collision.diagonal(), set);
    }

    void rotate_axis_to_x(unsigned int axis, ModeSet &modes)
    {
      if (axis > 2)
        throw std::runtime_error("transport axis must be x, y or z");
      // Row i of r is the new x, y, z expressed in old axes: new x = old `axis`.
      Eigen::Matrix3d r = Eigen::Matrix3d::Zero();
      for (unsigned int i = 0; i < 3; ++i)
        r(i, (axis + i) % 3) = 1;
      rotate_crystal(modes, r);
    }
  } // namespace phonons
} // namespace kapitza
