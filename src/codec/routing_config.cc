#include "codec/routing_config.h"

namespace onestop::codec {

void ReadSkillRules(ObjectReader& in, std::vector<domain::RoutingSkillRule>& out) {
  in.ForEachObject("skills", [&](ObjectReader& rule, size_t) {
    domain::RoutingSkillRule r;
    if (auto v = rule.String("skill", Presence::kRequired)) r.skill = *v;
    if (auto v = rule.Int32("min_level", Presence::kOptional, 1, 5)) r.min_level = *v;
    out.push_back(r);
  });
}

void ReadRoutingQueue(ObjectReader& in, domain::RoutingQueue& q) {
  if (auto v = in.String("name", Presence::kRequired)) q.name = *v;
  if (auto v = in.String("strategy")) q.strategy = *v;
  ReadSkillRules(in, q.skills);
  in.ForEachObject("steps", [&](ObjectReader& step, size_t) {
    domain::RoutingStepRule s;
    if (auto v = step.Int32("after_seconds", Presence::kRequired, 0, 86400)) s.after_seconds = *v;
    if (auto v = step.Int32("keep_skills", Presence::kOptional, -1, 100)) s.keep_skills = *v;
    if (auto v = step.Int32("level_drop", Presence::kOptional, 0, 4)) s.level_drop = *v;
    q.steps.push_back(s);
  });
  if (auto v = in.Int32("priority_weight_seconds", Presence::kOptional, 0, 86400)) q.priority_weight_seconds = *v;
  if (auto v = in.Int32("ring_timeout_seconds", Presence::kOptional, 0, 3600)) q.ring_timeout_seconds = *v;
  if (auto v = in.Int32("wrap_up_seconds", Presence::kOptional, 0, 3600)) q.wrap_up_seconds = *v;
  // Up to a week: case queues measure acceptance in hours.
  if (auto v = in.Int32("service_level_seconds", Presence::kOptional, 0, 604800)) q.service_level_seconds = *v;
  if (auto v = in.String("media")) q.media = *v;
  in.WithObject("wallboard", [&](ObjectReader& board) {
    if (auto v = board.String("group")) q.wallboard_group = *v;
    if (auto v = board.Int32("order", Presence::kOptional, -1000, 1000)) q.wallboard_order = *v;
    if (auto v = board.Int32("service_level_green_pct", Presence::kOptional, 0, 100)) q.sl_green_pct = *v;
    if (auto v = board.Int32("service_level_amber_pct", Presence::kOptional, 0, 100)) q.sl_amber_pct = *v;
    if (auto v = board.Int32("wait_amber_seconds", Presence::kOptional, 0, 604800)) q.wait_amber_seconds = *v;
    if (auto v = board.Int32("wait_red_seconds", Presence::kOptional, 0, 604800)) q.wait_red_seconds = *v;
  });
  in.Int("version");
}

void ReadRoutingProfile(ObjectReader& in, domain::RoutingProfile& p) {
  if (auto v = in.String("name", Presence::kRequired)) p.name = *v;
  if (auto v = in.String("team")) p.team = *v;
  in.ForEachObject("queues", [&](ObjectReader& line, size_t) {
    domain::RoutingProfileQueue q;
    if (auto v = line.String("queue", Presence::kRequired)) q.queue = *v;
    if (auto v = line.Int32("priority", Presence::kOptional, 1, 99)) q.priority = *v;
    if (auto v = line.Int32("delay_seconds", Presence::kOptional, 0, 86400)) q.delay_seconds = *v;
    p.queues.push_back(q);
  });
  in.WithObject("capacity", [&](ObjectReader& cap) {
    for (size_t m = 0; m < domain::kRoutingMediaNames.size(); ++m) {
      if (auto v = cap.Int32(domain::kRoutingMediaNames[m], Presence::kOptional, 0, 50)) p.capacity[m] = *v;
    }
  });
  in.Int("version");
}

}  // namespace onestop::codec
