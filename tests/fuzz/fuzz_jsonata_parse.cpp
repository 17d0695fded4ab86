// libFuzzer target: JSONata expression text -> jsonata::expression::compile.
// A syntax error (jsonata::error) is an accepted outcome; any other exception
// escapes and aborts, as does a crash, hang or leak in the parser.
#include <stepsim/jsonata/expression.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  try {
    auto e = stepsim::jsonata::expression::compile(text);
    if (e.text() != text) __builtin_trap();
  } catch (stepsim::jsonata::error const& err) {
    if (err.code().empty()) __builtin_trap();
  }
  return 0;
}
