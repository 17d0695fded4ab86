// libFuzzer target: Lambda log text -> calibration::read_logs -> calibrate (must never throw or crash).
#include <stepsim/study/calibrate.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  namespace cal = stepsim::study::calibration;
  std::string text(reinterpret_cast<char const*>(data), size);
  auto r = cal::read_logs(text);
  // Contract: malformed reports are counted, at most 20 kept; every report read is in range.
  if (r.malformed.size() > r.malformed_count || r.malformed.size() > cal::log_reading::max_kept_malformed)
    __builtin_trap();
  for (auto const& rep : r.reports) {
    if (!(rep.duration_ms >= 0 && rep.duration_ms <= 1e10) || !(rep.billed_ms >= 0 && rep.billed_ms <= 1e10) ||
        rep.memory_mb < 128 || rep.memory_mb > 10240 || rep.request_id.empty())
      __builtin_trap();
    if (rep.init_ms && !(*rep.init_ms >= 0 && *rep.init_ms <= 1e10)) __builtin_trap();
  }
  cal::function_logs logs{"fn", {"fuzz"}, std::move(r.reports), r.malformed_count};
  for (auto mode : {cal::fit_mode::automatic, cal::fit_mode::lognormal}) {
    std::string error;
    auto c = cal::calibrate(logs, std::nullopt, {.mode = mode, .quantiles = 11}, error);
    if (c.has_value() == !error.empty()) __builtin_trap();
    // Whatever is written must read back as a latency.
    if (c) {
      auto s = c->settings();
      for (auto key : {"init_ms", "run_ms"}) {
        if (!s.contains(key)) continue;
        std::string e;
        auto l = stepsim::lambda::latency::from_json(s.at(key), e);
        if (!l || !std::isfinite(l->mean_ms())) __builtin_trap();
      }
    }
  }
  return 0;
}
