#include "scattering/ab_initio/isotope_scattering.h"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace kapitza
{
  namespace phonons
  {
    double mass_variance(const std::string &symbol)
    {
      std::string element;
      for (char c : symbol)
        {
          if (!std::isalpha(static_cast<unsigned char>(c)))
            break;
          element += c;
        }
      const auto found = natural_isotopes().find(element);
      if (found == natural_isotopes().end())
        throw std::runtime_error("no natural isotope data for element '" + symbol + "'");
      double total = 0, mean = 0;
      for (const Isotope &isotope : found->second)
        {
          total += isotope.abundance;
          mean += isotope.abundance * isotope.mass;
        }
      mean /= total;
      double g = 0;
      for (const Isotope &isotope : found->second)
        g += isotope.abundance / total * std::pow(1 - isotope.mass / mean, 2);
      return g;
    }

    void add_isotope_rates(const PhononMesh &mesh, unsigned int q0, const std::vector<unsigned int> &partners,
                           const std::vector<double> &atom_mass_variance,
                           const std::vector<double> &delta, double frequency_cutoff,
                           std::vector<double> &result)
    {
      const unsigned int      nb = mesh.n_branch(), n_partners = partners.size();
      const unsigned int      n_atoms = atom_mass_variance.size();
      const Eigen::MatrixXcd &e0      = mesh.eigenvectors[q0];
      for (unsigned int j = 0; j < n_partners; ++j)
        {
          const unsigned int      k  = partners[j];
          const Eigen::MatrixXcd &e1 = mesh.eigenvectors[k];
          for (unsigned int s1 = 0; s1 < nb; ++s1)
            {
              if (mesh.omega(k, s1) < frequency_cutoff)
                continue;
              for (unsigned int s0 = 0; s0 < nb; ++s0)
                {
                  const double w0 = mesh.omega(q0, s0);
                  const double g  = delta[(std::size_t(s1) * n_partners + j) * nb + s0];
                  if (w0 < frequency_cutoff || g == 0)
                    continue;
                  double overlap = 0;
                  for (unsigned int atom = 0; atom < n_atoms; ++atom)
                    overlap += atom_mass_variance[atom] *
                               std::norm(e0.col(s0).segment<3>(3 * atom).dot(
                                 e1.col(s1).segment<3>(3 * atom)));
                  result[(std::size_t(j) * nb + s1) * nb + s0] +=
                    M_PI * w0 * w0 / (2.0 * n_partners) * g * overlap;
                }
            }
        }
    }
  } // namespace phonons
} // namespace kapitza
