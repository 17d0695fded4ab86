// libFuzzer target: trace CSV text -> study::read_trace (must never throw or crash).
#include <stepsim/study/workload.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string text(reinterpret_cast<char const*>(data), size);
  static auto const origin = *stepsim::sim::parse_iso8601("2024-01-01T00:00:00Z");
  std::string error;
  auto arrivals = stepsim::study::read_trace(text, origin, "wf", error);
  // Contract: arrivals xor an error naming a line; arrivals are sorted and never before the origin.
  if (arrivals.has_value() == !error.empty()) __builtin_trap();
  if (arrivals)
    for (std::size_t i = 0; i < arrivals->size(); ++i) {
      auto const& a = (*arrivals)[i];
      if (a.at < stepsim::sim::duration::zero() || (i && a.at < (*arrivals)[i - 1].at) || a.workflow.empty())
        __builtin_trap();
    }
  return 0;
}
