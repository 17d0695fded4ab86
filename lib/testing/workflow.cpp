#include <stepsim/testing/workflow.hpp>

#include <stepsim/asl/parse.hpp>
#include <stepsim/json/read_file.hpp>

#include <fmt/format.h>

#include <filesystem>


namespace stepsim::testing {

namespace json = boost::json;

namespace {

/// The whole file (bounded by its kind, as every file stepsim reads), or a workflow_error saying why not.
std::string read_whole_file(std::string const& path, stepsim::json::file_kind kind) {
  std::string error;
  auto text = stepsim::json::read_file(path, kind, error);
  if (!text) throw workflow_error(error);
  return std::move(*text);
}

std::shared_ptr<asl::state_machine const> parse_named(std::string_view text, std::string const& source) {
  auto r = asl::parse(text);
  if (r.ok()) return r.machine;
  std::string all;
  for (auto const& e : r.errors)
    all += fmt::format("{}{}: {}: {}", all.empty() ? "" : "\n", source, e.pointer.empty() ? "/" : e.pointer, e.message);
  throw workflow_error(all);
}

}  // namespace

struct workflow::impl {
  std::shared_ptr<asl::state_machine const> machine;
  workflow_options options;
  sim::scheduler sched = sim::scheduler::virtual_time(default_start);
  tasks::registry user_handlers;
  tasks::registry dispatch;
  mock_table mocks;
  std::unique_ptr<engine::engine> eng;
  bool started = false;

  impl(std::shared_ptr<asl::state_machine const> m, workflow_options o) : machine(std::move(m)), options(std::move(o)) {
    if (options.state_machine_name.empty()) options.state_machine_name = "StateMachine";
    rebuild();
  }

  void rebuild() {
    sched = sim::scheduler::virtual_time(options.start);
    eng = std::make_unique<engine::engine>(sched, dispatch, engine::engine_options{.seed = options.seed});
    mocks.install(dispatch, &user_handlers, eng.get());
  }

  void before_start(char const* what) const {
    if (started) throw std::logic_error(fmt::format("workflow::{}: an execution has started already", what));
  }
};

workflow::workflow(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
workflow::workflow(workflow&&) noexcept = default;
workflow& workflow::operator=(workflow&&) noexcept = default;
workflow::~workflow() = default;

workflow workflow::from_machine(std::shared_ptr<asl::state_machine const> machine, workflow_options options) {
  if (!machine) throw workflow_error("workflow::from_machine: no state machine");
  return workflow(std::make_unique<impl>(std::move(machine), std::move(options)));
}

workflow workflow::from_text(std::string_view definition, workflow_options options) {
  return from_machine(parse_named(definition, "definition"), std::move(options));
}

workflow workflow::from_file(std::string const& path, workflow_options options) {
  auto text = read_whole_file(path, stepsim::json::file_kind::definition);
  if (options.state_machine_name.empty())
    options.state_machine_name = std::filesystem::path(path).stem().stem().string();
  return from_machine(parse_named(text, path), std::move(options));
}

workflow& workflow::set_start(sim::instant start) {
  impl_->before_start("set_start");
  impl_->options.start = start;
  impl_->rebuild();
  return *this;
}

workflow& workflow::set_seed(std::uint64_t seed) {
  impl_->before_start("set_seed");
  impl_->options.seed = seed;
  impl_->rebuild();
  return *this;
}

workflow& workflow::set_state_machine_name(std::string name) {
  impl_->before_start("set_state_machine_name");
  impl_->options.state_machine_name = std::move(name);
  return *this;
}

engine::execution_options& workflow::execution_options() noexcept { return impl_->options.execution; }

mock_builder& workflow::mock(std::string const& state_name) { return impl_->mocks.state(state_name); }
mock_builder& workflow::mock_resource(std::string const& pattern) { return impl_->mocks.resource(pattern); }

workflow& workflow::use_mock_config(std::string const& path, std::string const& test_case) {
  std::string text;
  try {
    text = read_whole_file(path, stepsim::json::file_kind::mock);
  } catch (workflow_error const& e) {
    throw tasks::mock_config_error(path, {{"", e.what()}});
  }
  return use_mock_config(tasks::read_mock_config_or_throw(text, path), test_case, path);
}

workflow& workflow::use_mock_config(tasks::mock_config config, std::string const& test_case,
                                    std::string const& source) {
  impl_->mocks.use(std::move(config), *impl_->machine, impl_->options.state_machine_name, test_case, source);
  return *this;
}

tasks::registry& workflow::handlers() noexcept { return impl_->user_handlers; }

std::shared_ptr<engine::execution> workflow::start(json::value input) {
  impl_->started = true;
  auto options = impl_->options.execution;
  options.state_machine_name = impl_->options.state_machine_name;
  auto ex = impl_->eng->start(impl_->machine, std::move(input), options);
  impl_->mocks.reset_attempts(ex->result().name);
  return ex;
}

engine::execution_result workflow::run(json::value input) {
  auto ex = start(std::move(input));
  finish();
  return ex->result();
}

void workflow::advance(sim::duration d) { impl_->sched.run_for(d); }
void workflow::run_until(sim::instant t) { impl_->sched.run_until(t); }
void workflow::finish() { impl_->sched.run(); }

std::vector<call> workflow::calls(std::string_view state_name) const { return impl_->mocks.calls(state_name); }
std::deque<call> const& workflow::all_calls() const noexcept { return impl_->mocks.all_calls(); }

sim::instant workflow::now() const noexcept { return impl_->sched.now(); }
sim::scheduler& workflow::scheduler() noexcept { return impl_->sched; }
engine::engine& workflow::engine() noexcept { return *impl_->eng; }
std::shared_ptr<asl::state_machine const> const& workflow::machine() const noexcept { return impl_->machine; }
std::string const& workflow::state_machine_name() const noexcept { return impl_->options.state_machine_name; }

}  // namespace stepsim::testing
