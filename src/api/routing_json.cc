#include "api/routing_json.h"

#include "absl/strings/str_cat.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

boost::json::value Rfc3339OrNull(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return nullptr;
  return boost::json::value(FormatRfc3339(t));
}

}  // namespace

std::string StateName(routing::ItemState s) {
  switch (s) {
    case routing::ItemState::kWaiting: return "waiting";
    case routing::ItemState::kOffered: return "offered";
    case routing::ItemState::kConnected: return "connected";
  }
  return "waiting";
}

boost::json::object ItemToJson(const services::DeskItem& d) {
  const routing::ItemView& item = d.item;
  boost::json::object out{{"id", item.id},
                          {"media", std::string(routing::MediaName(item.media))},
                          {"queue", item.queue},
                          {"priority", item.priority},
                          {"state", StateName(item.state)},
                          {"agent_id", nullptr},
                          {"entered_at", Rfc3339OrNull(item.entered_at)},
                          {"caller", item.caller},
                          {"reference", item.reference},
                          {"citizen", nullptr}};
  if (item.agent_id != 0) out["agent_id"] = item.agent_id;
  if (d.citizen) {
    out["citizen"] = boost::json::object{
        {"id", d.citizen->citizen_id},
        {"name", d.citizen->name},
        {"href", absl::StrCat("/staff/citizens/", d.citizen->citizen_id)}};
  }
  return out;
}

boost::json::object DeskToJson(const services::AgentDesk& desk) {
  boost::json::object capacity_load;
  for (int m = 0; m < routing::kMediaCount; ++m) {
    capacity_load[routing::MediaName(static_cast<routing::Media>(m))] = desk.agent.load[m];
  }
  boost::json::array items;
  for (const services::DeskItem& item : desk.items) items.push_back(ItemToJson(item));
  boost::json::array queues;
  for (const std::string& q : desk.agent.queues) queues.push_back(boost::json::value(q));
  return boost::json::object{{"agent_id", desk.agent.id},
                             {"name", desk.agent.name},
                             {"presence", std::string(routing::PresenceName(desk.agent.chosen))},
                             {"state", std::string(routing::PresenceName(desk.agent.shown))},
                             {"reason", desk.agent.reason},
                             {"state_since", Rfc3339OrNull(desk.agent.state_since)},
                             {"load", std::move(capacity_load)},
                             {"queues", std::move(queues)},
                             {"items", std::move(items)}};
}

boost::json::object QueueToJson(const domain::RoutingQueue& q) {
  boost::json::array skills;
  for (const auto& s : q.skills) skills.push_back({{"skill", s.skill}, {"min_level", s.min_level}});
  boost::json::array steps;
  for (const auto& s : q.steps) {
    steps.push_back({{"after_seconds", s.after_seconds},
                     {"keep_skills", s.keep_skills},
                     {"level_drop", s.level_drop}});
  }
  return boost::json::object{{"code", q.code},
                             {"name", q.name},
                             {"strategy", q.strategy},
                             {"skills", std::move(skills)},
                             {"steps", std::move(steps)},
                             {"priority_weight_seconds", q.priority_weight_seconds},
                             {"ring_timeout_seconds", q.ring_timeout_seconds},
                             {"wrap_up_seconds", q.wrap_up_seconds},
                             {"service_level_seconds", q.service_level_seconds},
                             {"version", q.version}};
}

boost::json::object ProfileToJson(const domain::RoutingProfile& p) {
  boost::json::array queues;
  for (const auto& line : p.queues) {
    queues.push_back(
        {{"queue", line.queue}, {"priority", line.priority}, {"delay_seconds", line.delay_seconds}});
  }
  boost::json::object capacity;
  for (int m = 0; m < routing::kMediaCount; ++m) {
    capacity[routing::MediaName(static_cast<routing::Media>(m))] = p.capacity[m];
  }
  return boost::json::object{{"code", p.code},       {"name", p.name},
                             {"team", p.team},       {"queues", std::move(queues)},
                             {"capacity", std::move(capacity)}, {"version", p.version}};
}

boost::json::object FiguresToJson(const routing::QueueFigures& f) {
  return boost::json::object{{"offered", f.offered},
                             {"answered", f.answered},
                             {"abandoned", f.abandoned},
                             {"completed", f.completed},
                             {"answered_within_threshold", f.answered_within},
                             {"service_level", f.service_level()},
                             {"asa_seconds", f.asa()},
                             {"aht_seconds", f.aht()},
                             {"abandon_rate", f.abandon_rate()},
                             {"p_wait", f.p_wait()}};
}

boost::json::object WallboardToJson(const std::vector<services::QueueBoard>& boards, absl::Time now) {
  boost::json::array queues;
  for (const services::QueueBoard& b : boards) {
    boost::json::object q = FiguresToJson(b.today);
    q["code"] = b.config.id;
    q["name"] = b.config.name.empty() ? b.config.id : b.config.name;
    q["service_level_seconds"] = b.config.service_level_seconds;
    q["waiting"] = b.live.waiting;
    q["oldest_entered_at"] = Rfc3339OrNull(b.live.oldest_entered_at);
    q["longest_wait_seconds"] =
        b.live.waiting > 0 ? absl::ToInt64Seconds(now - b.live.oldest_entered_at) : 0;
    q["occupancy"] = b.occupancy;
    boost::json::object agents;
    for (int p = 0; p < 5; ++p) {
      agents[routing::PresenceName(static_cast<routing::Presence>(p))] = b.live.agents_by_state[p];
    }
    q["agents"] = std::move(agents);
    queues.push_back(std::move(q));
  }
  return boost::json::object{{"type", "wallboard"}, {"at", FormatRfc3339(now)}, {"queues", std::move(queues)}};
}

}  // namespace onestop::api
