// The reference's stable merge sort: `greater(a, b)` true means b goes first.
#pragma once

#include <cstddef>
#include <vector>

namespace stepsim::jsonata::detail {

template <class T, class Greater>
void merge_sort(std::vector<T>& items, Greater&& greater) {
  std::size_t n = items.size();
  if (n <= 1) return;
  std::vector<T> buf(n);
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      std::size_t mid = lo + width < n ? lo + width : n;
      std::size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) buf[k++] = greater(items[i], items[j]) ? items[j++] : items[i++];
      while (i < mid) buf[k++] = items[i++];
      while (j < hi) buf[k++] = items[j++];
    }
    items.swap(buf);
  }
}

}  // namespace stepsim::jsonata::detail
