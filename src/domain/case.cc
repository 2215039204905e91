#include "domain/case.h"

namespace onestop::domain {

std::string_view CaseStatusName(CaseStatus s) {
  switch (s) {
    case CaseStatus::kNew: return "new";
    case CaseStatus::kOpen: return "open";
    case CaseStatus::kInProgress: return "in_progress";
    case CaseStatus::kWaitingOnCitizen: return "waiting_on_citizen";
    case CaseStatus::kResolved: return "resolved";
    case CaseStatus::kClosed: return "closed";
    case CaseStatus::kCancelled: return "cancelled";
  }
  return "new";
}

std::optional<CaseStatus> ParseCaseStatus(std::string_view name) {
  for (CaseStatus s : kAllCaseStatuses) {
    if (CaseStatusName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsLegalTransition(CaseStatus from, CaseStatus to) {
  using S = CaseStatus;
  switch (from) {
    case S::kNew:
      return to == S::kOpen || to == S::kInProgress || to == S::kWaitingOnCitizen ||
             to == S::kResolved || to == S::kCancelled;
    case S::kOpen:
      return to == S::kInProgress || to == S::kWaitingOnCitizen || to == S::kResolved ||
             to == S::kCancelled;
    case S::kInProgress:
      return to == S::kOpen || to == S::kWaitingOnCitizen || to == S::kResolved ||
             to == S::kCancelled;
    case S::kWaitingOnCitizen:
      return to == S::kOpen || to == S::kInProgress || to == S::kResolved || to == S::kCancelled;
    case S::kResolved:
      return to == S::kClosed || to == S::kOpen;
    case S::kClosed:
      return to == S::kOpen;
    case S::kCancelled:
      return false;
  }
  return false;
}

std::vector<CaseStatus> NextStatuses(CaseStatus from) {
  std::vector<CaseStatus> out;
  for (CaseStatus to : kAllCaseStatuses) {
    if (IsLegalTransition(from, to)) out.push_back(to);
  }
  return out;
}

bool IsFinished(CaseStatus s) {
  return s == CaseStatus::kResolved || s == CaseStatus::kClosed || s == CaseStatus::kCancelled;
}

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kLow: return "low";
    case Priority::kNormal: return "normal";
    case Priority::kHigh: return "high";
    case Priority::kUrgent: return "urgent";
  }
  return "normal";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    if (PriorityName(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view NoteVisibilityName(NoteVisibility v) {
  return v == NoteVisibility::kPublic ? "public" : "internal";
}

std::optional<NoteVisibility> ParseNoteVisibility(std::string_view name) {
  if (name == "public") return NoteVisibility::kPublic;
  if (name == "internal") return NoteVisibility::kInternal;
  return std::nullopt;
}

}  // namespace onestop::domain
