#include "jsonata/stack.hpp"

#include <pthread.h>

#include <algorithm>
#include <cstddef>

namespace stepsim::jsonata::detail {

std::uintptr_t stack_floor() noexcept {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;  // unknown: the depth limits alone apply
  void* low = nullptr;
  std::size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || !low) return 0;
  // A quarter of the stack, at least 64 KiB and at most 1 MiB, stays unused.
  std::size_t margin = std::clamp<std::size_t>(size / 4, 64 * 1024, 1024 * 1024);
  return reinterpret_cast<std::uintptr_t>(low) + margin;
}

}  // namespace stepsim::jsonata::detail
