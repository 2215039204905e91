// The council's wrap-up codes as the app keeps them: one store setting
// ("dispositions", codec::DispositionsToJson text), written by `onestop
// seed-demo` from the council file's routing.dispositions and read by the
// server at start-up for the routing desk (services/interactions.h).
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "domain/disposition.h"
#include "domain/store.h"

namespace onestop::app {

inline constexpr char kDispositionsSetting[] = "dispositions";

// The stored codes; none when none are stored. DataLoss naming the problem
// if the stored text does not read back (a hand-edited row).
absl::StatusOr<std::vector<domain::Disposition>> LoadDispositions(domain::Store& store);

}  // namespace onestop::app
