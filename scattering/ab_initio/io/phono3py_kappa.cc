#include "scattering/ab_initio/io/phono3py_kappa.h"

#include "scattering/ab_initio/crystal_symmetry.h"
#include "scattering/ab_initio/harmonic_phonons.h"
#include "scattering/hdf5_file.h"

#include <cmath>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      [[noreturn]] void fail(const std::string &path, const std::string &message)
      {
        throw std::runtime_error(path + ": " + message);
      }

      std::vector<double> read_shaped(const Hdf5File &file, const std::string &name,
                                      const std::vector<hsize_t> &shape)
      {
        if (file.shape(name) != shape)
          fail(file.path(), "dataset '" + name + "' does not have the shape of 'frequency'");
        return file.read_doubles(name);
      }

      // One operation on q (fractional) and on Cartesian vectors.
      struct ReciprocalOperation
      {
        Eigen::Matrix3d on_q;
        Eigen::Matrix3d on_vectors;
      };

      std::vector<ReciprocalOperation> reciprocal_operations(const Structure &primitive,
                                                             const std::string &origin)
      {
        const CrystalSymmetry            symmetry = crystal_symmetry(primitive, origin);
        std::vector<ReciprocalOperation> operations;
        for (const double sign : {1.0, -1.0}) // time reversal: q -> -q, v -> -v
          for (unsigned int op = 0; op < symmetry.size(); ++op)
            operations.push_back(
              {sign * symmetry.rotations[op].cast<double>().inverse().transpose(),
               sign * symmetry.cartesian_rotation(op, primitive)});
        return operations;
      }

      // Where each grid point comes from: (irreducible point, operation).
      struct Origin
      {
        int irreducible = -1, operation = -1;
      };

      std::vector<Origin> unfold(const std::vector<double> &qpoints,
                                 const std::vector<int> &weights, const PhononMesh &grid,
                                 const std::vector<ReciprocalOperation> &operations,
                                 const std::string &path)
      {
        std::vector<Origin> origin(grid.n_q());
        for (unsigned int i = 0; i < weights.size(); ++i)
          {
            const Eigen::Vector3d q(qpoints[3 * i], qpoints[3 * i + 1], qpoints[3 * i + 2]);
            int reached = 0;
            for (unsigned int op = 0; op < operations.size(); ++op)
              {
                const Eigen::Vector3d image = operations[op].on_q * q;
                std::array<int, 3>    address;
                for (unsigned int d = 0; d < 3; ++d)
                  {
                    const double a = image[d] * grid.size[d];
                    address[d]     = std::lround(a);
                    if (std::abs(a - address[d]) > 1e-6)
                      fail(path, "q-point " + std::to_string(i) +
                                   " or its symmetry images are off the mesh");
                  }
                const unsigned int g = grid.index(address);
                if (origin[g].irreducible == int(i))
                  continue;
                if (origin[g].irreducible >= 0)
                  fail(path, "irreducible q-points " + std::to_string(origin[g].irreducible) +
                               " and " + std::to_string(i) + " are equivalent");
                origin[g] = {int(i), int(op)};
                ++reached;
              }
            if (reached != weights[i])
              fail(path, "q-point " + std::to_string(i) + " has weight " +
                           std::to_string(weights[i]) + " but " + std::to_string(reached) +
                           " symmetry images on the mesh");
          }
        return origin;
      }
    } // namespace

    ModeSet import_phono3py_kappa(const std::string &path, const Structure &primitive,
                                  const std::string &material, Statistics statistics,
                                  std::optional<double> temperature)
    {
      const Hdf5File file(path, Hdf5File::Mode::read);
      const auto     frequency_shape = file.shape("frequency");
      if (frequency_shape.size() != 2 || frequency_shape[1] != 3 * primitive.n_atoms())
        fail(path, "'frequency' must have shape (q-points, " +
                     std::to_string(3 * primitive.n_atoms()) + ") for this crystal");
      const hsize_t n_irr = frequency_shape[0], n_branch = frequency_shape[1];
      const auto    temperatures = file.read_doubles("temperature");
      int           t            = temperatures.size() == 1 && !temperature ? 0 : -1;
      for (unsigned int i = 0; temperature && i < temperatures.size(); ++i)
        if (std::abs(temperatures[i] - *temperature) < 1e-6)
          t = i;
      if (t < 0)
        fail(path, "choose one of its temperatures (the requested one is not there)");

      const auto mesh_size = file.read_ints("mesh");
      if (mesh_size.size() != 3)
        fail(path, "'mesh' must have three entries");
      const PhononMesh grid = mesh_points({{mesh_size[0], mesh_size[1], mesh_size[2]}});
      const auto frequency = file.read_doubles("frequency");
      const auto velocity  = read_shaped(file, "group_velocity", {n_irr, n_branch, 3});
      const auto qpoints   = read_shaped(file, "qpoint", {n_irr, 3});
      const auto weights   = file.read_ints("weight");
      const auto gamma_all = read_shaped(file, "gamma", {temperatures.size(), n_irr, n_branch});
      if (weights.size() != n_irr)
        fail(path, "dataset 'weight' does not have one entry per q-point");

      const auto operations = reciprocal_operations(primitive, path);
      const auto origin     = unfold(qpoints, weights, grid, operations, path);
      const unsigned int n_q = grid.n_q();

      ModeSet modes;
      modes.material      = material;
      modes.temperature   = temperatures[t];
      modes.statistics    = statistics;
      modes.source        = phono3py_kappa_source;
      modes.branch_labels = branch_labels(n_branch);
      std::vector<double> omega, tau, v, k;
      std::vector<int>    branch;
      const double        cutoff = 1e-4; // THz, phono3py's cutoff frequency
      modes.provenance["frequency_cutoff"] = provenance_number(cutoff, "THz");
      const Eigen::Matrix3d b     = primitive.reciprocal();
      for (unsigned int g = 0; g < n_q; ++g)
        {
          if (origin[g].irreducible < 0)
            fail(path, "the irreducible q-points do not cover the mesh");
          const std::size_t          i  = origin[g].irreducible;
          const ReciprocalOperation &op = operations[origin[g].operation];
          const Eigen::Vector3d      q  = grid.q_fractional.row(g).transpose();
          for (unsigned int s = 0; s < n_branch; ++s)
            {
              const double f = frequency[i * n_branch + s];
              if (f < cutoff)
                continue;
              const double gamma = gamma_all[(t * n_irr + i) * n_branch + s];
              if (!(gamma > 0))
                fail(path, "linewidth gamma is not positive for q-point " + std::to_string(i) +
                             ", branch " + std::to_string(s));
              const Eigen::Vector3d v_irr(&velocity[(i * n_branch + s) * 3]);
              const Eigen::Vector3d v_g = op.on_vectors * v_irr * (units::terahertz * units::angstrom);
              const Eigen::Vector3d k_g = 2 * M_PI * b.transpose() * q;
              omega.push_back(f * units::angular_terahertz);
              tau.push_back(1 / (2 * gamma * units::angular_terahertz));
              v.insert(v.end(), v_g.data(), v_g.data() + 3);
              k.insert(k.end(), k_g.data(), k_g.data() + 3);
              branch.push_back(s);
            }
        }
      const unsigned int n = omega.size();
      modes.omega          = Eigen::Map<Eigen::VectorXd>(omega.data(), n);
      modes.tau            = Eigen::Map<Eigen::VectorXd>(tau.data(), n);
      modes.velocity       = Eigen::Map<VelocityMatrix>(v.data(), n, 3);
      modes.wavevector     = Eigen::Map<VelocityMatrix>(k.data(), n, 3);
      modes.branch         = Eigen::Map<Eigen::VectorXi>(branch.data(), n);
      modes.density        = Eigen::VectorXd::Constant(n, 1 / (n_q * primitive.volume()));
      return modes;
    }
  } // namespace phonons
} // namespace kapitza
