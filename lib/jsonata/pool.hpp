// Private to jsonata: small blocks recycled per thread for the shared values
// an evaluation makes and drops by the thousand (sequences, objects, strings,
// functions, frames), instead of a trip through malloc for each. Blocks of
// up to 512 bytes, in classes of 16 bytes, are kept on per-thread free
// lists (a bounded number per class, the rest freed); a block freed on
// another thread joins that thread's list. Under AddressSanitizer every
// block goes straight to operator new and delete, so that misuse is caught.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define STEPSIM_JSONATA_NO_POOL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STEPSIM_JSONATA_NO_POOL 1
#endif
#endif

namespace stepsim::jsonata::detail::pool {

inline constexpr std::size_t granule = 16;
inline constexpr std::size_t classes = 32;  // blocks up to 512 bytes
inline constexpr unsigned max_cached = 256;  // per class and thread

struct free_block {
  free_block* next;
};

/// A thread's free lists. Trivially destructible, so it stays readable while
/// the thread's other objects are destroyed; `closed` is set once they were
/// emptied at thread exit, after which blocks go back to operator delete.
struct lists {
  free_block* head[classes];
  unsigned cached[classes];
  bool closed;
};

inline thread_local lists mine{};

/// Registers the thread-exit clean-up (once per thread).
void adopt() noexcept;

/// operator delete with the block's size where the compiler declares it (clang before 17 only
/// with -fsized-deallocation), without otherwise.
inline void release(void* p, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__cpp_sized_deallocation)
  ::operator delete(p, bytes);
#else
  ::operator delete(p);
#endif
}

inline void* allocate(std::size_t bytes) {
#ifndef STEPSIM_JSONATA_NO_POOL
  std::size_t c = (bytes + granule - 1) / granule;
  if (c < classes) {
    if (free_block* b = mine.head[c]) {
      mine.head[c] = b->next;
      --mine.cached[c];
      return b;
    }
    if (!mine.closed) adopt();
    return ::operator new(c * granule);
  }
#endif
  return ::operator new(bytes);
}

inline void deallocate(void* p, std::size_t bytes) noexcept {
#ifndef STEPSIM_JSONATA_NO_POOL
  std::size_t c = (bytes + granule - 1) / granule;
  if (c < classes) {
    if (!mine.closed && mine.cached[c] < max_cached) {
      auto* b = static_cast<free_block*>(p);
      b->next = mine.head[c];
      mine.head[c] = b;
      ++mine.cached[c];
      return;
    }
    release(p, c * granule);
    return;
  }
#endif
  release(p, bytes);
}

template <class T>
struct allocator {
  using value_type = T;
  allocator() noexcept = default;
  template <class U>
  allocator(allocator<U> const&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(pool::allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { pool::deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(allocator<U> const&) const noexcept { return true; }
};

}  // namespace stepsim::jsonata::detail::pool

namespace stepsim::jsonata::detail {

/// std::make_shared, the block taken from the thread's pool.
template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(pool::allocator<T>{}, std::forward<Args>(args)...);
}

}  // namespace stepsim::jsonata::detail
