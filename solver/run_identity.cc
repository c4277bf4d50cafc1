#include "solver/run_identity.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace kapitza
{
  namespace
  {
    std::string sha256_hex(const std::string &bytes)
    {
      std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
      std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
      unsigned int                               length = 0;
      if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
          EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
          EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1)
        throw std::runtime_error("cannot compute the SHA-256 of the input file");
      std::string hex;
      for (unsigned int i = 0; i < length; ++i)
        {
          char pair[3];
          std::snprintf(pair, sizeof pair, "%02x", digest[i]);
          hex += pair;
        }
      return hex;
    }

    std::string utc_time(std::time_t time, const char *format)
    {
      char text[32];
      std::strftime(text, sizeof text, format, std::gmtime(&time));
      return text;
    }
  } // namespace

  RunIdentity RunIdentity::of_input(const std::string &input_file)
  {
    std::ifstream in(input_file, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot open input file '" + input_file + "'");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char              host[256] = "";
    gethostname(host, sizeof host - 1);
    RunIdentity identity;
    identity.input_file   = input_file;
    identity.input_sha256 = sha256_hex(bytes);
    identity.start_time   = utc_time(now, "%Y-%m-%dT%H:%M:%SZ");
    identity.run_id = utc_time(now, "%Y%m%dT%H%M%SZ") + "-" + host + "-" + std::to_string(getpid());
    return identity;
  }
} // namespace kapitza
