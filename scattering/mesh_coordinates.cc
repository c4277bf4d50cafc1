#include "scattering/mesh_coordinates.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    /// A wavevector component off the mesh by more than this (in mesh steps) means the
    /// cell or the mesh does not belong to the wavevectors (e.g. another axis order).
    constexpr double mesh_tolerance = 1e-6;
  } // namespace

  Eigen::Vector3i provenance_q_mesh(const ModeSet &modes, const std::string &file)
  {
    const auto entry = modes.provenance.find("q_mesh");
    if (entry == modes.provenance.end())
      throw std::runtime_error(file + ": no q_mesh in its provenance (not a kapitza-modes database)");
    std::istringstream words(entry->second);
    Eigen::Vector3i    n;
    if (!(words >> n[0] >> n[1] >> n[2]) || n.minCoeff() < 1)
      throw std::runtime_error(file + ": provenance q_mesh '" + entry->second + "' is not three positive counts");
    return n;
  }

  Eigen::MatrixX3i mesh_addresses(const ModeSet &modes, const Eigen::Vector3i &n, const std::string &file)
  {
    if (modes.wavevector.rows() != modes.size() || modes.cell.isZero())
      throw std::runtime_error(file + ": needs wavevectors and the cell (an ab initio set)");
    Eigen::MatrixX3i addresses(modes.size(), 3);
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      {
        // x_i = q . a_i n_i / (2 pi): q = sum_i x_i b_i / n_i with a_i . b_j = 2 pi delta_ij.
        const Eigen::Vector3d x =
          (modes.cell * modes.wavevector.row(mu).transpose()).cwiseProduct(n.cast<double>()) / (2 * M_PI);
        const Eigen::Vector3d rounded = x.array().round();
        if ((x - rounded).cwiseAbs().maxCoeff() > mesh_tolerance)
          throw std::runtime_error(file + ": its wavevectors do not lie on the " + std::to_string(n[0]) + " " +
                                   std::to_string(n[1]) + " " + std::to_string(n[2]) + " mesh of its cell");
        addresses.row(mu) = rounded.cast<int>().transpose();
      }
    return addresses;
  }
} // namespace kapitza
