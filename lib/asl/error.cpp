#include <stepsim/asl/error.hpp>

namespace stepsim::asl {

// RFC 6901: '~' becomes "~0" and '/' becomes "~1", so a state named "a/b"
// stays one reference token.
std::string pointer_append(std::string const& base, std::string_view token) {
  std::string out;
  out.reserve(base.size() + token.size() + 1);
  out += base;
  out += '/';
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(std::string const& base, std::size_t index) {
  return base + '/' + std::to_string(index);
}

}  // namespace stepsim::asl
