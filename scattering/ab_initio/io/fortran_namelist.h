#pragma once
// The part of Fortran namelist input that ShengBTE's CONTROL files use: groups &name ...
// closed by / or &end, `!` comments, quoted strings, r*value repeats, whole arrays, array
// sections (lattvec(:,2), born(1:3,2,1)) and elements that fill on in array order. Used by
// scattering/ab_initio/io/shengbte_reader.cc.

#include <map>
#include <string>
#include <vector>

namespace kapitza
{
  namespace fortran
  {
    /// One `name(subscripts) = values` of a namelist group.
    struct Assignment
    {
      std::string              subscripts; // without blanks, "" for the whole variable
      std::vector<std::string> values;
    };

    /// group -> variable -> assignments in file order (names in lower case).
    using Namelists = std::map<std::string, std::map<std::string, std::vector<Assignment>>>;

    /// Parses every group of the file; throws std::runtime_error naming `path`.
    Namelists parse_namelists(const std::string &path);

    /// The words given to array `name` of `group` with shape `dims`, column-major, ""
    /// where not set (all "" when the variable is absent).
    std::vector<std::string> words(const Namelists &lists, const std::string &group,
                                   const std::string &name, const std::vector<int> &dims,
                                   const std::string &path);

    /// The words as numbers (Fortran d exponents allowed); unset elements take `defaults`,
    /// and without defaults every element must be set.
    std::vector<double> numbers(const Namelists &lists, const std::string &group,
                                const std::string &name, const std::vector<int> &dims,
                                const std::string &path, const std::vector<double> &defaults = {});

    /// A scalar logical (.true., .false., T, F, ...), `fallback` when not set.
    bool logical(const Namelists &lists, const std::string &group, const std::string &name,
                 bool fallback, const std::string &path);
  } // namespace fortran
} // namespace kapitza
