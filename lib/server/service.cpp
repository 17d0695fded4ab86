// The service: dispatch of operations, replies, the engines executions run on.
#include <stepsim/server/service.hpp>

#include "server/service_impl.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/server/lambda_endpoint.hpp>
#include <stepsim/sim/uuid.hpp>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace stepsim::server {

namespace asio = boost::asio;

struct reply_to::state {
  std::optional<asio::any_completion_handler<void(response)>> handler;
  asio::any_io_executor executor;
};

reply_to::reply_to(asio::any_completion_handler<void(response)> h, asio::any_io_executor ex)
    : state_(std::make_shared<state>(state{std::move(h), std::move(ex)})) {}

void reply_to::operator()(response r) const {
  if (!state_->handler) return;
  asio::post(state_->executor, [h = std::move(*state_->handler), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
  state_->handler.reset();
}

void reply_to::error(api_error const& e) const {
  json::object body{{"__type", e.type()}, {"message", e.what()}};
  (*this)(response{400, json::serialize(body)});
}

void reply_to::ok(json::object const& body) const { (*this)(response{200, json::serialize(body)}); }

namespace {

/// `text` with every byte outside printable ASCII written as \xNN: the X-Amz-Target header may hold any
/// byte, and a message quoting it must stay valid UTF-8 (JSON) for the client to read it.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

}  // namespace

arn_parts parse_arn(std::string_view arn) {
  constexpr std::string_view prefix = "arn:aws:states:";
  if (!arn.starts_with(prefix)) throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Invalid ARN prefix: {}'", arn));
  auto rest = arn.substr(prefix.size());
  // REGION:ACCOUNT:KIND:...
  std::size_t colons[3];
  std::size_t at = 0;
  for (auto& c : colons) {
    c = rest.find(':', at);
    if (c == std::string_view::npos) throw api_error("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
    at = c + 1;
  }
  arn_parts p{std::string(rest.substr(colons[1] + 1, colons[2] - colons[1] - 1)), std::string(rest.substr(colons[2] + 1))};
  if (p.kind.empty() || p.rest.empty()) throw api_error("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
  return p;
}

json::object page(request const& r, std::string_view key, json::array items) {
  std::size_t offset = 0;
  if (auto t = r.string("nextToken")) offset = page_offset(*t);
  if (offset > items.size()) throw api_error("InvalidToken", fmt::format("Invalid Token: '{}'", *r.string("nextToken")));
  auto size = page_size(r);
  json::array out;
  for (std::size_t i = offset; i < items.size() && i < offset + size; ++i) out.push_back(std::move(items[i]));
  json::object body{{key, std::move(out)}};
  if (offset + size < items.size()) body["nextToken"] = page_token(offset + size);
  return body;
}

std::vector<std::string> definition_problems(asl::diagnostics const& errors) {
  std::vector<std::string> out;
  for (auto const& e : errors)
    out.push_back(fmt::format("SCHEMA_VALIDATION_FAILED: {} at {}", e.message, e.pointer.empty() ? "/" : e.pointer));
  return out;
}

service::impl::impl(sim::scheduler& s, service_options o)
    : sched(s), options(std::move(o)), routing_stream(sim::rng(options.seed).stream("server/alias-routing")) {
  install_base_handlers();
  if (!options.persistence) return;
  auto stored = options.persistence->load(sched.now());
  for (auto& m : stored.machines) {
    auto p = std::make_shared<machine_record>(std::move(m));
    if (p->version) versions[p->machine_arn].push_back(p->arn);
    machines[p->arn] = std::move(p);
  }
  for (auto& [arn, list] : versions)
    std::sort(list.begin(), list.end(), [&](auto const& a, auto const& b) { return machines[a]->version < machines[b]->version; });
  for (auto& e : stored.executions) {
    auto p = std::make_shared<execution_record>(std::move(e));
    executions[p->arn] = p;
    started.push_back(std::move(p));
  }
  restore(stored.records);
  // Identifiers stay fresh across restarts.
  counter = std::uint64_t(sched.now().time_since_epoch().count());
}

std::string service::impl::next_id() {
  ++counter;
  // Shaped as a version 4 UUID; distinct for every counter below 2^48.
  std::uint64_t high = (std::uint64_t(std::uint32_t(counter * 2654435761u)) << 32) | ((counter & 0xffff) << 16) | 0x4000 |
                       ((counter >> 16) & 0xfff);
  std::uint64_t low = ((0x8000 | ((counter >> 28) & 0xfff)) << 48) | (counter & 0xffffffffffffull);
  return sim::uuid_text(high, low);
}

void service::impl::install_base_handlers() {
  base.add_async(
      "*",
      [this](tasks::invocation const& inv) -> asio::awaitable<json::value> {
        std::string_view resource = inv.resource;
        if (!inv.task_token.empty()) token_waits.emplace(inv.task_token, inv.execution_name);
        if (resource.starts_with("arn:aws:states:") && resource.find(":activity:") != std::string_view::npos)
          co_return co_await run_activity(std::string(resource), inv);
        if (options.handlers)
          if (auto const* e = options.handlers->find(resource)) {
            if (e->async) co_return co_await e->async(inv);
            if (e->consuming) co_return e->consuming(inv.input);
            co_return e->sync(inv.input);
          }
        // The callback pattern ignores what the resource returns: it waits for SendTaskSuccess.
        if (options.echo_tasks || !inv.task_token.empty()) co_return inv.input;
        throw tasks::task_error("States.TaskFailed",
                                fmt::format("stepsim serve has no handler for the resource '{}' of state '{}' (start it "
                                            "with --echo-tasks, --mock-config or --functions)",
                                            resource, inv.state_name));
      },
      tasks::context_use::ignores);
}

engine_slot& service::impl::slot_for(machine_record const& m, std::string const& test_case) {
  // A test case's mocks are checked against the definition they answer for.
  std::string key = test_case.empty() ? std::string() : m.arn + "#" + m.revision_id + "#" + test_case;
  auto it = slots.find(key);
  if (it != slots.end()) return *it->second;
  auto s = std::make_unique<engine_slot>();
  engine::engine_options eo;
  eo.seed = options.seed + slots.size();
  eo.region = options.region;
  eo.account = options.account;
  if (test_case.empty()) {
    s->eng = std::make_unique<engine::engine>(sched, base, eo);
  } else {
    if (!options.mock_config)
      throw api_error("StateMachineDoesNotExist",
                      fmt::format("State Machine Does Not Exist: '{}#{}' (test cases need stepsim serve --mock-config)",
                                  m.arn, test_case));
    s->eng = std::make_unique<engine::engine>(sched, s->registry, eo);
    try {
      s->mocks.use(*options.mock_config, *m.compiled, m.name, test_case, "--mock-config");
    } catch (tasks::mock_config_error const& e) {
      throw api_error("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}#{}': {}", m.arn, test_case, e.what()));
    }
    s->mocks.install(s->registry, &base, s->eng.get());
  }
  return *slots.emplace(std::move(key), std::move(s)).first->second;
}

void service::impl::dispatch(std::string_view operation, std::string_view body, reply_to const& reply) {
  static std::unordered_map<std::string_view, op> const table{
      {"CreateStateMachine", &impl::create_state_machine},
      {"DescribeStateMachine", &impl::describe_state_machine},
      {"UpdateStateMachine", &impl::update_state_machine},
      {"DeleteStateMachine", &impl::delete_state_machine},
      {"ListStateMachines", &impl::list_state_machines},
      {"ValidateStateMachineDefinition", &impl::validate_definition},
      {"PublishStateMachineVersion", &impl::publish_version},
      {"ListStateMachineVersions", &impl::list_versions},
      {"DeleteStateMachineVersion", &impl::delete_version},
      {"CreateStateMachineAlias", &impl::create_alias},
      {"DescribeStateMachineAlias", &impl::describe_alias},
      {"UpdateStateMachineAlias", &impl::update_alias},
      {"DeleteStateMachineAlias", &impl::delete_alias},
      {"ListStateMachineAliases", &impl::list_aliases},
      {"StartExecution", &impl::start_execution},
      {"StartSyncExecution", &impl::start_sync_execution},
      {"DescribeExecution", &impl::describe_execution},
      {"StopExecution", &impl::stop_execution},
      {"ListExecutions", &impl::list_executions},
      {"GetExecutionHistory", &impl::get_execution_history},
      {"DescribeStateMachineForExecution", &impl::describe_machine_for_execution},
      {"RedriveExecution", &impl::redrive_execution},
      {"ListMapRuns", &impl::list_map_runs},
      {"DescribeMapRun", &impl::describe_map_run},
      {"UpdateMapRun", &impl::update_map_run},
      {"TestState", &impl::test_state},
      {"CreateActivity", &impl::create_activity},
      {"DescribeActivity", &impl::describe_activity},
      {"DeleteActivity", &impl::delete_activity},
      {"ListActivities", &impl::list_activities},
      {"GetActivityTask", &impl::get_activity_task},
      {"SendTaskSuccess", &impl::send_task_success},
      {"SendTaskFailure", &impl::send_task_failure},
      {"SendTaskHeartbeat", &impl::send_task_heartbeat},
      {"TagResource", &impl::tag_resource},
      {"UntagResource", &impl::untag_resource},
      {"ListTagsForResource", &impl::list_tags},
  };
  auto it = table.find(operation);
  auto const* spec = find_operation(operation);
  if (it == table.end() || !spec)
    throw api_error("UnknownOperationException", fmt::format("Unknown operation: '{}'", printable(operation)));
  request r(*spec, body);
  (this->*(it->second))(r, reply);
}

service::service(sim::scheduler& sched, service_options options)
    : impl_(std::make_unique<impl>(sched, std::move(options))) {}

service::~service() {
  // Executions still running are stopped as StopExecution stops them, and their coroutines unwind on
  // the scheduler's ready handlers here, so that their frames go with the service rather than wait
  // for the scheduler (or, held by what the service owns, never go). Nothing of it is written to the
  // store: after a restart they are ABORTED with stepsim.ServerRestarted, as after a kill. Nobody
  // is answered any more (a StartSyncExecution still waiting is dropped with its connection).
  auto& i = *impl_;
  i.options.persistence = nullptr;
  i.on_end.clear();
  std::vector<std::shared_ptr<engine::execution>> running;
  for (auto const& [arn, e] : i.executions)
    if (e->run && !e->run->done()) running.push_back(e->run);
  for (auto const& run : running) run->stop("stepsim.ServiceStopped", "The service running the execution was destroyed");
  auto& ctx = i.sched.context();
  ctx.restart();
  for (int turn = 0; turn < 1000 && ctx.poll() > 0; ++turn) ctx.restart();
}

void service::start(std::string_view target, std::string_view body, asio::any_completion_handler<void(response)> h) {
  reply_to reply(std::move(h), impl_->sched.get_executor());
  try {
    constexpr std::string_view prefix = "AWSStepFunctions.";
    if (!target.starts_with(prefix))
      throw api_error("UnknownOperationException",
                      target.empty() ? std::string("Missing X-Amz-Target header: expected AWSStepFunctions.<Operation>")
                                     : fmt::format("Unknown operation: '{}'", printable(target)));
    impl_->dispatch(target.substr(prefix.size()), body, reply);
  } catch (api_error const& e) {
    reply.error(e);
  } catch (std::exception const& e) {
    json::object b{{"__type", "com.amazon.coral.service#InternalFailure"}, {"message", e.what()}};
    reply(response{500, json::serialize(b)});
  }
}

bool service::waiting_for_clients() {
  auto& waits = impl_->token_waits;
  for (auto it = waits.begin(); it != waits.end();) {
    // A Task that ended another way (its branch failed, its execution stopped) holds its token no more.
    bool held = false;
    for (auto const& [key, slot] : impl_->slots) held = held || slot->eng->send_task_heartbeat(it->first);
    it = held ? std::next(it) : waits.erase(it);
  }
  if (auto const* l = impl_->options.lambda; l && l->in_flight() > 0) return true;
  return !waits.empty() || !impl_->activity_tokens.empty() ||
         std::any_of(impl_->activities.begin(), impl_->activities.end(), [](auto const& a) { return !a.second.queue.empty(); });
}

std::size_t service::executions_held() const { return impl_->executions.size(); }

response service::handle_now(std::string_view target, std::string_view body) {
  std::optional<response> out;
  async_handle(target, body, [&out](response r) { out = std::move(r); });
  auto& sched = impl_->sched;
  auto& ctx = sched.context();
  while (!out) {
    ctx.restart();
    if (ctx.poll() > 0 || out) continue;
    if (auto due = sched.next_due(); due && !waiting_for_clients()) {
      sched.run_until(*due);
      continue;
    }
    ctx.restart();
    if (ctx.run_one() == 0 && !out) throw std::logic_error("the request was never answered");
  }
  return std::move(*out);
}

}  // namespace stepsim::server
