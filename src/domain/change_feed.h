// ChangeFeed: tells this process that events were committed — by this node
// or by any other node sharing the store — so live views (agent desktops,
// the routing engine) can read the event log after their last seq instead of
// polling it. A notification carries no data: read ListEvents(after=last
// seen) to learn what changed. Notifications may be coalesced (one for many
// commits) but one always follows any commit of events.
//
// Threads: Subscribe/Unsubscribe from any thread; callbacks run on the
// feed's own thread, must be quick and must not call Unsubscribe.
#pragma once

#include <functional>

namespace onestop::domain {

class ChangeFeed {
 public:
  using Callback = std::function<void()>;
  virtual ~ChangeFeed() = default;
  // Returns a handle for Unsubscribe.
  virtual int Subscribe(Callback callback) = 0;
  virtual void Unsubscribe(int handle) = 0;
};

}  // namespace onestop::domain
