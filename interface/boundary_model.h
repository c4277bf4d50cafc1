#pragma once
// One boundary model (DESIGN.md section 2) behind one small interface: what a wall does to
// the modes that reach it. Every model (thermalizing, diffuse, specular, periodic; one file
// each) registers itself with KAPITZA_REGISTER_BOUNDARY_MODEL and is created once from its
// Boundaries entry ("NAME values..."), as the interface models are.
//
// A wall either thermalizes (entering modes carry the equilibrium of the wall temperature:
// a source, part of G), reflects elastically (a fraction specularly, the rest diffusely
// within frequency groups: scattering events, part of K), or is joined to its partner face
// (periodic, with a temperature jump). WallReflection and the solver ask which.

#include "interface/plugin_registry.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kapitza
{
  class BoundaryModel
  {
  public:
    virtual ~BoundaryModel() = default;

    /// Thermalizing walls: the wall temperature [K]; other models: none.
    virtual std::optional<double> wall_temperature() const { return {}; }
    /// Reflecting walls: the fraction reflected specularly (the rest diffusely).
    virtual std::optional<double> specularity() const { return {}; }
    /// Periodic faces: the temperature jump dT in T(x + L) = T(x) - dT [K].
    virtual std::optional<double> periodic_jump() const { return {}; }

    /// The entry as given, e.g. "thermalizing 300", for messages and the setup line.
    const std::string &setting() const { return text; }

  private:
    friend class BoundaryModels;
    std::string text;
  };

  /// What a model's constructor gets: the numbers after its name, and the entry for messages.
  struct BoundaryArguments
  {
    std::vector<double> values;
    std::string         entry; // e.g. "Boundaries/Left = 'specular 2'"

    /// One line naming the entry and what is wrong.
    [[noreturn]] void fail(const std::string &why) const;
    /// Between `least` and `most` values, or fail naming `example` (what it needs).
    void expect(std::size_t least, std::size_t most, const std::string &example) const;
    /// The one value, which `valid` accepts, or fail saying the entry needs `what`.
    double single(const std::string &what, const std::function<bool(double)> &valid) const;
  };

  /// The registry of boundary models.
  class BoundaryModels
  {
  public:
    using Factory = std::function<std::unique_ptr<BoundaryModel>(const BoundaryArguments &)>;
    using Registry = PluginRegistry<Factory>;

    /// Called once per model file (through KAPITZA_REGISTER_BOUNDARY_MODEL).
    static bool add(const std::string &name, const std::string &usage, const std::string &description,
                    Factory create)
    {
      return Registry::add(name, usage, description, std::move(create));
    }
    /// The model of one entry "NAME values..."; `where` names the entry (e.g. "Left").
    static std::shared_ptr<const BoundaryModel> create(const std::string &text, const std::string &where);
    /// "usage | usage ..." and the models' descriptions, for the parameter documentation.
    static std::string documentation();
  };
} // namespace kapitza

/// Registers CLASS as boundary model NAME: CLASS has a constructor CLASS(const
/// BoundaryArguments &) that checks and keeps its values.
#define KAPITZA_REGISTER_BOUNDARY_MODEL(CLASS, NAME, USAGE, DESCRIPTION)                         \
  namespace                                                                                      \
  {                                                                                              \
    const bool registered_##CLASS = kapitza::BoundaryModels::add(                                \
      NAME, USAGE, DESCRIPTION, [](const kapitza::BoundaryArguments &arguments) {               \
        return std::unique_ptr<kapitza::BoundaryModel>(std::make_unique<CLASS>(arguments));      \
      });                                                                                        \
  }
