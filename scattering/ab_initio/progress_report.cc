#include "scattering/ab_initio/progress_report.h"

#include "scattering/formatted.h"

namespace kapitza
{
  namespace phonons
  {
    ProgressReport::ProgressReport(std::ostream *out, const std::string &label,
                                   const std::string &items)
      : out(out)
      , label(label)
      , items(items)
    {}

    void ProgressReport::start(std::size_t n)
    {
      total   = n;
      done    = 0;
      printed = 0;
      begin   = std::chrono::steady_clock::now();
    }

    void ProgressReport::advance()
    {
      ++done;
      const unsigned int tenths = total == 0 ? steps : static_cast<unsigned int>(steps * done / total);
      if (!out || tenths <= printed)
        return;
      printed = tenths;
      const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      const double left = elapsed * double(total - done) / double(done);
      *out << formatted("%s: %3.0f%% of %s (%zu of %zu), %.1f s", label.c_str(),
                        100.0 * double(done) / double(total), items.c_str(), done, total, elapsed)
           << (done < total ? formatted(", ETA %.0f s", left) : std::string()) << std::endl;
    }
  } // namespace phonons
} // namespace kapitza
