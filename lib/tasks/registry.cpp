#include <stepsim/tasks/registry.hpp>

#include <algorithm>

namespace stepsim::tasks {

namespace {

void insert(auto& exact, auto& patterns, std::string pattern, registry::entry e) {
  if (pattern.find('*') == std::string::npos) {
    exact.insert_or_assign(std::move(pattern), std::move(e));
    return;
  }
  auto it = std::find_if(patterns.begin(), patterns.end(), [&](auto const& p) { return p.first == pattern; });
  if (it != patterns.end())
    it->second = std::move(e);
  else
    patterns.emplace_back(std::move(pattern), std::move(e));
}

}  // namespace

registry& registry::add(std::string pattern, handler h) {
  insert(exact_, patterns_, std::move(pattern), entry{std::move(h), {}});
  return *this;
}

registry& registry::add_async(std::string pattern, async_handler h) {
  return add_async(std::move(pattern), std::move(h), context_use::reads);
}

registry& registry::add_async(std::string pattern, async_handler h, context_use context) {
  insert(exact_, patterns_, std::move(pattern), entry{{}, std::move(h), {}, context == context_use::reads});
  return *this;
}

registry& registry::add_consuming(std::string pattern, consuming_handler h) {
  insert(exact_, patterns_, std::move(pattern), entry{{}, {}, std::move(h)});
  return *this;
}

bool registry::remove(std::string_view pattern) {
  if (auto it = exact_.find(pattern); it != exact_.end()) {
    exact_.erase(it);
    return true;
  }
  auto it = std::find_if(patterns_.begin(), patterns_.end(), [&](auto const& p) { return p.first == pattern; });
  if (it == patterns_.end()) return false;
  patterns_.erase(it);
  return true;
}

registry::entry const* registry::find(std::string_view resource) const {
  if (!exact_.empty())  // (skips hashing `resource` when only patterns are registered)
    if (auto it = exact_.find(resource); it != exact_.end()) return &it->second;
  for (auto const& [pattern, e] : patterns_)
    if (matches(pattern, resource)) return &e;
  return nullptr;
}

bool registry::matches(std::string_view pattern, std::string_view text) noexcept {
  if (pattern == "*") return true;  // the catch-all, common in tests and benchmarks
  // Greedy wildcard matching with backtracking to the last '*': linear in practice, never exponential.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace stepsim::tasks
