#pragma once
// RFC 6901 JSON pointers, built one step at a time: every message about a scenario or a results
// document names the value it is about this way ("/services/1/concurrency").

#include <cstddef>
#include <string>
#include <string_view>

namespace sim {

/// `parent` followed by the object member `key`, escaped as the RFC says ('~' as "~0", '/' as "~1").
inline std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

/// `parent` followed by the array element `index`.
inline std::string child_pointer(std::string_view parent, std::size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

}  // namespace sim
