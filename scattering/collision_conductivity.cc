// The full (LBTE) conductivity of a mode set with a collision matrix, solved with Eigen's
// conjugate gradients on the matrix as it is stored: a direct factorization needs two more
// N x N copies (the symmetric form and its factor), which is what kept Si meshes beyond
// 17^3 off a 24 GB machine; the gradient solve needs vectors only. It also watches the
// curvature of its search directions: a direction of non-positive curvature proves the
// matrix is not positive semidefinite (possible for the own-view assembly), and the matrix
// is refused rather than given a conductivity. Directions the solve never explores (e.g. of
// the other parity under inversion) are not checked: it is a certificate, not a proof.
#include "scattering/mode_set.h"

#include <Eigen/IterativeLinearSolvers>

#include <stdexcept>
#include <string>

namespace kapitza
{
  class ScaledCollisionOperator;
}

namespace Eigen
{
  namespace internal
  {
    // A matrix-free operator enters Eigen's iterative solvers with the traits of a sparse
    // matrix (Eigen's documented pattern, "Matrix-free solvers").
    template <>
    struct traits<kapitza::ScaledCollisionOperator> : public traits<SparseMatrix<double>>
    {};
  } // namespace internal
} // namespace Eigen

namespace kapitza
{
  // B = J^-1/2 A J^-1/2 + z z^T, A = diag(e / s) Omega (symmetric, semidefinite, with the one
  // null vector s: energy conservation), J = diag(A) (Jacobi scaling: the rates span orders
  // of magnitude), z = J^1/2 s / |J^1/2 s| (B's null vector, lifted: B is definite and acts
  // on the complement of z as the scaled A).
  class ScaledCollisionOperator : public Eigen::EigenBase<ScaledCollisionOperator>
  {
  public:
    using Scalar     = double;
    using RealScalar = double;
    using StorageIndex = int;
    enum
    {
      ColsAtCompileTime    = Eigen::Dynamic,
      MaxColsAtCompileTime = Eigen::Dynamic,
      IsRowMajor           = false
    };

    ScaledCollisionOperator(const Eigen::MatrixXd &omega, const Eigen::VectorXd &row_scale,
                            const Eigen::VectorXd &inverse_root_jacobi, const Eigen::VectorXd &null)
      : omega(omega)
      , row_scale(row_scale)
      , inverse_root_jacobi(inverse_root_jacobi)
      , null(null)
    {}

    Eigen::Index rows() const { return omega.rows(); }
    Eigen::Index cols() const { return omega.cols(); }

    template <typename Rhs>
    Eigen::Product<ScaledCollisionOperator, Rhs, Eigen::AliasFreeProduct> operator*(const Eigen::MatrixBase<Rhs> &x) const
    {
      return Eigen::Product<ScaledCollisionOperator, Rhs, Eigen::AliasFreeProduct>(*this, x.derived());
    }

    void add_product(Eigen::Ref<Eigen::VectorXd> y, const Eigen::VectorXd &x, double alpha) const
    {
      const Eigen::VectorXd omega_x = omega * inverse_root_jacobi.cwiseProduct(x);
      const Eigen::VectorXd bx = inverse_root_jacobi.cwiseProduct(row_scale).cwiseProduct(omega_x) + null * null.dot(x);
      const double          norm = x.squaredNorm();
      // The gradient method's search directions (the first product is of x = 0): a direction
      // of non-positive curvature proves B is not positive definite, and the solve stops there.
      if (norm > 0 && !(x.dot(bx) > 0))
        throw NonPositiveCurvature{x.dot(bx) / norm};
      y += alpha * bx;
    }

    struct NonPositiveCurvature
    {
      double curvature; // x.Bx / x.x of the direction
    };

  private:
    const Eigen::MatrixXd &omega;
    const Eigen::VectorXd &row_scale, &inverse_root_jacobi, &null;
  };
} // namespace kapitza

