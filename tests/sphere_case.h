#pragma once
// Ballistic sphere: a black sphere of radius 1 m at T0 + 1 K inside a non-scattering
// gray medium (mfp 1000 m) whose outer shell (radius 4 m) absorbs at T0. Outside the
// sphere the exact equivalent temperature is 1/2 [1 - sqrt(1 - R^2/r^2)]. Pointwise
// discrete ordinates carry ray effects; the DG cells average over them, so the error
// against the exact profile falls with the mesh size.
#include "reference/reference_solutions.h"
#include "test_utilities.h"

namespace kapitza::testing
{
  struct SphereErrors
  {
    double mean = 0, max = 0; // relative to the exact profile, over points with r > 1.4
  };

  inline SphereErrors ballistic_sphere_errors(unsigned int refinements)
  {
    const std::string folder = scratch_folder("sphere-" + std::to_string(refinements));
    GrayMaterial      gray;
    gray.tau = 1e3 / gray.speed;
    write_mode_database(folder + "/gray.h5", gray_material(gray, product_quadrature(16, 32, false)));
    const CaseResult result = run_case(folder, {{"Dimension", "3"},
                                                {"Materials/Names", "gray"},
                                                {"Materials/Files", "gray.h5"},
                                                {"Mesh/Generator", "ball"},
                                                {"Mesh/Radius", "4"},
                                                {"Mesh/Inner radius", "1"},
                                                {"Mesh/Refinements", std::to_string(refinements)},
                                                {"Boundaries/Left", "thermalizing 301"},
                                                {"Boundaries/Right", "thermalizing 300"},
                                                {"Solver/Krylov restart", "10"},
                                                {"Output/Line points", "40"}});
    SphereErrors errors;
    int          n = 0;
    for (std::size_t i = 0; i < result.x.size(); ++i)
      {
        const double r = std::abs(result.x[i]);
        if (r <= 1.4)
          continue;
        const double exact = reference::ballistic_sphere_exterior(1.0, r);
        const double error = std::abs((result.temperature[i] - 300) / exact - 1);
        errors.mean += error, errors.max = std::max(errors.max, error), ++n;
      }
    errors.mean /= n;
    std::printf("ballistic sphere, %u refinements: relative error mean %.4f, max %.4f\n",
                refinements, errors.mean, errors.max);
    return errors;
  }
} // namespace kapitza::testing
