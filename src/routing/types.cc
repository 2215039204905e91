#include "routing/types.h"

#include "domain/routing_config.h"

namespace onestop::routing {
namespace {
constexpr const std::array<std::string_view, kMediaCount>& kMediaNames = domain::kRoutingMediaNames;
constexpr std::array<std::string_view, 5> kPresenceNames = {"offline", "available", "on_break",
                                                            "busy", "wrap_up"};
constexpr std::array<std::string_view, 4> kStrategyNames = {"longest_idle", "least_occupied",
                                                            "round_robin", "best_fit"};
template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}
}  // namespace

std::string_view MediaName(Media m) { return kMediaNames[static_cast<size_t>(m)]; }
std::optional<Media> ParseMedia(std::string_view n) { return Parse<Media>(kMediaNames, n); }
std::string_view PresenceName(Presence p) { return kPresenceNames[static_cast<size_t>(p)]; }
std::optional<Presence> ParsePresence(std::string_view n) {
  return Parse<Presence>(kPresenceNames, n);
}
std::string_view StrategyName(Strategy s) { return kStrategyNames[static_cast<size_t>(s)]; }
std::optional<Strategy> ParseStrategy(std::string_view n) {
  return Parse<Strategy>(kStrategyNames, n);
}

}  // namespace onestop::routing
