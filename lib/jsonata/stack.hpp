// Private to jsonata: how much of this thread's native stack is left, so that
// the recursive parser, post-parse stage and evaluator refuse (U1001) before
// they run out of it, whatever the frame sizes of the build (sanitizers make
// them many times larger) and whatever stack the calling thread was given.
#pragma once

#include <cstdint>

namespace stepsim::jsonata::detail {

/// The lowest address the recursion may reach on this thread: the stack's
/// end plus a margin for the frames a refusal still needs (throwing and
/// unwinding). Read once per thread.
std::uintptr_t stack_floor() noexcept;

/// stack_floor() of this thread, computed on first use.
inline std::uintptr_t this_thread_floor() noexcept {
  thread_local std::uintptr_t const floor = stack_floor();
  return floor;
}

/// True when the caller's frame is below the floor: recurse no deeper.
inline bool stack_exhausted() noexcept {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) < this_thread_floor();
}

}  // namespace stepsim::jsonata::detail
