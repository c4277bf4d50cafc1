#include "scattering/ab_initio/gruneisen.h"

#include "scattering/formatted.h"

#include <cmath>
#include <complex>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      using Complex = std::complex<double>;
      using Block   = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>;

      // Mean of the equally short image vectors (fractional, primitive basis) in Cartesian [m].
      Eigen::Vector3d mean_image(const Structure &primitive, const std::vector<Eigen::Vector3d> &images)
      {
        Eigen::Vector3d sum = Eigen::Vector3d::Zero();
        for (const Eigen::Vector3d &f : images)
          sum += f;
        return primitive.lattice.transpose() * sum / double(images.size());
      }

      // sum_N Phi2(i, N) R_{i -> N} per primitive atom i [N]: the force (with the sign
      // flipped) of a unit isotropic strain with the ions clamped.
      Positions clamped_strain_force(const ForceConstants &fc)
      {
        const Supercell      &super   = fc.fc2_supercell;
        const unsigned int    n_super = super.structure.n_atoms();
        const SupercellImages images  = shortest_vectors(fc.primitive, super);
        Positions             f       = Positions::Zero(fc.primitive.n_atoms(), 3);
        for (unsigned int i = 0; i < fc.primitive.n_atoms(); ++i)
          for (unsigned int n = 0; n < n_super; ++n)
            f.row(i) += (Block(&fc.fc2[(std::size_t(i) * n_super + n) * 9]) *
                         mean_image(fc.primitive, images(i, n)))
                          .transpose();
        return f;
      }

      // The force-constant matrix at Gamma, sum over the images of each sublattice [J/m^2].
      Eigen::MatrixXd gamma_force_constants(const ForceConstants &fc)
      {
        const Supercell   &super   = fc.fc2_supercell;
        const unsigned int n_atoms = fc.primitive.n_atoms(), n_super = super.structure.n_atoms();
        Eigen::MatrixXd    k       = Eigen::MatrixXd::Zero(3 * n_atoms, 3 * n_atoms);
        for (unsigned int i = 0; i < n_atoms; ++i)
          for (unsigned int n = 0; n < n_super; ++n)
            k.block<3, 3>(3 * i, 3 * super.supercell_to_primitive[n]) +=
              Block(&fc.fc2[(std::size_t(i) * n_super + n) * 9]);
        return 0.5 * (k + k.transpose());
      }

      Eigen::VectorXd flat(const Positions &p)
      {
        return Eigen::Map<const Eigen::VectorXd>(p.data(), p.size());
      }
    } // namespace

    Positions internal_strain(const ForceConstants &fc)
    {
      const unsigned int    n = 3 * fc.primitive.n_atoms();
      const Eigen::VectorXd inverse_root_mass =
        fc.primitive.masses.cwiseSqrt().cwiseInverse().replicate(1, 3).transpose().reshaped();
      const Eigen::MatrixXd d = inverse_root_mass.asDiagonal() * gamma_force_constants(fc) *
                                inverse_root_mass.asDiagonal();
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(d);
      // Optical modes only: the three lowest (acoustic) eigenvalues are translations.
      const Eigen::MatrixXd optical = solver.eigenvectors().rightCols(n - 3);
      const Eigen::MatrixXd pseudo_inverse =
        optical * solver.eigenvalues().tail(n - 3).cwiseInverse().asDiagonal() * optical.transpose();
      const Eigen::VectorXd u = -(inverse_root_mass.asDiagonal() *
                                  (pseudo_inverse * (inverse_root_mass.asDiagonal() * flat(clamped_strain_force(fc)))));
      return Eigen::Map<const Positions>(u.data(), fc.primitive.n_atoms(), 3);
    }

    Positions strain_force(const ForceConstants &fc, const Positions &internal)
    {
      const Eigen::VectorXd f = -(flat(clamped_strain_force(fc)) + gamma_force_constants(fc) * flat(internal));
      return Eigen::Map<const Positions>(f.data(), fc.primitive.n_atoms(), 3);
    }

    GruneisenParameters::GruneisenParameters(const ForceConstants &fc)
      : n_atoms(fc.primitive.n_atoms())
      , supercell_to_primitive(fc.fc3_supercell.supercell_to_primitive)
    {
      const Supercell   &super   = fc.fc3_supercell;
      const unsigned int n_super = super.structure.n_atoms();
      if (fc.fc3.size() != std::size_t(n_atoms) * n_super * n_super * 27)
        throw std::runtime_error("Grueneisen parameters need third-order force constants");
      images                   = shortest_vectors(fc.primitive, super);
      const Positions internal = internal_strain(fc);
      for (unsigned int i = 0; i < n_atoms; ++i)
        {
          // Displacement of every supercell atom per unit strain, seen from home atom i.
          std::vector<Eigen::Vector3d> moved(n_super);
          for (unsigned int l = 0; l < n_super; ++l)
            moved[l] = mean_image(fc.primitive, images(i, l)) +
                       internal.row(super.supercell_to_primitive[l]).transpose();
          for (unsigned int j = 0; j < n_super; ++j)
            {
              Pair pair{i, j, Eigen::Matrix3d::Zero()};
              for (unsigned int l = 0; l < n_super; ++l)
                {
                  const double *phi = &fc.fc3[((std::size_t(i) * n_super + j) * n_super + l) * 27];
                  for (unsigned int ab = 0; ab < 9; ++ab)
                    pair.block(ab / 3, ab % 3) += Eigen::Map<const Eigen::Vector3d>(phi + 3 * ab).dot(moved[l]);
                }
              pair.block /= std::sqrt(fc.primitive.masses[i] * fc.primitive.masses[super.supercell_to_primitive[j]]);
              pairs.push_back(pair);
            }
        }
    }

    Eigen::MatrixXcd GruneisenParameters::strain_derivative(const Eigen::Vector3d &q) const
    {
      Eigen::MatrixXcd d = Eigen::MatrixXcd::Zero(3 * n_atoms, 3 * n_atoms);
      for (const Pair &pair : pairs)
        {
          const auto &vectors = images(pair.i, pair.j);
          Complex     phase   = 0;
          for (const Eigen::Vector3d &f : vectors)
            phase += std::polar(1.0, 2 * M_PI * q.dot(f));
          d.block<3, 3>(3 * pair.i, 3 * supercell_to_primitive[pair.j]) +=
            pair.block.cast<Complex>() * (phase / double(vectors.size()));
        }
      return (d + d.adjoint()) / 2.0;
    }

    Eigen::VectorXd GruneisenParameters::at(const Eigen::Vector3d &q, const Eigen::VectorXd &omega,
                                            const Eigen::MatrixXcd &eigenvectors) const
    {
      const Eigen::MatrixXcd derivative = strain_derivative(q);
      Eigen::VectorXd        gamma      = Eigen::VectorXd::Zero(omega.size());
      for (const auto &[begin, end] : degenerate_sets(omega))
        {
          if (omega[begin] < degeneracy_frequency) // acoustic at Gamma: omega = 0
            continue;
          const auto   e     = eigenvectors.middleCols(begin, end - begin);
          const double trace = (e.adjoint() * derivative * e).trace().real() / (end - begin);
          for (unsigned int s = begin; s < end; ++s)
            gamma[s] = -trace / (6 * omega[s] * omega[s]);
        }
      return gamma;
    }

    Eigen::MatrixXd GruneisenParameters::on_mesh(const PhononMesh &mesh) const
    {
      Eigen::MatrixXd gamma(mesh.n_q(), mesh.n_branch());
      for (unsigned int q = 0; q < mesh.n_q(); ++q)
        gamma.row(q) = at(mesh.q_fractional.row(q).transpose(), mesh.omega.row(q).transpose(), mesh.eigenvectors[q])
                         .transpose();
      return gamma;
    }

    double thermodynamic_gruneisen(const Eigen::VectorXd &gamma, const Eigen::VectorXd &heat_capacity)
    {
      return gamma.dot(heat_capacity) / heat_capacity.sum();
    }

    std::string attach_gruneisen(const Eigen::MatrixXd &gamma, std::vector<MeshModeSet> &sets)
    {
      std::string lines;
      for (MeshModeSet &set : sets)
        {
          ModeSet &modes = set.modes;
          modes.gruneisen.resize(modes.size());
          for (unsigned int mu = 0; mu < modes.size(); ++mu)
            modes.gruneisen[mu] = gamma(set.q_index[mu], modes.branch[mu]);
          lines += formatted("Grueneisen parameters (fc3, isotropic strain): heat-capacity-weighted mean "
                             "%.4f at %g K (mode values %.3f to %.3f)\n",
                             thermodynamic_gruneisen(modes.gruneisen, modes.heat_capacity()), modes.temperature,
                             modes.gruneisen.minCoeff(), modes.gruneisen.maxCoeff());
        }
      return lines;
    }

    void record_gruneisen(const ModeSet &modes, Provenance &provenance)
    {
      if (modes.gruneisen.size() > 0)
        provenance["thermodynamic_gruneisen"] =
          provenance_number(thermodynamic_gruneisen(modes.gruneisen, modes.heat_capacity()));
    }
  } // namespace phonons
} // namespace kapitza
