#include "jsonata/pool.hpp"

namespace stepsim::jsonata::detail::pool {

namespace {

// Frees a thread's cached blocks when the thread ends.
struct closer {
  ~closer() {
    mine.closed = true;
    for (std::size_t c = 0; c < classes; ++c) {
      while (free_block* b = mine.head[c]) {
        mine.head[c] = b->next;
        release(b, c * granule);
      }
      mine.cached[c] = 0;
    }
  }
};

}  // namespace

void adopt() noexcept {
  thread_local closer registered;
  (void)registered;
}

}  // namespace stepsim::jsonata::detail::pool
