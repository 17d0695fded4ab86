// libFuzzer target: study file text -> study::parse_study (must never throw or crash).
// Definitions and traces it names are read from examples/coldstart-accumulation.
#include <stepsim/study/study.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  auto r = stepsim::study::parse_study(text, STEPSIM_FUZZ_EXAMPLE_DIR);
  // Contract: a study xor at least one located error.
  if (r.value.has_value() == !r.errors.empty()) __builtin_trap();
  return 0;
}
