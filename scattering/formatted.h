#pragma once
// printf-style formatting into a std::string, for messages and log lines whose number
// formats (%.6g, %.3e) scripts and readers rely on.

#include <cstdarg>
#include <cstdio>
#include <string>

namespace kapitza
{
  __attribute__((format(printf, 1, 2))) inline std::string formatted(const char *format, ...)
  {
    va_list arguments, copy;
    va_start(arguments, format);
    va_copy(copy, arguments);
    std::string text(std::vsnprintf(nullptr, 0, format, copy), '\0');
    va_end(copy);
    std::vsnprintf(text.data(), text.size() + 1, format, arguments);
    va_end(arguments);
    return text;
  }
} // namespace kapitza
