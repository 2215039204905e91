// A case: one piece of work the council does for a resident, from the moment
// it is reported on any channel until it is closed. The status machine and the
// SLA clock rules live here; persistence does not.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/channel.h"

namespace onestop::domain {

enum class CaseStatus {
  kNew,
  kOpen,
  kInProgress,
  kWaitingOnCitizen,
  kResolved,
  kClosed,
  kCancelled,
};
std::string_view CaseStatusName(CaseStatus s);  // "new", "open", "in_progress", "waiting_on_citizen", "resolved", "closed", "cancelled"
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);
inline constexpr CaseStatus kAllCaseStatuses[] = {
    CaseStatus::kNew,      CaseStatus::kOpen,   CaseStatus::kInProgress, CaseStatus::kWaitingOnCitizen,
    CaseStatus::kResolved, CaseStatus::kClosed, CaseStatus::kCancelled};

// The legal transitions:
//   new → open | in_progress | waiting_on_citizen | resolved | cancelled
//   open → in_progress | waiting_on_citizen | resolved | cancelled
//   in_progress → open | waiting_on_citizen | resolved | cancelled
//   waiting_on_citizen → open | in_progress | resolved | cancelled
//   resolved → closed | open (reopen)
//   closed → open (reopen)
//   cancelled → (none)
bool IsLegalTransition(CaseStatus from, CaseStatus to);
std::vector<CaseStatus> NextStatuses(CaseStatus from);
bool IsFinished(CaseStatus s);  // resolved, closed, cancelled: SLA clock stopped

enum class Priority { kLow, kNormal, kHigh, kUrgent };
std::string_view PriorityName(Priority p);  // "low", "normal", "high", "urgent"
std::optional<Priority> ParsePriority(std::string_view name);

// Form answers keyed by field code. Each value is a list: one element for
// single-valued datatypes, any number for multivaluelist. Numbers and
// datetimes are kept in their canonical text form.
using FormValues = std::map<std::string, std::vector<std::string>>;

struct Location {
  std::optional<int64_t> uprn;
  std::optional<double> lat;
  std::optional<double> lng;
  std::string description;  // free text: "outside the Co-op, by the bus stop"
  std::string postcode;
  bool operator==(const Location&) const = default;
  bool empty() const { return !uprn && !lat && !lng && description.empty() && postcode.empty(); }
};

struct Case {
  int64_t id = 0;
  std::string reference;  // e.g. "4K7P-9QX3", see reference.h
  std::string service_code;
  std::string department;  // copied from the service at creation (for role checks)
  std::optional<int64_t> citizen_id;
  Channel channel = Channel::kWeb;  // channel of origin
  CaseStatus status = CaseStatus::kNew;
  Priority priority = Priority::kNormal;
  std::string team;                     // team code
  std::optional<int64_t> assignee_id;   // staff id
  std::string summary;                  // one line, for queues and search
  FormValues values;
  Location location;
  std::vector<std::string> media_urls;
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<absl::Time> due_at;          // unset when the service has no SLA
  std::optional<absl::Time> sla_paused_at;   // set while waiting on the citizen
  absl::Duration sla_remaining = absl::ZeroDuration();  // working time left when paused
  std::optional<absl::Time> resolved_at;
  std::optional<absl::Time> closed_at;
  int64_t created_by = 0;  // staff id; 0 = the public / an API client
  int64_t version = 1;     // bumped on every change; the ETag
  std::optional<int64_t> duplicate_of;  // the original, once marked a duplicate (then closed)
  bool operator==(const Case&) const = default;
};

enum class NoteVisibility { kInternal, kPublic };
std::string_view NoteVisibilityName(NoteVisibility v);  // "internal", "public"
std::optional<NoteVisibility> ParseNoteVisibility(std::string_view name);

struct Note {
  int64_t id = 0;
  int64_t case_id = 0;
  NoteVisibility visibility = NoteVisibility::kInternal;
  std::string body;
  int64_t author_id = 0;  // staff id; 0 = the citizen / an API client
  absl::Time created_at;
  bool operator==(const Note&) const = default;
};

// Metadata only: the bytes live in a blob store (not part of the core).
struct Attachment {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string filename;
  std::string content_type;
  int64_t size_bytes = 0;
  std::string url;  // where the bytes are
  std::string sha256;
  int64_t uploaded_by = 0;
  absl::Time created_at;
  bool operator==(const Attachment&) const = default;
};

// Filters for case lists (all ANDed; empty = any).
struct CaseQuery {
  std::vector<CaseStatus> statuses;
  std::string service_code;
  std::string team;
  std::string department;  // restricts officers to their department
  std::optional<int64_t> assignee_id;
  bool unassigned_only = false;
  std::optional<int64_t> citizen_id;
  std::optional<absl::Time> due_before;
  // Only cases with created_from <= created_at < created_to (either optional).
  std::optional<absl::Time> created_from;
  std::optional<absl::Time> created_to;
  std::string text;  // matches reference prefix or summary substring
  int64_t after_id = 0;  // cursor: cases with id > after_id, ascending
  int limit = 50;
};

}  // namespace onestop::domain
