// Activities (create, describe, delete, list, GetActivityTask with long polling), the callbacks
// SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, and tags.
#include "server/service_impl.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace stepsim::server {

namespace asio = boost::asio;

namespace {

constexpr std::string_view activity_token_prefix = "stepsim-activity:";

/// A Task's wait for its activity worker.
struct activity_wait {
  std::optional<asio::any_completion_handler<void(std::exception_ptr, json::value)>> handler;
  asio::any_io_executor executor;
  void complete(std::exception_ptr e, json::value v) {
    if (!handler) return;
    asio::post(executor, [h = std::move(*handler), e, v = std::move(v)]() mutable { std::move(h)(e, std::move(v)); });
    handler.reset();
  }
};

api_error no_activity(std::string_view arn) {
  return api_error("ActivityDoesNotExist", fmt::format("Activity Does Not Exist: '{}'", arn));
}

}  // namespace

void service::impl::create_activity(request const& r, reply_to const& reply) {
  auto name = r.required_string("name");
  check_name(name);
  auto a_arn = arn("activity", name);
  auto [it, fresh] = activities.try_emplace(a_arn);
  if (fresh) {
    it->second.arn = a_arn;
    it->second.name = name;
    it->second.created = sched.now();
    set_tags(a_arn, r.list("tags"));
    persist(a_arn);
  }
  // Creating an activity that exists returns it, as AWS does.
  reply.ok({{"activityArn", a_arn}, {"creationDate", epoch(it->second.created)}});
}

void service::impl::describe_activity(request const& r, reply_to const& reply) {
  auto a_arn = r.required_string("activityArn");
  parse_arn(a_arn);
  auto it = activities.find(a_arn);
  if (it == activities.end()) throw no_activity(a_arn);
  reply.ok({{"activityArn", a_arn}, {"name", it->second.name}, {"creationDate", epoch(it->second.created)}});
}

void service::impl::delete_activity(request const& r, reply_to const& reply) {
  auto a_arn = r.required_string("activityArn");
  parse_arn(a_arn);
  if (auto it = activities.find(a_arn); it != activities.end()) {
    for (auto& poll : it->second.polls) {
      poll->timer->cancel();
      poll->reply.ok({});
    }
    activities.erase(it);
    tags.erase(a_arn);
    persist(a_arn);
  }
  reply.ok({});
}

void service::impl::list_activities(request const& r, reply_to const& reply) {
  json::array items;
  for (auto const& [a_arn, a] : activities)
    items.push_back(json::object{{"activityArn", a_arn}, {"name", a.name}, {"creationDate", epoch(a.created)}});
  reply.ok(page(r, "activities", std::move(items)));
}

void service::impl::hand_out(activity_record& a) {
  while (!a.queue.empty() && !a.polls.empty()) {
    auto task = a.queue.front();
    a.queue.pop_front();
    auto poll = a.polls.front();
    a.polls.pop_front();
    poll->timer->cancel();
    activity_tokens[task->token] = task;
    poll->reply.ok({{"taskToken", task->token}, {"input", task->input}});
  }
}

void service::impl::get_activity_task(request const& r, reply_to const& reply) {
  auto a_arn = r.required_string("activityArn");
  parse_arn(a_arn);
  auto it = activities.find(a_arn);
  if (it == activities.end()) throw no_activity(a_arn);
  // A long poll: answered by the next task, or empty after 60 s of wall time (AWS's limit).
  auto poll = std::make_shared<activity_poll>(activity_poll{reply, std::make_shared<asio::steady_timer>(sched.context())});
  poll->timer->expires_after(std::chrono::seconds(60));
  poll->timer->async_wait([this, a_arn, raw = poll.get()](boost::system::error_code ec) {
    if (ec) return;
    auto it = activities.find(a_arn);
    if (it == activities.end()) return;
    auto& polls = it->second.polls;
    for (auto p = polls.begin(); p != polls.end(); ++p)
      if (p->get() == raw) {
        (*p)->reply.ok({});
        polls.erase(p);
        return;
      }
  });
  it->second.polls.push_back(std::move(poll));
  hand_out(it->second);
}

asio::awaitable<json::value> service::impl::run_activity(std::string activity_arn, tasks::invocation const& inv) {
  auto it = activities.find(activity_arn);
  if (it == activities.end())
    throw tasks::task_error("States.Runtime", fmt::format("Activity Does Not Exist: '{}'", activity_arn));
  auto task = std::make_shared<activity_task>();
  task->token = fmt::format("{}{}:{}", activity_token_prefix, ++counter, next_id());
  task->activity_arn = activity_arn;
  task->input = asl::to_text(inv.input);
  task->heartbeat = inv.heartbeat;
  auto wait = std::make_shared<activity_wait>();
  wait->executor = sched.get_executor();
  task->complete = [wait](std::optional<json::value> out, std::string error, std::string cause) {
    if (out) wait->complete(nullptr, std::move(*out));
    else wait->complete(std::make_exception_ptr(tasks::task_error(std::move(error), std::move(cause))), nullptr);
  };
  it->second.queue.push_back(task);
  hand_out(it->second);
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, json::value)>(
      // Raw pointers on purpose (this frame's `wait` and `task` keep them
      // alive while awaited): g++ 12 destroys temporaries of a co_await
      // expression twice, so captured shared_ptrs would drop them too early.
      [this, wait = wait.get(), task = task.get()](auto handler) {
        wait->handler.emplace(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(*wait->handler);
        if (slot.is_connected())
          // The Task timed out or its execution ended: the task is withdrawn.
          slot.assign([this, wait, task](asio::cancellation_type) {
            activity_tokens.erase(task->token);
            if (auto a = activities.find(task->activity_arn); a != activities.end())
              std::erase_if(a->second.queue, [task](auto const& queued) { return queued.get() == task; });
            wait->complete(std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)), nullptr);
          });
      },
      asio::use_awaitable);
}

