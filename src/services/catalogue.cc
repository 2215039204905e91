#include "services/catalogue.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "common/status.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {

const domain::Service* Catalogue::Snapshot::Find(const std::string& code) const {
  auto it = by_code.find(code);
  return it == by_code.end() ? nullptr : &services[it->second];
}

const domain::Team* Catalogue::Snapshot::FindTeam(const std::string& code) const {
  for (const auto& t : teams) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

const domain::Department* Catalogue::Snapshot::FindDepartment(const std::string& code) const {
  for (const auto& d : departments) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

Catalogue::Catalogue(domain::Store& store, const Clock& clock, absl::Duration max_age)
    : store_(store), clock_(clock), max_age_(max_age) {}

absl::StatusOr<std::shared_ptr<const Catalogue::Snapshot>> Catalogue::Get() {
  const absl::Time now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (snapshot_ && now - loaded_at_ < max_age_) return snapshot_;
  }
  auto snapshot = std::make_shared<Snapshot>();
  ONESTOP_ASSIGN_OR_RETURN(snapshot->services, store_.ListServices());
  ONESTOP_ASSIGN_OR_RETURN(snapshot->departments, store_.ListDepartments());
  ONESTOP_ASSIGN_OR_RETURN(snapshot->teams, store_.ListTeams());
  for (size_t i = 0; i < snapshot->services.size(); ++i) {
    snapshot->by_code[snapshot->services[i].code] = i;
  }
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = snapshot;
  loaded_at_ = now;
  return snapshot_;
}

void Catalogue::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_.reset();
}

absl::StatusOr<ListServices::Shared> ListServices::RunShared(const domain::Actor& actor,
                                                             std::optional<domain::Channel> channel,
                                                             bool include_inactive) const {
  if (include_inactive) ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCatalogue));
  Shared out;
  ONESTOP_ASSIGN_OR_RETURN(out.snapshot, deps_.catalogue.Get());
  for (const auto& s : out.snapshot->services) {
    if (!s.active && !include_inactive) continue;
    if (channel && !s.OfferedOn(*channel)) continue;
    out.services.push_back(&s);
  }
  return out;
}

absl::StatusOr<std::vector<domain::Service>> ListServices::Run(
    const domain::Actor& actor, std::optional<domain::Channel> channel,
    bool include_inactive) const {
  ONESTOP_ASSIGN_OR_RETURN(Shared shared, RunShared(actor, channel, include_inactive));
  std::vector<domain::Service> out;
  out.reserve(shared.services.size());
  for (const domain::Service* s : shared.services) out.push_back(*s);
  return out;
}

absl::StatusOr<domain::Service> GetService::Run(const std::string& code) const {
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, deps_.catalogue.Get());
  const domain::Service* s = snapshot->Find(code);
  if (s == nullptr) return absl::NotFoundError("service '" + code + "' not found");
  return *s;
}

namespace {

std::string FieldsText(const domain::Service& s) {
  std::vector<std::string> parts;
  for (const auto& f : s.fields) {
    parts.push_back(f.code + ":" + std::string(domain::DatatypeName(f.datatype)) +
                    (f.required ? "*" : ""));
  }
  return absl::StrJoin(parts, ",");
}

std::string ChannelsText(const domain::Service& s) {
  std::vector<std::string> parts;
  for (auto c : s.channels) parts.emplace_back(domain::ChannelName(c));
  return absl::StrJoin(parts, ",");
}

std::string SlaText(const domain::Service& s) {
  return std::to_string(s.sla.amount) + " " + std::string(domain::SlaUnitName(s.sla.unit));
}

}  // namespace

