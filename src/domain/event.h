// The event log: every change to a case, citizen, contact, service or staff
// record, appended in the same transaction as the change. It is the audit
// trail and the feed later channels read (Open311 updates, desktops, reports).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/channel.h"

namespace onestop::domain {

struct FieldChange {
  std::string field;
  std::string before;  // text form; empty when the field was unset
  std::string after;
  bool operator==(const FieldChange&) const = default;
};

struct Event {
  int64_t seq = 0;  // assigned by the store: gap-free, increasing in commit order
  absl::Time at;
  int64_t actor_id = 0;             // staff id; 0 = the public / system / API client
  std::optional<Channel> channel;   // channel the change came through, when known
  std::string entity;               // "case", "citizen", "contact", "service", "staff", "note", "merge"
  int64_t entity_id = 0;            // numeric id (services use 0; see entity_key)
  std::string entity_key;           // e.g. service code, case reference
  std::string type;                 // "case.created", "case.updated", "case.status_changed", "note.added", ...
  std::optional<int64_t> case_id;     // for the case's history
  std::optional<int64_t> citizen_id;  // for the citizen's timeline
  std::vector<FieldChange> changes;
  bool operator==(const Event&) const = default;
};

struct EventQuery {
  int64_t after_seq = 0;
  std::optional<int64_t> case_id = {};
  std::optional<int64_t> citizen_id = {};
  std::string entity = {};
  // Only events with from <= at < to (either bound optional). The result is
  // still ordered by seq and paged by after_seq.
  std::optional<absl::Time> from = {};
  std::optional<absl::Time> to = {};
  int limit = 100;
};

}  // namespace onestop::domain
