#pragma once
// Interface channel capacities from a dense harmonic mode set (issue 13): the capacity a
// side offers to a frequency channel, M(c) = sum_k C_k(T0) (v_k . n)_+ over the channel,
// measured on a q-mesh much finer than the transport one (kapitza-modes --collision none:
// harmonic phonons are cheap), so that an interface model sees the converged spectrum
// M(omega) whatever the transport mesh. Each dense mode is spread over frequency by an
// adaptive Gaussian of width
//   sigma_k = broadening * sqrt(sum_i (v_k . b_i / N_i)^2 / 6),
// the frequency change across one q-mesh cell (b_i reciprocal vectors, N_i the mesh), as
// ShengBTE does for its delta functions (Li et al., Comput. Phys. Commun. 185, 1747
// (2014)); the channel takes the exact integral of each Gaussian over its frequency
// interval (the two outermost channels are open), so channels sum to the total capacity.

#include "scattering/mode_set.h"

#include <Eigen/Dense>

#include <algorithm>
#include <string>

namespace kapitza
{
  /// A material's dense harmonic modes and each mode's spectral width.
  struct SpectralModes
  {
    std::string     file;
    ModeSet         modes;
    Eigen::VectorXd width; // sigma [rad/s]
  };

  /// Reads a harmonic (or any ab initio) database with its q-mesh, cell and wavevectors
  /// (refused in one line otherwise, or if its wavevectors do not lie on the mesh of its
  /// cell) and sets every mode's width for the given broadening factor (0: no spreading,
  /// each mode counts in the channel of its frequency).
  SpectralModes read_spectral_modes(const std::string &file, double broadening);

  /// Refuses (one line) a dense set that is not the same crystal as a transport set: the
  /// same material, force constants format, non-analytic correction and transport axis.
  void check_same_crystal(const SpectralModes &spectral, const ModeSet &transport);

  /// The dense modes at the transport set's T0 and statistics: harmonic frequencies and
  /// densities do not depend on the temperature the dense set was written at.
  ModeSet at_transport_temperature(const SpectralModes &spectral, const ModeSet &transport);

  /// Frequency channels [origin + c width, origin + (c + 1) width), c < n; the first and
  /// last are open below and above.
  struct FrequencyChannels
  {
    double       origin = 0, width = 0; // [rad/s]
    unsigned int count  = 0;

    /// The channel of frequency omega (outside: the nearest outermost channel).
    unsigned int channel_of(double omega) const
    {
      const double position = width > 0 ? (omega - origin) / width : 0;
      return position <= 0 ? 0 : std::min<double>(position, count - 1);
    }

    /// The channel of every mode of a set.
    std::vector<int> channels_of(const ModeSet &modes) const
    {
      std::vector<int> channel(modes.size());
      for (unsigned int mu = 0; mu < modes.size(); ++mu)
        channel[mu] = channel_of(modes.omega[mu]);
      return channel;
    }
  };

  /// Per channel, the capacity sum_k C_k (v_k . into)_+ at the transport set's T0 and
  /// statistics: the heat flux per kelvin and unit area the side carries away from the
  /// interface along `into` [W/(m^2 K)].
  Eigen::VectorXd spectral_capacity(const SpectralModes &spectral, const ModeSet &transport,
                                    const Eigen::Vector3d &into, const FrequencyChannels &channels);
} // namespace kapitza
