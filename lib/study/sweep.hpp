// Private to stepsim::study: a study's "sweep", a grid of overrides expanded into named scenarios.
#pragma once

#include <stepsim/asl/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stepsim::study::detail {

/// One point of the grid: its scenario name, the override document it
/// applies, its coordinates (axis name -> value) and, per axis with a
/// "path", where its value came from (for errors).
struct sweep_point {
  std::string name;
  boost::json::object overrides;
  boost::json::object coordinates;
  struct origin {
    std::vector<std::string> path;  ///< the axis's path, as tokens ("*" matches any)
    std::string value_pointer;      ///< "/sweep/axes/K/values/J"
  };
  std::vector<origin> origins;
};

/// The most scenarios a sweep may make.
inline constexpr std::size_t max_sweep_points = 10000;

/// Expands the study's "sweep" (at /sweep) into its points, first axis
/// slowest; problems go to `out` with their JSON pointers (nullopt then).
std::optional<std::vector<sweep_point>> expand_sweep(boost::json::value const& sweep, asl::diagnostics& out);

/// Where an error at `pointer` (inside a point's settings) comes from: the
/// sweep value at fault ("/sweep/axes/K/values/J" plus what follows the
/// axis's path), or nullopt when no axis path leads there.
std::optional<std::string> sweep_pointer(sweep_point const& p, std::string const& pointer);

}  // namespace stepsim::study::detail
