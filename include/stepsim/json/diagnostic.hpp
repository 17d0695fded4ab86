// stepsim::json::diagnostic: a problem in a JSON document, located by a JSON pointer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::json {

/// One problem found in a document (a definition, a study, a mock file):
/// where (a JSON pointer into it, e.g. "/States/Check/Choices/0/Next"; ""
/// for the whole document) and what, in words a person can act on.
struct diagnostic {
  std::string pointer;
  std::string message;
  friend bool operator==(diagnostic const&, diagnostic const&) = default;
};
using diagnostics = std::vector<diagnostic>;

/// Appends a JSON-pointer reference token to `base`, escaping '~' and '/'
/// (RFC 6901), so that a key such as "a/b" stays one token.
std::string pointer_append(std::string const& base, std::string_view token);
std::string pointer_append(std::string const& base, std::size_t index);

}  // namespace stepsim::json