namespace {

/// AWS's answer to a token it never issued.
api_error invalid_token() { return api_error("InvalidToken", "Invalid Token: 'Invalid token'"); }

/// True when `token` has the shape of the engine's task tokens ("<16 hex digits>:<execution>:<state>").
bool engine_token(std::string_view token) {
  return token.size() > 17 && token[16] == ':' && token.substr(0, 16).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

void service::impl::send_task_success(request const& r, reply_to const& reply) {
  auto token = r.required_string("taskToken");
  std::string why;
  auto output = asl::parse_json(r.required_string("output"), why);
  if (!output) throw api_error("InvalidOutput", fmt::format("Invalid Output: '{}'", why));
  if (auto it = activity_tokens.find(token); it != activity_tokens.end()) {
    auto task = it->second;
    activity_tokens.erase(it);
    task->complete(std::move(*output), {}, {});
    return reply.ok({});
  }
  if (token.starts_with(activity_token_prefix))
    throw api_error("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist anymore'");
  if (!engine_token(token)) throw invalid_token();
  for (auto const& [key, slot] : slots)
    if (slot->eng->send_task_success(token, *output)) {
      token_waits.erase(token);
      return reply.ok({});
    }
  throw api_error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

void service::impl::send_task_failure(request const& r, reply_to const& reply) {
  auto token = r.required_string("taskToken");
  auto error = r.string("error").value_or("");
  auto cause = r.string("cause").value_or("");
  if (auto it = activity_tokens.find(token); it != activity_tokens.end()) {
    auto task = it->second;
    activity_tokens.erase(it);
    task->complete(std::nullopt, error, cause);
    return reply.ok({});
  }
  if (token.starts_with(activity_token_prefix))
    throw api_error("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist anymore'");
  if (!engine_token(token)) throw invalid_token();
  for (auto const& [key, slot] : slots)
    if (slot->eng->send_task_failure(token, error, cause)) {
      token_waits.erase(token);
      return reply.ok({});
    }
  throw api_error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

void service::impl::send_task_heartbeat(request const& r, reply_to const& reply) {
  auto token = r.required_string("taskToken");
  if (auto it = activity_tokens.find(token); it != activity_tokens.end()) {
    if (it->second->heartbeat) it->second->heartbeat();
    return reply.ok({});
  }
  if (token.starts_with(activity_token_prefix))
    throw api_error("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist anymore'");
  if (!engine_token(token)) throw invalid_token();
  for (auto const& [key, slot] : slots)
    if (slot->eng->send_task_heartbeat(token)) return reply.ok({});
  throw api_error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
}

void service::impl::set_tags(std::string const& resource, json::array const* list) {
  if (!list) return;
  auto& current = tags[resource];
  for (auto const& t : *list) {
    auto const* o = t.if_object();
    auto const* k = o ? o->if_contains("key") : nullptr;
    auto const* v = o ? o->if_contains("value") : nullptr;
    if (!k || !k->is_string() || (v && !v->is_string()))
      throw api_error("SerializationException", "tags: each tag must be an object with a string key and a string value");
    std::string key(k->get_string()), value(v ? std::string(v->get_string()) : std::string());
    auto same = std::find_if(current.begin(), current.end(), [&](auto const& p) { return p.first == key; });
    if (same != current.end()) same->second = std::move(value);
    else current.emplace_back(std::move(key), std::move(value));
  }
  if (current.size() > 50)
    throw api_error("TooManyTags", fmt::format("Too many tags: '{}' would have {} tags; the limit is 50", resource, current.size()));
}

namespace {

/// Throws ResourceNotFound unless `arn` names a state machine or an activity.
void check_taggable(service::impl const& s, std::string const& arn) {
  parse_arn(arn);
  if (!s.machines.count(arn) && !s.activities.count(arn))
    throw api_error("ResourceNotFound", fmt::format("Resource not found: '{}'", arn));
}

}  // namespace

void service::impl::tag_resource(request const& r, reply_to const& reply) {
  auto resource = r.required_string("resourceArn");
  check_taggable(*this, resource);
  auto before = tags[resource];
  try {
    set_tags(resource, r.list("tags"));
  } catch (api_error const&) {
    tags[resource] = std::move(before);
    throw;
  }
  persist(resource);
  reply.ok({});
}

void service::impl::untag_resource(request const& r, reply_to const& reply) {
  auto resource = r.required_string("resourceArn");
  check_taggable(*this, resource);
  auto& current = tags[resource];
  for (auto const& k : *r.list("tagKeys"))
    if (k.is_string()) std::erase_if(current, [&](auto const& p) { return p.first == k.get_string(); });
  persist(resource);
  reply.ok({});
}

void service::impl::list_tags(request const& r, reply_to const& reply) {
  auto resource = r.required_string("resourceArn");
  check_taggable(*this, resource);
  json::array out;
  for (auto const& [k, v] : tags[resource]) out.push_back(json::object{{"key", k}, {"value", v}});
  reply.ok({{"tags", std::move(out)}});
}

}  // namespace stepsim::server
