#include "scattering/crystal_orientation.h"

#include "scattering/formatted.h"

#include <deal.II/base/utilities.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    // Directions are typed with a few digits (0.7071 for 1/sqrt 2): at right angles and a
    // proper rotation to this relative accuracy.
    constexpr double orientation_tolerance = 1e-4;

    Eigen::Vector3d direction(const std::string &text, const std::string &context,
                              const std::string &whole)
    {
      std::istringstream in(text);
      Eigen::Vector3d    d;
      std::string        rest;
      if (!(in >> d[0] >> d[1] >> d[2]) || (in >> rest) || !d.allFinite() || d.norm() == 0)
        throw std::runtime_error(context + " '" + whole + "': each direction needs three numbers, "
                                 "not all zero (\"a b c, d e f\": the crystal directions along "
                                 "the mesh's x and y)");
      return d.normalized();
    }
  } // namespace

  Eigen::Matrix3d parse_crystal_orientation(const std::string &text, const std::string &context)
  {
    const std::string trimmed = dealii::Utilities::trim(text);
    if (trimmed.empty() || trimmed == "aligned")
      return Eigen::Matrix3d::Identity();
    const auto parts = dealii::Utilities::split_string_list(trimmed, ',');
    if (parts.size() != 2)
      throw std::runtime_error(context + " '" + trimmed + "': needs two directions \"a b c, d e f\" "
                               "(the crystal directions along the mesh's x and y) or 'aligned'");
    const Eigen::Vector3d x = direction(parts[0], context, trimmed);
    const Eigen::Vector3d y = direction(parts[1], context, trimmed);
    if (std::abs(x.dot(y)) > orientation_tolerance)
      throw std::runtime_error(context + formatted(" '%s': the two directions are not at right "
                                                   "angles (cos = %.3g)", trimmed.c_str(), x.dot(y)));
    Eigen::Matrix3d rotation;
    rotation.row(0) = x;
    rotation.row(1) = (y - x.dot(y) * x).normalized(); // exactly orthogonal
    rotation.row(2) = x.cross(Eigen::Vector3d(rotation.row(1)));
    return rotation;
  }

  std::string describe_orientation(const Eigen::Matrix3d &rotation)
  {
    std::string text;
    for (int i = 0; i < 3; ++i)
      text += formatted("%s%c = [%.4g %.4g %.4g]", i ? ", " : "", char('x' + i), rotation(i, 0),
                        rotation(i, 1), rotation(i, 2));
    return text;
  }

  void rotate_crystal(ModeSet &modes, const Eigen::Matrix3d &rotation)
  {
    const Eigen::Matrix3d deviation = rotation * rotation.transpose() - Eigen::Matrix3d::Identity();
    if (deviation.norm() > orientation_tolerance || rotation.determinant() < 0)
      throw std::runtime_error("rotate_crystal: not a proper rotation");
    if (rotation.isIdentity(0))
      return; // an aligned crystal: nothing to turn
    const Eigen::Matrix3d turn = rotation.transpose(); // rows of a matrix turn by v^T R^T
    modes.velocity = modes.velocity * turn;
    if (modes.wavevector.size() > 0)
      modes.wavevector = modes.wavevector * turn;
    modes.cell = modes.cell * turn;
    for (Eigen::Index k = 0; 3 * k < modes.eigenvector.cols(); ++k)
      modes.eigenvector.middleCols(3 * k, 3) =
        modes.eigenvector.middleCols(3 * k, 3) * turn.cast<std::complex<double>>();
    for (auto &z : modes.born_charges)
      z = rotation * z * turn;
  }
} // namespace kapitza