namespace Eigen
{
  namespace internal
  {
    template <typename Rhs>
    struct generic_product_impl<kapitza::ScaledCollisionOperator, Rhs, SparseShape, DenseShape, GemvProduct>
      : generic_product_impl_base<kapitza::ScaledCollisionOperator, Rhs,
                                  generic_product_impl<kapitza::ScaledCollisionOperator, Rhs>>
    {
      template <typename Dest>
      static void scaleAndAddTo(Dest &dst, const kapitza::ScaledCollisionOperator &lhs, const Rhs &rhs,
                                const double &alpha)
      {
        lhs.add_product(dst, rhs, alpha);
      }
    };
  } // namespace internal
} // namespace Eigen

namespace kapitza
{
  namespace
  {
    /// Relative residual of the gradient solve: kappa, a quadratic form of the solution, is
    /// then exact to about its square.
    constexpr double lbte_tolerance = 1e-12;
    /// Jacobi-scaled collision matrices of ab initio sets need tens of iterations; more than
    /// this means the matrix is not what the solve assumes.
    constexpr int lbte_max_iterations = 2000;
  } // namespace

  Eigen::Matrix3d collision_conductivity(const ModeSet &modes, LbteSolveReport *report)
  {
    // A gradient gives psi = s (T - T0) + g with Omega g = -s v.grad T. Multiplying by
    // diag(e/s) = k_B T0^2 W makes the system symmetric: A g = -e v.grad T, solved on the
    // complement of A's null vector s (the minimum-norm, physical g).
    const Eigen::VectorXd s         = modes.uniform_shift();
    const Eigen::VectorXd e         = modes.energy_weight();
    const Eigen::VectorXd row_scale = e.cwiseQuotient(s);
    if (!modes.collision.allFinite())
      throw std::runtime_error("collision matrix of '" + modes.material + "' is not finite");
    const Eigen::VectorXd jacobi    = row_scale.cwiseProduct(modes.collision.diagonal());
    if (!(jacobi.minCoeff() > 0))
      throw std::runtime_error("collision matrix of '" + modes.material +
                               "' has modes that do not scatter (a non-positive diagonal): no finite "
                               "conductivity");
    const Eigen::VectorXd inverse_root_jacobi = jacobi.cwiseSqrt().cwiseInverse();
    const Eigen::VectorXd null = s.normalized(), lifted = jacobi.cwiseSqrt().cwiseProduct(s).normalized();
    const ScaledCollisionOperator operator_b(modes.collision, row_scale, inverse_root_jacobi, lifted);

    Eigen::ConjugateGradient<ScaledCollisionOperator, Eigen::Lower | Eigen::Upper, Eigen::IdentityPreconditioner> cg;
    cg.setTolerance(lbte_tolerance);
    cg.setMaxIterations(lbte_max_iterations);
    cg.compute(operator_b);
    Eigen::Matrix3d kappa = Eigen::Matrix3d::Zero();
    for (int j = 0; j < 3; ++j)
      {
        Eigen::VectorXd b = e.cwiseProduct(modes.velocity.col(j));
        b -= null.dot(b) * null;
        Eigen::VectorXd h;
        try
          {
            h = cg.solve(inverse_root_jacobi.cwiseProduct(b));
          }
        catch (const ScaledCollisionOperator::NonPositiveCurvature &direction)
          {
            throw std::runtime_error("collision matrix of '" + modes.material +
                                     "' is not positive definite off its energy null vector (the LBTE solve met a "
                                     "direction of curvature " + std::to_string(direction.curvature) +
                                     " of the Jacobi-scaled matrix): it would destroy entropy; the own-view "
                                     "assembly does not exclude that on coarse meshes, the mean of views does "
                                     "(kapitza-modes --assembly mean-of-views)");
          }
        if (cg.info() != Eigen::Success)
          throw std::runtime_error("collision matrix of '" + modes.material + "': the LBTE solve did not reach " +
                                   std::to_string(lbte_tolerance) + " in " + std::to_string(lbte_max_iterations) +
                                   " conjugate-gradient iterations (residual " + std::to_string(cg.error()) + ")");
        if (report)
          {
            report->iterations[j] = int(cg.iterations());
            report->residual[j]   = cg.error();
          }
        Eigen::VectorXd g = inverse_root_jacobi.cwiseProduct(h);
        g -= null.dot(g) * null;
        for (int i = 0; i < 3; ++i)
          kappa(i, j) = e.cwiseProduct(modes.velocity.col(i)).dot(g);
      }
    return kappa;
  }
} // namespace kapitza
