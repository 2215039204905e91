// JSON forms of the routing views, shared by the API (routes_routing.cc)
// and the WebSocket channels of the staff desktop and wallboard (src/web).
#pragma once

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "services/routing.h"

namespace onestop::api {

std::string StateName(routing::ItemState s);  // "waiting", "offered", "connected"
boost::json::object ItemToJson(const services::DeskItem& item);
boost::json::object DeskToJson(const services::AgentDesk& desk);
boost::json::object QueueToJson(const domain::RoutingQueue& queue);
boost::json::object ProfileToJson(const domain::RoutingProfile& profile);
boost::json::object FiguresToJson(const routing::QueueFigures& figures);
// {"queues": [...]} with live state, today's figures, red/amber/green and
// agents by state; with `floor`, also "agents": the signed-in agents' states.
boost::json::object WallboardToJson(const std::vector<services::QueueBoard>& boards, absl::Time now,
                                    const std::vector<services::FloorAgent>* floor = nullptr);

}  // namespace onestop::api
