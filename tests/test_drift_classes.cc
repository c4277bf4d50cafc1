// Drift classes (solver/drift_sweep.h): modes share a slot of the inverse cache, and a
// sweep, exactly when their rates and their velocities along the mesh's axes agree (rates
// to their own magnitude, velocity components to the speed along the mesh's axes, so that
// slow modes are told apart as finely as fast ones).
#include "solver/drift_sweep.h"

#include <gtest/gtest.h>

namespace
{
  struct Modes
  {
    Eigen::VectorXd rate{8};
    Eigen::MatrixXd velocity{8, 3};
    Modes()
    {
      rate << 1, 1, 1, 2, 1 + 1e-10, 1, 1, 1;
      velocity << 1, 0, 0,  // class 0
        1, 0.5, 0.25,       // another direction about x: same v_x
        -1, 0, 0,           // the opposite direction
        1, 0, 0,            // another rate
        1, 0, 0,            // a rate 1e-10 apart: another operator
        1 + 4e-16, 0.5, 0,  // v_x a few ulp apart: round-off of a star member
        1e-6, 0, 0,         // a slow mode
        1e-6 * (1 + 1e-12), 0, 0; // 1e-12 of its own v_x apart (1e-18 of the fastest)
    }
  };

  TEST(DriftClasses, RateAndVelocityAlongTheMeshAxesDecide)
  {
    const Modes modes;
    const auto  classes_1d = kapitza::drift_classes<1>(modes.rate, modes.velocity);
    EXPECT_EQ(classes_1d.class_of, (std::vector<int>{0, 0, 1, 2, 3, 0, 4, 5}));
    EXPECT_EQ(classes_1d.count, 6);
    EXPECT_EQ(kapitza::drift_classes<2>(modes.rate, modes.velocity).class_of, (std::vector<int>{0, 1, 2, 3, 4, 1, 5, 6}));
    const auto classes_3d = kapitza::drift_classes<3>(modes.rate, modes.velocity);
    EXPECT_EQ(classes_3d.class_of, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    EXPECT_EQ(classes_3d.count, 8);
  }

  // At a looser tolerance the rate 1e-10 apart and the slow mode 1e-12 of its own v_x apart
  // join their classes; 1e-6 of the fastest v_x apart, the slow modes stay apart.
  TEST(DriftClasses, ToleranceIsRelativeToEachValue)
  {
    const Modes modes;
    EXPECT_EQ(kapitza::drift_classes<1>(modes.rate, modes.velocity, 1e-9).class_of,
              (std::vector<int>{0, 0, 1, 2, 0, 0, 3, 3}));
  }

  // A velocity component that is round-off of zero (quadrature directions in the mesh's
  // plane) splits no class: components count relative to the speed along the mesh's axes.
  TEST(DriftClasses, RoundOffOfAZeroComponentSplitsNothing)
  {
    Eigen::VectorXd rate = Eigen::VectorXd::Ones(3);
    Eigen::MatrixXd velocity(3, 3);
    velocity << 1, 0, 0, 1, 6e-17, 0, 1, -3e-17, 1;
    EXPECT_EQ(kapitza::drift_classes<2>(rate, velocity).class_of, (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(kapitza::drift_classes<3>(rate, velocity).class_of, (std::vector<int>{0, 0, 1}));
  }
} // namespace
