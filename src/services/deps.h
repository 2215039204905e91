// What every use case needs: the store, the clock and the working calendar.
// Owned by the app; use cases hold references and are thread-safe as long as
// these are (they are).
#pragma once

#include "common/clock.h"
#include "domain/calendar.h"
#include "domain/store.h"

namespace onestop::services {

class Catalogue;

struct Deps {
  domain::Store& store;
  const Clock& clock;
  const domain::WorkingCalendar& calendar;
  Catalogue& catalogue;
};

}  // namespace onestop::services
