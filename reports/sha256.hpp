#pragma once
// SHA-256 (FIPS 180-4), for the report's Content-Security-Policy script hashes and the scenario
// file's fingerprint in the reproducibility footer. Small and dependency-free; not constant-time,
// which nothing here needs.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace reports {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view bytes);

/// Lower-case hexadecimal, 64 characters.
std::string to_hex(const Sha256Digest& digest);

/// Standard base64 (RFC 4648, with padding), as CSP hash sources want it.
std::string to_base64(std::string_view bytes);

}  // namespace reports
