// `onestop simulate` and `onestop staffing`: the planning oracle and the
// routing simulator on the command line. Neither touches the database.
// Registered from main.cc; Run() after parsing returns the exit code when
// one of these subcommands was chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

#include "planning/erlang.h"
#include "routing/simulator.h"

namespace onestop::app {

class PlanningCommands {
 public:
  explicit PlanningCommands(CLI::App& cli);
  std::optional<int> Run() const;

 private:
  CLI::App* simulate_ = nullptr;
  CLI::App* staffing_ = nullptr;
  routing::SimulationConfig sim_;
  double sim_patience_ = 0;
  planning::StaffingRequest staff_;
  double staff_patience_ = 0;
  bool json_ = false;
};

}  // namespace onestop::app
