#include "interface/boundary_model.h"

#include <cmath>
#include <sstream>

namespace kapitza
{
  void BoundaryArguments::fail(const std::string &why) const
  {
    throw std::runtime_error(entry + ": " + why);
  }

  void BoundaryArguments::expect(std::size_t least, std::size_t most, const std::string &example) const
  {
    if (values.size() < least || values.size() > most)
      fail(most == 0 ? "takes no value" : "needs " + example);
  }

  double BoundaryArguments::single(const std::string &what, const std::function<bool(double)> &valid) const
  {
    expect(1, 1, what);
    if (!valid(values[0]))
      fail("needs " + what);
    return values[0];
  }

  std::shared_ptr<const BoundaryModel> BoundaryModels::create(const std::string &text,
                                                              const std::string &where)
  {
    BoundaryArguments arguments;
    arguments.entry = "Boundaries/" + where + " = '" + text + "'";
    std::istringstream words(text);
    std::string        name, word;
    words >> name;
    if (name.empty())
      throw std::runtime_error("Boundaries/" + where + " is required (" + Registry::usages(", ") + ")");
    const Registry::Plugin &plugin = Registry::find(name, arguments.entry);
    while (words >> word)
      {
        std::size_t used = 0;
        double      value;
        try
          {
            value = std::stod(word, &used);
          }
        catch (const std::exception &)
          {
            used = 0;
          }
        if (used != word.size() || !std::isfinite(value))
          arguments.fail("'" + word + "' is not a finite number");
        arguments.values.push_back(value);
      }
    std::unique_ptr<BoundaryModel> model = plugin.factory(arguments);
    model->text                          = text;
    return model;
  }

  std::string BoundaryModels::documentation()
  {
    return Registry::usages(" | ") + ". " + Registry::documentation();
  }
} // namespace kapitza
