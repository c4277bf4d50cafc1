#pragma once
// Elastic scattering by the natural isotope mix (Tamura, PRB 27, 858 (1983)):
//   1/tau_l = (pi w_l^2 / 2N) sum_l' delta(w_l - w_l') sum_k g_k |sum_a e*_ka(l) e_ka(l')|^2
// with the mass-variance parameter g_k = sum_i f_i (1 - m_i / m_bar)^2 of atom k.

#include "scattering/ab_initio/harmonic_phonons.h"

#include <map>
#include <string>
#include <vector>

namespace kapitza
{
  namespace phonons
  {
    struct Isotope
    {
      double mass;      // [u]
      double abundance; // fraction
    };

    /// Natural isotopes of each element symbol.
    const std::map<std::string, std::vector<Isotope>> &natural_isotopes();

    /// g of the natural mix of an element. The symbol may carry a label suffix
    /// ("Si(D)"); throws naming it when the element is unknown.
    double mass_variance(const std::string &symbol);

    /// Isotope scattering of the modes at q0 into the modes of the partner points
    /// k = partners[j] (the whole mesh, or a sub-mesh with its own delta weights):
    /// result[(j * nb + s1) * nb + s0] += rate [1/s] of (q0, s0) -> (k, s1), given the
    /// delta weights delta[(s1 * n_partners + j) * nb + s0] of delta(w(q0, s0) - w(k, s1)).
    /// The 1/N of the sum is 1/partners.size().
    void add_isotope_rates(const PhononMesh &mesh, unsigned int q0, const std::vector<unsigned int> &partners,
                           const std::vector<double> &atom_mass_variance,
                           const std::vector<double> &delta, double frequency_cutoff,
                           std::vector<double> &result);
  } // namespace phonons
} // namespace kapitza
