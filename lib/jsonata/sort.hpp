// The reference's stable merge sort: `greater(a, b)` true means b goes first.
// Top-down, splitting at floor(n / 2) as jsonata-js's msort does, so that a
// comparator that fails (or has side effects) sees the same pairs in the same
// order as in the reference.
#pragma once

#include <cstddef>
#include <vector>

namespace stepsim::jsonata::detail {

template <class T, class Greater>
void merge_sort_range(std::vector<T>& items, std::vector<T>& buf, std::size_t lo, std::size_t hi, Greater& greater) {
  if (hi - lo <= 1) return;
  std::size_t mid = lo + (hi - lo) / 2;
  merge_sort_range(items, buf, lo, mid, greater);
  merge_sort_range(items, buf, mid, hi, greater);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) buf[k++] = greater(items[i], items[j]) ? items[j++] : items[i++];
  while (i < mid) buf[k++] = items[i++];
  while (j < hi) buf[k++] = items[j++];
  for (k = lo; k < hi; ++k) items[k] = buf[k];
}

template <class T, class Greater>
void merge_sort(std::vector<T>& items, Greater&& greater) {
  if (items.size() <= 1) return;
  std::vector<T> buf(items.size());
  merge_sort_range(items, buf, 0, items.size(), greater);
}

}  // namespace stepsim::jsonata::detail
