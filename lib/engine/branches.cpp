#include "engine/branches.hpp"

namespace stepsim::engine {

boost::asio::awaitable<json::value> run_parallel(execution::state&, asl::state const& s, json::value const&,
                                                std::int64_t) {
  throw asl::states_error("States.Runtime", "Parallel state '" + s.name + "' is not supported yet");
  co_return json::value();
}

boost::asio::awaitable<json::value> run_map(execution::state&, asl::state const& s, json::value const&, std::int64_t) {
  throw asl::states_error("States.Runtime", "Map state '" + s.name + "' is not supported yet");
  co_return json::value();
}

}  // namespace stepsim::engine
