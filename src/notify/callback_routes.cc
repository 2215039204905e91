#include "notify/callback_routes.h"

#include <algorithm>

#include "api/support.h"
#include "notify/callbacks.h"
#include "spdlog/spdlog.h"

namespace onestop::notify {

void RegisterNotifyCallbackRoutes(http::Router& router, services::RecordDeliveryReceipt& receipts,
                                  std::string token) {
  api::AddRoute(router, "POST", "/notify/callbacks/delivery-status",
                [&receipts, token](http::Request& request) -> absl::StatusOr<http::Response> {
                  if (!BearerTokenMatches(request.Header("Authorization").value_or(""), token)) {
                    return absl::UnauthenticatedError("the callback token is missing or wrong");
                  }
                  absl::StatusOr<DeliveryReceipt> receipt = ParseDeliveryReceipt(request.body);
                  if (!receipt.ok()) return receipt.status();
                  domain::OutboxState outcome;
                  std::string error;
                  switch (receipt->status) {
                    case NotificationStatus::kDelivered:
                      outcome = domain::OutboxState::kDelivered;
                      break;
                    case NotificationStatus::kPermanentFailure:
                    case NotificationStatus::kTemporaryFailure:
                    case NotificationStatus::kTechnicalFailure:
                      outcome = domain::OutboxState::kFailed;
                      error = std::string(NotificationStatusName(receipt->status));
                      std::replace(error.begin(), error.end(), '-', '_');
                      break;
                    default:
                      return api::NoContent();  // not final yet
                  }
                  absl::StatusOr<domain::OutboxMessage> recorded =
                      receipts.Run(receipt->notification_id, outcome, error, receipt->completed_at);
                  if (!recorded.ok()) return recorded.status();
                  spdlog::info("notify: message {} {}", recorded->id, NotificationStatusName(receipt->status));
                  return api::NoContent();
                });
}

}  // namespace onestop::notify
