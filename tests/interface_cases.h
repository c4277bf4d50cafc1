#pragma once
// Gray bilayers shared by the interface tests.
#include "test_utilities.h"

namespace kapitza::testing
{
  // Two gray media of equal frequency: a (C = 1e6, |v| = 1000) and b (C = 2e6, |v| = 3000).
  inline void write_gray_pair(const std::string &folder, double mfp)
  {
    const auto quadrature = kapitza::product_quadrature(16, 2, true);
    kapitza::GrayMaterial a, b;
    a.name = "a", a.tau = mfp / a.speed;
    b.name = "b", b.speed = 3000, b.heat_capacity = 2e6, b.tau = mfp / b.speed;
    for (const auto &gray : {a, b})
      {
        // Debye wavevectors q = omega v / |v|^2 (needed by SMM only).
        kapitza::ModeSet modes = kapitza::gray_material(gray, quadrature);
        modes.wavevector       = modes.velocity * (gray.omega / (gray.speed * gray.speed));
        kapitza::write_mode_database(folder + "/" + gray.name + ".h5", modes);
      }
  }

  inline std::map<std::string, std::string> bilayer(const std::string &layers, const std::string &model)
  {
    return {{"Dimension", "1"},
            {"Materials/Names", "a, b"},
            {"Materials/Files", "a.h5, b.h5"},
            {"Mesh/Layers", layers},
            {"Interfaces/Model", model},
            {"Boundaries/Left", "thermalizing 301"},
            {"Boundaries/Right", "thermalizing 300"},
            {"Output/Line points", "100"}};
  }

  // AMM needs mass densities (acoustic impedances): 3000 and 5000 kg/m^3; SMM a misfit
  // dislocation array: D = 2 nm (G_1 = 3.1e9 1/m, between the Debye q of b and of a).
  inline std::map<std::string, std::string> amm_bilayer(const std::string &layers)
  {
    auto settings                           = bilayer(layers, "amm");
    settings["Interfaces/Mass densities"]   = "3000, 5000";
    settings["Interfaces/Dislocation spacing"] = "2e-9";
    settings["Interfaces/Burgers vector"]   = "3e-10";
    return settings;
  }

} // namespace kapitza::testing
