#pragma once
// A registry of named plugins (interface models, boundary models), filled during static
// initialization by the plugin files themselves, as ASPECT does: a plugin file registers
// a factory under its name with a usage line and a description; the input names one.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>

namespace kapitza
{
  template <typename Factory>
  class PluginRegistry
  {
  public:
    struct Plugin
    {
      std::string usage;       // e.g. "specular p"
      std::string description; // one sentence, for the parameter documentation
      Factory     factory; // what the plugin file registered
    };

    /// Called once per plugin file; the result initializes a file-local flag.
    static bool add(const std::string &name, const std::string &usage, const std::string &description,
                    Factory factory)
    {
      return plugins().emplace(name, Plugin{usage, description, std::move(factory)}).second;
    }

    /// The plugin called `name`; otherwise one line naming `entry` and what is available.
    static const Plugin &find(const std::string &name, const std::string &entry)
    {
      const auto found = plugins().find(name);
      if (found == plugins().end())
        throw std::runtime_error(entry + ": '" + name + "' is not available (this build has " +
                                 usages(", ") + ")");
      return found->second;
    }

    /// The usage lines of all plugins, joined by `separator`.
    static std::string usages(const std::string &separator)
    {
      std::string text;
      for (const auto &[name, plugin] : plugins())
        text += (text.empty() ? "" : separator) + plugin.usage;
      return text;
    }

    /// "usage: description; ..." of all plugins, for a parameter's documentation.
    static std::string documentation()
    {
      std::string text;
      for (const auto &[name, plugin] : plugins())
        text += (text.empty() ? "" : "; ") + plugin.usage + ": " + plugin.description;
      return text;
    }

    static const std::map<std::string, Plugin> &all() { return plugins(); }

  private:
    // A function-local static: plugin files register before main, in any order.
    static std::map<std::string, Plugin> &plugins()
    {
      static std::map<std::string, Plugin> registry;
      return registry;
    }
  };
} // namespace kapitza
