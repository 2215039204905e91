// The council's telephone front door as the app keeps it: one store setting
// ("telephony", codec::TelephonyToJson text), written by `onestop seed-demo`
// from the council file's "telephony" section and read by the server at
// start-up for the SIP front end (src/sip): the numbers it answers and the
// IVR menus callers hear.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "domain/store.h"
#include "domain/telephony.h"

namespace onestop::app {

inline constexpr char kTelephonySetting[] = "telephony";

// The stored telephony; nullopt when none is stored. DataLoss naming the
// problem if the stored text does not read back (a hand-edited row).
absl::StatusOr<std::optional<domain::Telephony>> LoadTelephony(domain::Store& store);

}  // namespace onestop::app
