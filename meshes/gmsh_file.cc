#include "meshes/gmsh_file.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace kapitza
{
  namespace
  {
    // MSH 2.2 element types of dimension 0, 1 and 2 (point; lines; triangles and
    // quadrilaterals, first and second order).
    int element_dimension(int type)
    {
      switch (type)
        {
          case 15:
            return 0;
          case 1:
          case 8:
            return 1;
          case 2:
          case 3:
          case 9:
          case 10:
          case 16:
            return 2;
          default:
            return 3;
        }
    }

    std::vector<std::string> lines_of(const std::string &text)
    {
      std::vector<std::string> lines;
      std::istringstream       in(text);
      for (std::string line; std::getline(in, line);)
        lines.push_back(line.empty() || line.back() != '\r' ? line : line.substr(0, line.size() - 1));
      return lines;
    }

    std::string joined(const std::vector<std::string> &lines)
    {
      std::string text;
      for (const std::string &line : lines)
        text += line + "\n";
      return text;
    }

    // MSH 2.2: "number type ntags physical elementary ... nodes"
    void shift_elements(std::vector<std::string> &lines, std::size_t first, int dim, int shift)
    {
      for (std::size_t i = first; i < lines.size() && lines[i] != "$EndElements"; ++i)
        {
          std::istringstream in(lines[i]);
          std::vector<long>  words;
          for (long w; in >> w;)
            words.push_back(w);
          if (words.size() < 4 || element_dimension(words[1]) != dim - 1 || words[2] < 1)
            continue;
          words[3] += shift;
          std::string line;
          for (long w : words)
            line += (line.empty() ? "" : " ") + std::to_string(w);
          lines[i] = line;
        }
    }

    // MSH 4.1 $Entities: counts, then points "tag x y z nphys phys...", then curves,
    // surfaces, volumes "tag box(6) nphys phys... nbound bound...".
    void shift_entities(std::vector<std::string> &lines, std::size_t first, int dim, int shift)
    {
      std::istringstream counts(lines[first]);
      long               n[4] = {0, 0, 0, 0};
      counts >> n[0] >> n[1] >> n[2] >> n[3];
      std::size_t i = first + 1;
      for (int d = 0; d < 4; ++d)
        for (long e = 0; e < n[d]; ++e, ++i)
          {
            if (d != dim - 1)
              continue;
            std::istringstream  in(lines[i]);
            std::vector<std::string> words;
            for (std::string w; in >> w;)
              words.push_back(w);
            const std::size_t count_at = d == 0 ? 4 : 7;
            const long        n_tags   = std::stol(words.at(count_at));
            for (long t = 0; t < n_tags; ++t)
              words.at(count_at + 1 + t) = std::to_string(std::stol(words[count_at + 1 + t]) + shift);
            std::string line;
            for (const std::string &w : words)
              line += (line.empty() ? "" : " ") + w;
            lines[i] = line;
          }
    }

    // Every section "$Name" must be closed by "$EndName" before the next one opens: a file
    // cut short is refused by name instead of by the reader's text about a stray token.
    void check_sections(const std::vector<std::string> &lines, const std::string &file)
    {
      std::string open;
      for (const std::string &line : lines)
        {
          if (line.empty() || line[0] != '$')
            continue;
          if (open.empty())
            open = line.substr(1);
          else if (line == "$End" + open)
            open.clear();
          else
            break;
        }
      if (!open.empty())
        throw std::runtime_error(file + ": section $" + open +
                                 " is not closed by $End" + open + " (a truncated file?)");
    }

    // The dimension of the mesh: that of its highest elements (MSH 2.2: the element type of
    // each line; MSH 4.1: the entity dimension of each block "dim tag type count"); -1
    // without an $Elements section.
    int mesh_dimension(const std::vector<std::string> &lines, const std::string &version)
    {
      int highest = -1;
      for (std::size_t i = 0; i + 1 < lines.size(); ++i)
        {
          if (lines[i] != "$Elements")
            continue;
          for (std::size_t k = i + 2; k < lines.size() && lines[k] != "$EndElements";)
            {
              std::istringstream in(lines[k]);
              long               first = 0, second = 0, third = 0, count = 0;
              in >> first >> second >> third >> count;
              if (version == "2.2")
                {
                  highest = std::max(highest, element_dimension(second));
                  ++k;
                }
              else
                {
                  highest = std::max<int>(highest, first);
                  k += 1 + std::max(count, 0L);
                }
            }
        }
      return highest;
    }
  } // namespace

  std::string shift_boundary_tags(const std::string &text, int dim, int shift, const std::string &file)
  {
    std::vector<std::string> lines = lines_of(text);
    std::string              version;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
      if (lines[i] == "$MeshFormat")
        version = lines[i + 1].substr(0, lines[i + 1].find(' '));
    if (version != "2.2" && version != "4.1")
      throw std::runtime_error(file + ": Gmsh format '" + version +
                               "' is not supported (save as MSH 2.2 or 4.1 ASCII)");
    check_sections(lines, file);
    try
      {
        for (std::size_t i = 0; i + 1 < lines.size(); ++i)
          {
            if (version == "2.2" && lines[i] == "$Elements")
              shift_elements(lines, i + 2, dim, shift);
            if (version == "4.1" && lines[i] == "$Entities")
              shift_entities(lines, i + 1, dim, shift);
          }
      }
    catch (const std::logic_error &) // std::stol or a short line: a malformed section
      {
        throw std::runtime_error(file + ": malformed Gmsh $Entities or $Elements section");
      }
    const int found = mesh_dimension(lines, version);
    if (found < 0)
      throw std::runtime_error(file + ": has no elements (no or an empty $Elements section)");
    if (found != dim)
      throw std::runtime_error(file + ": a " + std::to_string(found) + "D mesh (its highest " +
                               "elements are " + std::to_string(found) + "-dimensional), but " +
                               "Dimension = " + std::to_string(dim));
    return joined(lines);
  }
} // namespace kapitza