absl::StatusOr<domain::Service> SaveService::Run(const domain::Actor& actor,
                                                 const domain::Service& input,
                                                 std::optional<int64_t> expected_version) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCatalogue));
  domain::Service service = input;
  std::stable_sort(service.fields.begin(), service.fields.end(),
                   [](const auto& a, const auto& b) { return a.order < b.order; });
  ONESTOP_RETURN_IF_ERROR(domain::ValidateServiceDefinition(service));
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, deps_.catalogue.Get());
  std::vector<FieldError> errors;
  if (snapshot->FindDepartment(service.department) == nullptr) {
    errors.push_back(
        {"department", "unknown", "no_such_department", {{"code", service.department}}});
  }
  if (!service.default_team.empty() && snapshot->FindTeam(service.default_team) == nullptr) {
    errors.push_back({"default_team", "unknown", "no_such_team", {{"code", service.default_team}}});
  }
  if (!errors.empty()) return InvalidFields("The service definition is not valid", errors);

  // Read the current definition inside the writer so the version check and
  // the write are one atomic step.
  auto current = deps_.store.GetService(service.code);
  if (!current.ok() && !absl::IsNotFound(current.status())) return current.status();
  std::optional<domain::Service> before;
  if (current.ok()) before = *current;
  const bool must_be_new = expected_version && *expected_version == 0;
  const absl::Status exists = absl::AlreadyExistsError(
      "a service with code '" + service.code + "' already exists; change it with PUT");
  if (must_be_new && before) return exists;
  if (expected_version && (before ? before->version : 0) != *expected_version) {
    return absl::AbortedError("service '" + service.code +
                              "' was changed by someone else; reload and try again");
  }
  if (before) {
    domain::Service same = service;
    same.version = before->version;
    if (same == *before) return *before;  // nothing to change (idempotent seeding)
  }
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(int64_t version, txn.UpsertService(service));
    if (version != (before ? before->version + 1 : 1)) {  // someone else saved it meanwhile
      if (must_be_new) return exists;
      return absl::AbortedError("service '" + service.code + "' was changed concurrently");
    }
    service.version = version;
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "service", 0,
                                before ? "service.updated" : "service.created");
    e.entity_key = service.code;
    const domain::Service empty;
    const domain::Service& b = before ? *before : empty;
    AddChange(e.changes, "name", b.name, service.name);
    AddChange(e.changes, "description", b.description, service.description);
    AddChange(e.changes, "department", b.department, service.department);
    AddChange(e.changes, "group", b.group, service.group);
    AddChange(e.changes, "keywords", absl::StrJoin(b.keywords, ","),
              absl::StrJoin(service.keywords, ","));
    AddChange(e.changes, "interaction_type",
              before ? std::string(domain::InteractionTypeName(b.interaction_type)) : "",
              std::string(domain::InteractionTypeName(service.interaction_type)));
    AddChange(e.changes, "channels", ChannelsText(b), ChannelsText(service));
    AddChange(e.changes, "sla", before ? SlaText(b) : "", SlaText(service));
    AddChange(e.changes, "default_team", b.default_team, service.default_team);
    AddChange(e.changes, "allow_anonymous", before ? (b.allow_anonymous ? "true" : "false") : "",
              service.allow_anonymous ? "true" : "false");
    AddChange(e.changes, "active", before ? (b.active ? "true" : "false") : "",
              service.active ? "true" : "false");
    AddChange(e.changes, "fields", FieldsText(b), FieldsText(service));
    return txn.AppendEvent(e).status();
  }));
  deps_.catalogue.Invalidate();
  return service;
}

absl::Status SaveDepartment::Run(const domain::Actor& actor,
                                 const domain::Department& department) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCatalogue));
  if (department.code.empty() || department.name.empty()) {
    return InvalidFields("A department needs a code and a name",
                         {{"code", "required", "code_and_name_required", {}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, deps_.catalogue.Get());
  const domain::Department* existing = snapshot->FindDepartment(department.code);
  if (existing != nullptr && *existing == department) return absl::OkStatus();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.UpsertDepartment(department));
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "department", 0,
                                existing ? "department.updated" : "department.created");
    e.entity_key = department.code;
    AddChange(e.changes, "name", existing ? existing->name : "", department.name);
    return txn.AppendEvent(e).status();
  }));
  deps_.catalogue.Invalidate();
  return absl::OkStatus();
}

absl::Status SaveTeam::Run(const domain::Actor& actor, const domain::Team& team) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditCatalogue));
  if (team.code.empty() || team.name.empty()) {
    return InvalidFields("A team needs a code and a name",
                         {{"code", "required", "code_and_name_required", {}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(auto snapshot, deps_.catalogue.Get());
  if (snapshot->FindDepartment(team.department) == nullptr) {
    return InvalidFields("Unknown department",
                         {{"department", "unknown", "no_such_department",
                           {{"code", team.department}}}});
  }
  const domain::Team* existing = snapshot->FindTeam(team.code);
  if (existing != nullptr && *existing == team) return absl::OkStatus();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.UpsertTeam(team));
    domain::Event e =
        MakeEvent(actor, deps_.clock.Now(), "team", 0, existing ? "team.updated" : "team.created");
    e.entity_key = team.code;
    AddChange(e.changes, "name", existing ? existing->name : "", team.name);
    AddChange(e.changes, "department", existing ? existing->department : "", team.department);
    return txn.AppendEvent(e).status();
  }));
  deps_.catalogue.Invalidate();
  return absl::OkStatus();
}

}  // namespace onestop::services
