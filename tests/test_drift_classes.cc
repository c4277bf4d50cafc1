// Drift classes (solver/drift_sweep.h): modes share a slot of the inverse cache exactly
// when their rates and their velocities along the mesh's axes agree (to round-off of each
// value's own magnitude, so that slow modes are told apart as finely as fast ones).
#include "solver/drift_sweep.h"

#include <gtest/gtest.h>

namespace
{
  TEST(DriftClasses, RateAndVelocityAlongTheMeshAxesDecide)
  {
    Eigen::VectorXd rate(8);
    rate << 1, 1, 1, 2, 1 + 1e-10, 1, 1, 1;
    Eigen::MatrixXd velocity(8, 3);
    velocity << 1, 0, 0,  // class 0
      1, 0.5, 0.25,       // another direction about x: same v_x
      -1, 0, 0,           // the opposite direction
      1, 0, 0,            // another rate
      1, 0, 0,            // a rate 1e-10 apart: another operator
      1 + 4e-16, 0.5, 0,  // v_x a few ulp apart: round-off of a star member
      1e-6, 0, 0,         // a slow mode
      1e-6 * (1 + 1e-12), 0, 0; // 1e-12 of its own v_x apart (1e-18 of the fastest)
    EXPECT_EQ(kapitza::drift_classes<1>(rate, velocity), (std::vector<int>{0, 0, 1, 2, 3, 0, 4, 5}));
    EXPECT_EQ(kapitza::drift_classes<2>(rate, velocity), (std::vector<int>{0, 1, 2, 3, 4, 1, 5, 6}));
    EXPECT_EQ(kapitza::drift_classes<3>(rate, velocity), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  }
} // namespace
