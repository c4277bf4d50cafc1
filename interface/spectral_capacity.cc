#include "interface/spectral_capacity.h"

#include "scattering/mesh_coordinates.h"
#include "scattering/mode_database.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    /// The provenance keys two sets of one crystal must share.
    const char *const crystal_keys[] = {"force_constants_format", "non_analytic_correction", "transport_axis"};

    /// Rows: the mesh steps b_i / N_i [1/m] (every wavevector checked to lie on the mesh).
    Eigen::Matrix3d mesh_steps(const ModeSet &modes, const std::string &file)
    {
      const Eigen::Vector3i n = provenance_q_mesh(modes, file);
      mesh_addresses(modes, n, file);
      const Eigen::Matrix3d reciprocal = 2 * M_PI * modes.cell.inverse().transpose(); // rows b_i
      Eigen::Matrix3d       steps;
      for (int i = 0; i < 3; ++i)
        steps.row(i) = reciprocal.row(i) / n[i];
      return steps;
    }
  } // namespace

  SpectralModes read_spectral_modes(const std::string &file, double broadening)
  {
    ConservationReport report;
    SpectralModes      spectral{file, read_mode_database(file, report, false), {}};
    const ModeSet     &modes = spectral.modes;
    if (modes.wavevector.rows() == 0 || modes.cell.isZero())
      throw std::runtime_error(file + ": a spectral file needs wavevectors and the cell (an ab initio set)");
    const Eigen::Matrix3d steps = mesh_steps(modes, file);
    spectral.width.resize(modes.size());
    for (unsigned int mu = 0; mu < modes.size(); ++mu)
      spectral.width[mu] = broadening * (steps * modes.velocity.row(mu).transpose()).norm() / std::sqrt(6.0);
    return spectral;
  }

  void check_same_crystal(const SpectralModes &spectral, const ModeSet &transport)
  {
    const ModeSet &dense = spectral.modes;
    if (dense.material != transport.material)
      throw std::runtime_error(spectral.file + ": spectral file of material '" + dense.material +
                               "', the transport set is '" + transport.material + "'");
    for (const char *key : crystal_keys)
      {
        const auto a = dense.provenance.find(key), b = transport.provenance.find(key);
        const std::string value_a = a == dense.provenance.end() ? "none" : a->second;
        const std::string value_b = b == transport.provenance.end() ? "none" : b->second;
        if (value_a != value_b)
          throw std::runtime_error(spectral.file + ": " + key + " is '" + value_a +
                                   "', the transport set of " + transport.material + " has '" + value_b + "'");
      }
  }

  ModeSet at_transport_temperature(const SpectralModes &spectral, const ModeSet &transport)
  {
    ModeSet modes     = spectral.modes;
    modes.temperature = transport.temperature;
    modes.statistics  = transport.statistics;
    return modes;
  }

  Eigen::VectorXd spectral_capacity(const SpectralModes &spectral, const ModeSet &transport,
                                    const Eigen::Vector3d &into, const FrequencyChannels &channels)
  {
    const Eigen::VectorXd heat_capacity = at_transport_temperature(spectral, transport).heat_capacity();
    const Eigen::VectorXd speed_into    = spectral.modes.velocity * into;

    Eigen::VectorXd capacity = Eigen::VectorXd::Zero(channels.count);
    // Share of a Gaussian (centre omega, width sigma > 0) below the frequency `edge`.
    const auto below = [](double edge, double omega, double sigma) {
      return 0.5 * std::erfc((omega - edge) / (std::sqrt(2.0) * sigma));
    };
    for (unsigned int mu = 0; mu < spectral.modes.size(); ++mu)
      {
        if (speed_into[mu] <= 0)
          continue;
        const double flux = heat_capacity[mu] * speed_into[mu];
        if (spectral.width[mu] == 0) // unspread: the channel of its frequency, as binned modes
          {
            capacity[channels.channel_of(spectral.modes.omega[mu])] += flux;
            continue;
          }
        double lower = 0; // share below the current channel's lower edge
        for (unsigned int c = 0; c < channels.count; ++c)
          {
            const double upper =
              c + 1 == channels.count ? 1.0
                                      : below(channels.origin + (c + 1) * channels.width,
                                              spectral.modes.omega[mu], spectral.width[mu]);
            capacity[c] += flux * (upper - lower);
            lower = upper;
          }
      }
    return capacity;
  }
} // namespace kapitza
