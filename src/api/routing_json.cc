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
                          {"citizen", nullptr},
                          {"connected_at", Rfc3339OrNull(item.connected_at)},
                          {"contact_id", nullptr}};
  if (item.agent_id != 0) out["agent_id"] = item.agent_id;
  if (d.contact) out["contact_id"] = d.contact->id;
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
                             {"media", q.media},
                             {"wallboard",
                              {{"group", q.wallboard_group},
                               {"order", q.wallboard_order},
                               {"service_level_green_pct", q.sl_green_pct},
                               {"service_level_amber_pct", q.sl_amber_pct},
                               {"wait_amber_seconds", q.wait_amber_seconds},
                               {"wait_red_seconds", q.wait_red_seconds}}},
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

boost::json::object WallboardToJson(const std::vector<services::QueueBoard>& boards, absl::Time now,
                                    const std::vector<services::FloorAgent>* floor) {
  boost::json::array queues;
  for (const services::QueueBoard& b : boards) {
    boost::json::object q = FiguresToJson(b.today);
    q["code"] = b.config.id;
    q["media"] = std::string(routing::MediaName(b.config.media));
    const int64_t longest = b.live.waiting > 0 ? absl::ToInt64Seconds(now - b.live.oldest_entered_at) : 0;
    q["rag"] = std::string(domain::RagStatus(
        b.settings, b.today.answered + b.today.abandoned > 0 ? b.today.service_level() : -1, longest));
    q["wallboard_group"] = b.settings.wallboard_group;
    int signed_in = 0;
    for (int p = 0; p < 5; ++p) {
      if (p != static_cast<int>(routing::Presence::kOffline)) signed_in += b.live.agents_by_state[p];
    }
    q["agents_signed_in"] = signed_in;
    q["agents_available_eligible"] = b.live.available_eligible;
    // Case tasks are withdrawn when their case closes, never abandoned.
    if (b.config.media == routing::Media::kCaseTask) q["abandon_rate"] = nullptr;
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
  boost::json::object out{{"type", "wallboard"}, {"at", FormatRfc3339(now)}, {"queues", std::move(queues)}};
  if (floor != nullptr) {
    boost::json::array agents;
    for (const services::FloorAgent& a : *floor) {
      if (a.agent.chosen == routing::Presence::kOffline && a.agent.items.empty()) continue;
      agents.push_back({{"id", a.staff.id},
                        {"name", a.staff.display_name},
                        {"state", std::string(routing::PresenceName(a.agent.shown))},
                        {"reason", a.agent.reason},
                        {"state_since", Rfc3339OrNull(a.agent.state_since)}});
    }
    out["agents"] = std::move(agents);
  }
  return out;
}

}  // namespace onestop::api
