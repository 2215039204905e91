#include "app/planning_commands.h"

#include <boost/json.hpp>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>

#include "absl/strings/str_format.h"

namespace onestop::app {
namespace {

// One flat JSON object with doubles in plain decimal ("360", "0.0397...")
// rather than Boost.JSON's exponent form ("3.6E2"); non-finite → null.
std::string PlainJson(const boost::json::object& o) {
  std::string out = "{";
  for (const auto& [key, value] : o) {
    if (out.size() > 1) out += ",";
    out += boost::json::serialize(boost::json::string(key));
    out += ":";
    if (value.is_double()) {
      const double d = value.get_double();
      out += std::isfinite(d) ? absl::StrFormat("%.15g", d) : "null";
    } else {
      out += boost::json::serialize(value);
    }
  }
  return out + "}";
}

}  // namespace

PlanningCommands::PlanningCommands(CLI::App& cli) {
  simulate_ = cli.add_subcommand(
      "simulate", "Run the routing engine on a virtual clock: one queue, Poisson arrivals, "
                  "exponential handling (and patience)");
  simulate_->add_option("--agents", sim_.agents, "Agents logged in")->required()->check(CLI::Range(1, 100000));
  simulate_->add_option("--arrivals-per-hour", sim_.arrivals_per_hour, "Mean arrivals per hour")->required();
  simulate_->add_option("--aht", sim_.aht_seconds, "Mean handling time, seconds")->required();
  simulate_->add_option("--hours", sim_.hours, "Simulated hours")->required();
  simulate_->add_option("--seed", sim_.seed, "Random seed")->required();
  simulate_->add_option("--patience", sim_patience_, "Mean caller patience, seconds (abandons)");
  simulate_->add_flag("--json", json_, "Print one JSON object");

  staffing_ = cli.add_subcommand("staffing", "Agents needed for a service level (Erlang C, or Erlang A with --patience)");
  staffing_->add_option("--arrivals", staff_.arrivals, "Contacts in the interval")->required();
  staffing_->add_option("--interval", staff_.interval_seconds, "Interval length, seconds")->required();
  staffing_->add_option("--aht", staff_.aht_seconds, "Average handling time, seconds")->required();
  staffing_->add_option("--target", staff_.target_service_level, "Target service level, e.g. 0.8")->required();
  staffing_->add_option("--within", staff_.within_seconds, "Answered within this many seconds")->required();
  staffing_->add_option("--shrinkage", staff_.shrinkage, "Shrinkage, e.g. 0.3");
  staffing_->add_option("--max-occupancy", staff_.max_occupancy, "Occupancy cap, e.g. 0.85");
  staffing_->add_option("--patience", staff_patience_, "Mean patience, seconds: use Erlang A");
  staffing_->add_flag("--json", json_, "Print one JSON object");
}

std::optional<int> PlanningCommands::Run() const {
  if (simulate_->parsed()) {
    routing::SimulationConfig c = sim_;
    if (sim_patience_ > 0) c.patience_seconds = sim_patience_;
    auto r = routing::Simulate(c);
    if (!r.ok()) {
      std::cerr << "onestop simulate: " << r.status().message() << "\n";
      return 2;
    }
    boost::json::object o{{"agents", c.agents},
                          {"arrivals_per_hour", c.arrivals_per_hour},
                          {"aht", c.aht_seconds},
                          {"hours", c.hours},
                          {"seed", c.seed},
                          {"offered", r->offered},
                          {"answered", r->answered},
                          {"abandoned", r->abandoned},
                          {"p_wait", r->p_wait},
                          {"service_level_20s", r->service_level_20s},
                          {"asa_seconds", r->asa_seconds},
                          {"occupancy", r->occupancy},
                          {"aht_seconds", r->aht_seconds},
                          {"abandon_rate", r->abandon_rate},
                          {"routing_decisions", r->decisions}};
    if (c.patience_seconds) o["patience"] = *c.patience_seconds;
    if (json_) {
      std::cout << PlainJson(o) << "\n";
    } else {
      std::cout << std::fixed << std::setprecision(3) << "offered " << r->offered << ", answered "
                << r->answered << ", abandoned " << r->abandoned << "\nP(wait) " << r->p_wait
                << "  SL(20 s) " << r->service_level_20s << "  ASA " << r->asa_seconds
                << " s  occupancy " << r->occupancy << "\n";
    }
    return 0;
  }
  if (staffing_->parsed()) {
    planning::StaffingRequest q = staff_;
    if (staff_patience_ > 0) q.patience_seconds = staff_patience_;
    auto r = planning::SolveStaffing(q);
    if (!r.ok()) {
      std::cerr << "onestop staffing: " << r.status().message() << "\n";
      return 2;
    }
    boost::json::object o{{"traffic_erlangs", r->traffic},
                          {"agents", r->agents},
                          {"scheduled", r->scheduled},
                          {"service_level", r->service_level},
                          {"occupancy", r->occupancy},
                          {"p_wait", r->p_wait},
                          {"asa_seconds", r->asa_seconds},
                          {"model", q.patience_seconds ? "erlang_a" : "erlang_c"}};
    if (q.patience_seconds) o["p_abandon"] = r->p_abandon;
    if (json_) {
      std::cout << PlainJson(o) << "\n";
    } else {
      std::cout << std::fixed << std::setprecision(3) << "traffic " << r->traffic << " Erlangs: "
                << r->agents << " agents (" << r->scheduled << " scheduled), SL " << r->service_level
                << ", occupancy " << r->occupancy << ", P(wait) " << r->p_wait << ", ASA "
                << r->asa_seconds << " s\n";
    }
    return 0;
  }
  return std::nullopt;
}

}  // namespace onestop::app
