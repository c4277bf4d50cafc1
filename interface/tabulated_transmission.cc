// Tabulated transmissivities (GiftBTE format): t_ab per band from the file, band k of one
// side facing band k of the other (frequency groups in rank order); t_ba = t_ab M_a / M_b
// by detailed balance, and the file's t_ba is compared with it (largest difference in the
// setup line).

#include "interface/interface_model.h"
#include "scattering/file_checks.h"
#include "scattering/formatted.h"

#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    /// Per-band transmissivities t_01 and t_10 of a GiftBTE interface file: two blocks,
    /// each a header line "i # ..." then one value per band.
    struct TransmissionTable
    {
      std::vector<double> forward, backward; // material 0 -> 1 and 1 -> 0, per band
    };

    TransmissionTable read_transmission_table(const std::string &path)
    {
      std::istringstream in(read_text_file(path, "interface transmission file"));
      // Blocks start at a line "i # ...": numbers before a '#' on such a line are block
      // headers; every other non-empty line (the last may lack a newline) is one value.
      std::vector<std::vector<double>> blocks;
      std::string                      line;
      for (unsigned int number = 1; std::getline(in, line); ++number)
        {
          const bool         header = line.find('#') != std::string::npos;
          std::istringstream fields(line.substr(0, line.find('#')));
          double             value;
          if (!(fields >> value))
            {
              if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
              throw std::runtime_error(path + ": line " + std::to_string(number) + " is not a number");
            }
          if (header)
            blocks.emplace_back();
          else if (blocks.empty() || !(value >= 0 && value <= 1))
            throw std::runtime_error(path + ": line " + std::to_string(number) +
                                     (blocks.empty() ? " comes before the first block header" :
                                                       " is not a transmissivity in [0,1]"));
          else
            blocks.back().push_back(value);
        }
      if (blocks.size() != 2 || blocks[0].size() != blocks[1].size() || blocks[0].empty())
        throw std::runtime_error(path + ": needs two blocks (0 -> 1, 1 -> 0) of equal, non-zero length");
      return {blocks[0], blocks[1]};
    }

    class TabulatedModel : public InterfaceModel
    {
    public:
      TabulatedModel(dealii::ParameterHandler &, const InterfaceModelInput &input)
      {
        if (input.argument.empty())
          throw std::runtime_error("Interfaces/Model = table needs a FILE");
        const std::string &file = input.argument;
        table = read_transmission_table(file[0] == '/' ? file : input.input_folder + "/" + file);
      }
      static void declare_parameters(dealii::ParameterHandler &) {}

      void assign_channels(InterfacePair &pair, const InterfaceSides &sides) const override
      {
        int groups_a = 0, groups_b = 0;
        pair.channel_a  = sides.a.modes.frequency_groups(groups_a);
        pair.channel_b  = sides.b.modes.frequency_groups(groups_b);
        pair.n_channels = table.forward.size();
        if (groups_a != int(pair.n_channels) || groups_b != int(pair.n_channels))
          throw std::runtime_error("interface table has " + std::to_string(pair.n_channels) +
                                   " bands, the materials " + std::to_string(groups_a) + " and " +
                                   std::to_string(groups_b));
        if (pair.region_a != 0 || pair.region_b != 1)
          throw std::runtime_error("interface tables join materials 0 and 1 only");
      }

      double transmission(const InterfacePair &, unsigned int channel, double, double) const override
      {
        return table.forward[channel];
      }

      std::string summary(const InterfacePair &pair) const override
      {
        double mismatch = 0; // max |t_ba(file) - t_ba| where both sides have modes
        for (unsigned int i = 0; i < pair.traces_a.size(); ++i)
          for (unsigned int c = 0; c < pair.n_channels; ++c)
            if (pair.capacity_a(i, c) > 0 && pair.capacity_b(i, c) > 0)
              mismatch = std::max(mismatch, std::abs(table.backward[c] - pair.t_ba(i, c)));
        return formatted(", file t_ba differs from detailed balance by at most %.2e", mismatch);
      }

    private:
      TransmissionTable table;
    };
  } // namespace

  KAPITZA_REGISTER_INTERFACE_MODEL(TabulatedModel, "table", "table FILE",
                                   "GiftBTE per-band transmissivities, material 0 -> 1 then 1 -> 0; "
                                   "band index kept across the interface")
} // namespace kapitza
