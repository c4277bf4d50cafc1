#include "sphere_case.h"

#include <gtest/gtest.h>

// 384 cells, 512 directions. Measured: mean 4.5 %, max 20 % (at r = 1.5, where the
// profile bends most and the cells are 0.375 m across); the long test refines once
// more and must cut the mean error by at least half. Pointwise discrete ordinates on
// these 512 directions (ray tracing, no mesh) deviate by 24 % on average: the error left
// here is the spatial discretization, whose cell averaging also smooths the ray effects.
TEST(BallisticSphere, CoarseMeshWithinDiscretizationError)
{
  const auto errors = kapitza::testing::ballistic_sphere_errors(2);
  EXPECT_LT(errors.mean, 0.07);
  EXPECT_LT(errors.max, 0.25);
}
