#include "scattering/ab_initio/lifetime_interpolation.h"

#include "scattering/ab_initio/database_requests.h"
#include "scattering/ab_initio/phonon_mode_set.h"
#include "scattering/mesh_coordinates.h"
#include "scattering/mode_database.h"

#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    namespace
    {
      /// Harmonic frequencies of the coarse file and of the lending force constants may
      /// differ by round-off and by the polar symmetrization of boundary points (~1e-8 of
      /// omega, harmonic_phonons.h); another crystal differs by far more.
      constexpr double frequency_tolerance = 1e-6;

      constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

      /// A dense q closer than this to a coarse point (in coarse mesh steps) is that point:
      /// i / N_dense * N_coarse is an integer only up to round-off.
      constexpr double on_point = 1e-9;

      std::string mesh_text(const Eigen::Vector3i &n)
      {
        return std::to_string(n[0]) + " " + std::to_string(n[1]) + " " + std::to_string(n[2]);
      }

      void check_crystal(const std::string &file, const ModeSet &coarse, const Structure &primitive,
                         double temperature, Statistics statistics)
      {
        if (coarse.tau.size() == 0 || coarse.has_collision())
          throw std::runtime_error(file + ": --lifetimes-from needs a database with relaxation times "
                                          "(--collision rta), not " +
                                   std::string(coarse.has_collision() ? "a collision matrix" : "harmonic modes only"));
        check_cell_and_masses(coarse, primitive, file);
        if (std::abs(coarse.temperature - temperature) > 1e-9 * temperature || coarse.statistics != statistics)
          throw std::runtime_error(file + ": its rates are at " + provenance_number(coarse.temperature, "K") +
                                   " (" + to_string(coarse.statistics) + "), this database is at " +
                                   provenance_number(temperature, "K") + " (" + to_string(statistics) + ")");
      }
    } // namespace

    CoarseRates::CoarseRates(const std::string &file, const DynamicalMatrix &dynamical_matrix,
                             double temperature, Statistics statistics)
      : file(file)
    {
      ConservationReport report;
      const ModeSet      coarse = read_mode_database(file, report, false);
      check_crystal(file, coarse, dynamical_matrix.structure(), temperature, statistics);
      provenance                    = coarse.provenance;
      mesh                          = provenance_q_mesh(coarse, file);
      const Eigen::MatrixX3i where  = mesh_addresses(coarse, mesh, file);
      const PhononMesh       points = harmonic_phonons(dynamical_matrix, {{mesh[0], mesh[1], mesh[2]}});
      scaled = Eigen::MatrixXd::Constant(points.n_q(), points.n_branch(), not_a_number);
      const Eigen::VectorXd rate    = coarse.relaxation_rate();
      const double          largest = points.omega.maxCoeff();
      for (unsigned int mu = 0; mu < coarse.size(); ++mu)
        {
          const unsigned int q = points.index({{where(mu, 0), where(mu, 1), where(mu, 2)}});
          const int          s = coarse.branch.size() ? coarse.branch[mu] : -1;
          if (s < 0 || s >= int(points.n_branch()) ||
              std::abs(points.omega(q, s) - coarse.omega[mu]) > frequency_tolerance * largest)
            throw std::runtime_error(file + ": its mode " + std::to_string(mu) +
                                     " is not a phonon of these force constants on its " + mesh_text(mesh) +
                                     " mesh (another crystal or force constants)");
          scaled(q, s) = std::pow(coarse.omega[mu], lifetime_scaling_power) / rate[mu];
        }
    }

    namespace
    {
      /// The 8 coarse points around q (fractional) and their trilinear weights.
      struct Corners
      {
        std::array<unsigned int, 8> index;
        std::array<double, 8>       weight;
      };

      Corners corners_of(const Eigen::Vector3d &q_fractional, const PhononMesh &coarse_points)
      {
        std::array<int, 3> lower;
        Eigen::Vector3d    fraction;
        for (int i = 0; i < 3; ++i)
          {
            double x = q_fractional[i] * coarse_points.size[i]; // in coarse mesh steps
            if (std::abs(x - std::round(x)) < on_point)          // a coarse point: its value exactly
              x = std::round(x);
            lower[i]    = int(std::floor(x));
            fraction[i] = x - lower[i];
          }
        Corners corners;
        for (int c = 0; c < 8; ++c)
          {
            std::array<int, 3> address;
            corners.weight[c] = 1;
            for (int i = 0; i < 3; ++i)
              {
                const int step = (c >> i) & 1;
                address[i]     = lower[i] + step;
                corners.weight[c] *= step ? fraction[i] : 1 - fraction[i];
              }
            corners.index[c] = coarse_points.index(address);
          }
        return corners;
      }
    } // namespace

    Eigen::MatrixXd CoarseRates::rates_on(const PhononMesh &dense) const
    {
      const unsigned int n_branch = dense.n_branch();
      if (n_branch != scaled.cols())
        throw std::runtime_error(file + ": " + std::to_string(scaled.cols()) + " branches, the crystal has " +
                                 std::to_string(n_branch));
      const PhononMesh coarse_points = mesh_points({{mesh[0], mesh[1], mesh[2]}});
      Eigen::MatrixXd  rates(dense.n_q(), n_branch);
      for (unsigned int q = 0; q < dense.n_q(); ++q)
        {
          const Corners corners = corners_of(dense.q_fractional.row(q).transpose(), coarse_points);
          for (unsigned int s = 0; s < n_branch; ++s)
            {
              double sum = 0, weights = 0; // over the corners that have the mode
              for (int c = 0; c < 8; ++c)
                if (corners.weight[c] > 0 && !std::isnan(scaled(corners.index[c], s)))
                  {
                    sum += corners.weight[c] * scaled(corners.index[c], s);
                    weights += corners.weight[c];
                  }
              rates(q, s) = weights > 0 ? std::pow(dense.omega(q, s), lifetime_scaling_power) / (sum / weights)
                                        : not_a_number;
            }
        }
      return rates;
    }

    void CoarseRates::record(Provenance &dense) const
    {
      for (const char *key : {"smearing", "isotopes"})
        {
          const auto entry = provenance.find(key);
          dense[key]       = entry == provenance.end() ? "not recorded in " + file : entry->second;
        }
      std::ostringstream text;
      text << "interpolated from " << file << " (q_mesh " << mesh_text(mesh) << "): omega^"
           << lifetime_scaling_power << " tau trilinear in q per band";
      dense["lifetimes"] = text.str();
    }

    std::vector<CoarseRates> coarse_rates(const std::string &pattern, const std::vector<double> &temperatures,
                                          const DynamicalMatrix &dynamical_matrix, Statistics statistics)
    {
      std::vector<CoarseRates> rates;
      if (!pattern.empty())
        for (const double temperature : temperatures)
          rates.emplace_back(file_at(pattern, temperature), dynamical_matrix, temperature, statistics);
      return rates;
    }
  } // namespace phonons
} // namespace kapitza
