// POST /notify/callbacks/delivery-status: GOV.UK Notify's delivery receipts
// for the texts the outbox sent (callbacks.h parses them). Notify calls it
// with "Authorization: Bearer <the callback token set in Notify>"; a wrong
// or missing token is 401, a malformed body 400, a receipt for a message we
// never sent 404 (logged; Notify stops retrying after five), else 204. Final
// statuses are recorded (services/outbox.h RecordDeliveryReceipt):
// delivered → delivered; permanent-, temporary- and technical-failure →
// failed (last_error "permanent_failure", …); the interim ones (created,
// sending, pending, sent) change nothing.
#pragma once

#include <string>

#include "http/router.h"
#include "services/outbox.h"

namespace onestop::notify {

// `receipts` must outlive `router`. `token` non-empty (the app refuses to
// start otherwise).
void RegisterNotifyCallbackRoutes(http::Router& router, services::RecordDeliveryReceipt& receipts,
                                  std::string token);

}  // namespace onestop::notify
