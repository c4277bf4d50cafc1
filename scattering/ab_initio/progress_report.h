#pragma once
// Progress of a long loop over work items of about equal cost (the q-point rows of the
// three-phonon sums), with an estimate of the time left: the elapsed time scaled by the
// items left over the items done.

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace kapitza
{
  namespace phonons
  {
    class ProgressReport
    {
    public:
      /// Lines "LABEL: 10% of ITEMS (n of N), 12.0 s, ETA 108 s" go to `out` (flushed
      /// at once); a null `out` (the other ranks) prints nothing.
      ProgressReport(std::ostream *out, const std::string &label, const std::string &items);

      /// Starts the clock for `total` items (this rank's share).
      void start(std::size_t total);
      /// One more item done: prints a line each time another tenth is complete.
      void advance();

    private:
      static constexpr unsigned int steps = 10; // a line every 10 %

      std::ostream                         *out;
      std::string                           label, items;
      std::size_t                           total = 0, done = 0;
      unsigned int                          printed = 0; // tenths reported
      std::chrono::steady_clock::time_point begin;
    };
  } // namespace phonons
} // namespace kapitza
