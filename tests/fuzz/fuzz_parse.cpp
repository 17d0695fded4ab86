// libFuzzer target: definition text -> asl::parse (must never throw or crash).
#include <stepsim/asl/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  auto result = stepsim::asl::parse(text);
  // Contract: a machine xor at least one diagnostic.
  if (result.ok() == !result.errors.empty()) __builtin_trap();
  return 0;
}
