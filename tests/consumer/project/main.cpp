// Consumer smoke test: only public headers, only the stepsim::stepsim target.
#include <stepsim/asl/path.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <chrono>
#include <cstdio>
#include <string>

int main() {
  using namespace std::chrono;
  stepsim::sim::instant const start{duration_cast<stepsim::sim::duration>(seconds{1'700'000'000})};
  auto sched = stepsim::sim::scheduler::virtual_time(start);
  if (sched.now() != start) {
    std::fprintf(stderr, "scheduler::now() is not the start instant\n");
    return 1;
  }
  std::printf("now: %lld us since epoch\n", static_cast<long long>(sched.now().time_since_epoch().count()));

  std::string error;
  auto p = stepsim::asl::path::parse("$.who", error);
  if (!p) {
    std::fprintf(stderr, "path::parse(\"$.who\") failed: %s\n", error.c_str());
    return 1;
  }
  std::printf("path: %s\n", p->text().c_str());
  std::printf("stepsim consumer OK\n");
  return 0;
}
