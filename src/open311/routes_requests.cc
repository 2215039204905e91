// The /open311/v2 requests handlers: GET requests (list and one), POST
// requests, GET tokens — and the request record they return.
#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/time_format.h"
#include "domain/form_validation.h"
#include "open311/open311.h"
#include "open311/params.h"
#include "open311/render.h"
#include "open311/routes_internal.h"
#include "open311/status_map.h"
#include "services/case_rules.h"

namespace onestop::open311::routes_internal {

namespace {

const domain::FormField* DescriptionField(const domain::Service& service) {
  for (const auto& field : service.fields) {
    if (field.datatype == domain::Datatype::kText) return &field;
  }
  return nullptr;
}

std::string FormatDouble(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.8g", value);
  return buf;
}

// ---- records ----

Node RequestNode(const Case& c, const Snapshot& catalogue) {
  const domain::Service* service = catalogue.Find(c.service_code);
  std::string description = c.summary;
  std::string service_name = c.service_code;
  std::string agency;
  if (service != nullptr) {
    service_name = service->name;
    if (const domain::FormField* field = DescriptionField(*service)) {
      auto it = c.values.find(field->code);
      if (it != c.values.end() && !it->second.empty()) description = it->second.front();
    }
    const domain::Department* dept = catalogue.FindDepartment(service->department);
    agency = dept != nullptr ? dept->name : service->department;
  }
  std::vector<Node> m;
  m.push_back(Node::Text("service_request_id", c.reference));
  m.push_back(Node::Text("status", std::string(Open311Status(c.status))));
  m.push_back(Node::Text("status_notes", ""));
  m.push_back(Node::Text("service_name", service_name));
  m.push_back(Node::Text("service_code", c.service_code));
  m.push_back(Node::Text("description", description));
  m.push_back(Node::Text("agency_responsible", agency));
  m.push_back(Node::Text("service_notice", ""));
  m.push_back(Node::Text("requested_datetime", FormatRfc3339(c.created_at)));
  m.push_back(Node::Text("updated_datetime", FormatRfc3339(c.updated_at)));
  m.push_back(c.due_at ? Node::Text("expected_datetime", FormatRfc3339(*c.due_at))
                       : Node::Null("expected_datetime"));
  m.push_back(Node::Text("address", c.location.description));
  m.push_back(c.location.uprn ? Node::Text("address_id", std::to_string(*c.location.uprn))
                              : Node::Null("address_id"));
  m.push_back(Node::Text("zipcode", c.location.postcode));
  // lat/long are left out when the case has none (a report made with a
  // postcode or an address only): GeoReport v2 makes them optional, and a
  // null would read as "0,0" to some clients.
  if (c.location.lat && c.location.lng) {
    m.push_back(Node::Number("lat", FormatDouble(*c.location.lat)));
    m.push_back(Node::Number("long", FormatDouble(*c.location.lng)));
  }
  m.push_back(Node::Text("media_url", c.media_urls.empty() ? "" : c.media_urls.front()));
  return Node::Object("request", std::move(m));
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (auto piece : absl::StrSplit(text, ',')) {
    std::string trimmed(absl::StripAsciiWhitespace(piece));
    if (!trimmed.empty()) out.push_back(std::move(trimmed));
  }
  return out;
}

// The resident behind a request: matched by email, then phone, else created.
// nullopt when the request carries no personal details.
absl::StatusOr<std::optional<int64_t>> ResidentFor(Open311Context& ctx,
                                                   const ServiceRequestForm& form,
                                                   bool dry_run) {
  if (form.email.empty() && form.phone.empty() && form.first_name.empty() &&
      form.last_name.empty()) {
    return std::nullopt;
  }
  domain::Citizen citizen;
  citizen.given_name = form.first_name;
  citizen.family_name = form.last_name;
  if (!form.email.empty()) citizen.emails.push_back(form.email);
  if (!form.phone.empty()) citizen.phones.push_back(form.phone);
  citizen.preferred_channel = domain::Channel::kApi;
  domain::Citizen normalised = citizen;
  if (!form.email.empty() || !form.phone.empty()) {
    // Matching needs only the contact details; names are checked when creating.
    domain::Citizen probe = citizen;
    if (probe.given_name.empty() && probe.family_name.empty()) probe.family_name = "x";
    ONESTOP_RETURN_IF_ERROR(services::NormaliseAndValidateCitizen(probe));
    std::vector<domain::CitizenQuery> queries;
    if (!probe.emails.empty()) queries.push_back({.email = probe.emails.front()});
    if (!probe.phones.empty()) queries.push_back({.phone = probe.phones.front()});
    for (auto& q : queries) {
      q.limit = 1;
      ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Citizen> found,
                               ctx.find_citizens.Run(ClientActor(), q));
      if (!found.empty()) return found.front().id;
    }
  }
  if (citizen.given_name.empty() && citizen.family_name.empty()) {
    return InvalidFields("Name required",
                         {{"first_name", "required", "open311_name_required", {}}});
  }
  ONESTOP_RETURN_IF_ERROR(services::NormaliseAndValidateCitizen(normalised));
  if (dry_run) return std::optional<int64_t>(0);
  ONESTOP_ASSIGN_OR_RETURN(services::CreateCitizenResult created,
                           ctx.create_citizen.Run(ClientActor(), citizen, domain::Channel::kApi));
  return created.citizen.id;
}

}  // namespace

// ---- requests ----

// start_date/end_date: both or neither (default: the last max_days days),
// end after start, at most max_days apart.
absl::StatusOr<Window> DateWindow(const Open311Context& ctx, const http::ParamList& params) {
  std::string start = Param(params, "start_date");
  std::string end = Param(params, "end_date");
  const absl::Duration max_span = absl::Hours(24) * ctx.options.max_days;
  if (start.empty() != end.empty()) {
    return BadRequest(start.empty() ? "start_date" : "end_date", "open311_dates_together");
  }
  Window w;
  if (start.empty()) {
    w.end = ctx.deps.clock.Now();
    w.start = w.end - max_span;
    return w;
  }
  auto s = ParseRfc3339(start);
  if (!s.ok()) return BadRequest("start_date", "open311_start_date_format");
  auto e = ParseRfc3339(end);
  if (!e.ok()) return BadRequest("end_date", "open311_end_date_format");
  if (*e < *s) return BadRequest("end_date", "open311_end_before_start");
  if (*e - *s > max_span) {
    return BadRequest("end_date", "open311_date_span",
                      {{"max_days", std::to_string(ctx.options.max_days)}});
  }
  return Window{*s, *e};
}

// A case visible through Open311 (its service is offered on the api channel).
absl::StatusOr<std::optional<Case>> FindCase(Open311Context& ctx, const std::string& id,
                                             const Snapshot& catalogue) {
  auto c = ctx.get_case.Run(ClientActor(), id);
  if (absl::IsNotFound(c.status())) return std::nullopt;
  if (!c.ok()) return c.status();
  if (!OnApi(catalogue.Find(c->service_code))) return std::nullopt;
  return *c;
}

absl::StatusOr<Reply> ListRequests(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  std::vector<Node> items;
  if (std::string ids = Param(params, "service_request_id"); !ids.empty()) {
    for (const std::string& id : CommaList(ids)) {
      ONESTOP_ASSIGN_OR_RETURN(std::optional<Case> c, FindCase(ctx, id, *catalogue));
      if (c && static_cast<int>(items.size()) < ctx.options.max_requests) {
        items.push_back(RequestNode(*c, *catalogue));
      }
    }
    return Reply{200, Node::List("service_requests", std::move(items))};
  }
  ONESTOP_ASSIGN_OR_RETURN(Window window, DateWindow(ctx, params));
  std::vector<std::string> codes = CommaList(Param(params, "service_code"));
  for (const auto& code : codes) {
    if (!OnApi(catalogue->Find(code))) {
      return BadRequest("service_code", "open311_unknown_service_code",
                        {{"code", SanitizeText(code)}});
    }
  }
  domain::CaseQuery query;
  for (const std::string& status : CommaList(Param(params, "status"))) {
    std::vector<CaseStatus> ours = CaseStatusesFor(status);
    if (ours.empty()) return BadRequest("status", "open311_status_values");
    query.statuses.insert(query.statuses.end(), ours.begin(), ours.end());
  }
  if (codes.size() == 1) query.service_code = codes.front();
  query.created_from = window.start;
  query.created_to = window.EndExclusive();
  query.limit = 200;
  std::vector<Case> found;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(domain::CasePage page, ctx.list_cases.Run(ClientActor(), query));
    for (Case& c : page.items) {
      if (!codes.empty() && std::find(codes.begin(), codes.end(), c.service_code) == codes.end()) {
        continue;
      }
      if (!OnApi(catalogue->Find(c.service_code))) continue;
      found.push_back(std::move(c));
    }
    if (page.next_after_id == 0) break;
    query.after_id = page.next_after_id;
  }
  std::sort(found.begin(), found.end(),
            [](const Case& a, const Case& b) { return a.created_at > b.created_at; });
  if (static_cast<int>(found.size()) > ctx.options.max_requests) {
    found.resize(ctx.options.max_requests);
  }
  for (const Case& c : found) items.push_back(RequestNode(c, *catalogue));
  return Reply{200, Node::List("service_requests", std::move(items))};
}

absl::StatusOr<Reply> GetRequest(Open311Context& ctx, http::Request& request,
                                 const std::string& id) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  ONESTOP_ASSIGN_OR_RETURN(std::optional<Case> c, FindCase(ctx, id, *catalogue));
  if (!c) return NotFound("service_request_id '" + SanitizeText(id) + "' not found");
  return Reply{200, Node::List("service_requests", {RequestNode(*c, *catalogue)})};
}

// Tokens: requests are created synchronously, so a token is the
// service_request_id itself.
absl::StatusOr<Reply> GetToken(Open311Context& ctx, http::Request& request,
                               const std::string& token) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  ONESTOP_ASSIGN_OR_RETURN(std::optional<Case> c, FindCase(ctx, token, *catalogue));
  if (!c) return NotFound("token '" + SanitizeText(token) + "' not found");
  return Reply{200, Node::List("service_requests",
                               {Node::Object("request",
                                             {Node::Text("service_request_id", c->reference),
                                              Node::Text("token", c->reference)})})};
}

absl::StatusOr<Reply> PostRequest(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, ReadPostParams(request));
  // The key first: a client without one learns nothing else.
  ONESTOP_RETURN_IF_ERROR(CheckParams(params));
  ONESTOP_RETURN_IF_ERROR(RequireKey(ctx, Param(params, "api_key")).status());
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(ServiceRequestForm form, ParseServiceRequestForm(params));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  const domain::Service* service = catalogue->Find(form.service_code);
  if (!OnApi(service)) {
    return NotFound("service_code '" + SanitizeText(form.service_code) + "' not found");
  }

  services::NewCase input;
  input.service_code = service->code;
  input.channel = domain::Channel::kApi;
  input.values = form.attributes;
  input.location.lat = form.lat;
  input.location.lng = form.lng;
  input.location.uprn = form.address_id;
  input.location.description = form.address_string;
  if (!form.media_url.empty()) input.media_urls.push_back(form.media_url);
  // The description goes into the service's first free-text question unless
  // the client answered that one itself; otherwise it becomes a public note.
  bool description_as_note = false;
  if (!form.description.empty()) {
    const domain::FormField* field = DescriptionField(*service);
    if (field != nullptr && !input.values.count(field->code)) {
      input.values[field->code] = {form.description};
    } else {
      description_as_note = true;
    }
  }
  // Check everything before creating anything (the resident is created
  // before the case): the same checks OpenCase makes.
  {
    absl::Status values = domain::ValidateFormValues(*service, input.values).status();
    if (!values.ok()) return values;
    domain::Location location = input.location;
    ONESTOP_RETURN_IF_ERROR(services::NormaliseAndValidateLocation(location));
    ONESTOP_RETURN_IF_ERROR(services::ValidateMediaUrls(input.media_urls, "media_urls"));
    ONESTOP_ASSIGN_OR_RETURN(std::optional<int64_t> resident,
                             ResidentFor(ctx, form, /*dry_run=*/true));
    if (!resident && !service->allow_anonymous) {
      return InvalidFields("Resident's details required",
                           {{"email", "required", "open311_resident_required",
                             {{"service", service->name}}}});
    }
  }
  // Duplicates (docs/open311.md): by default the request is still created
  // and service_notice names the open report it may repeat;
  // duplicate_action=follow adds the requester to that report instead.
  const std::string duplicate_action = Param(params, "duplicate_action");
  if (!duplicate_action.empty() && duplicate_action != "create" && duplicate_action != "follow") {
    return InvalidFields("Unknown duplicate_action",
                         {{"duplicate_action", "invalid", "open311_duplicate_action", {}}});
  }
  ONESTOP_ASSIGN_OR_RETURN(input.citizen_id, ResidentFor(ctx, form, /*dry_run=*/false));
  std::optional<Case> existing;
  {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<services::DuplicateCandidate> found,
                             ctx.check_duplicates.Run(ClientActor(), input));
    if (!found.empty()) existing = found.front().c;
  }
  if (existing && duplicate_action == "follow") {
    if (!input.citizen_id) {
      return InvalidFields("Following needs the requester's details",
                           {{"email", "required", "open311_follow_needs_resident", {}}});
    }
    services::FollowRequest follow{existing->id, *input.citizen_id, domain::Channel::kApi, false,
                                   std::nullopt};
    ONESTOP_RETURN_IF_ERROR(ctx.follow_case.Run(ClientActor(), follow).status());
    std::vector<Node> m{Node::Text("service_request_id", existing->reference),
                        Node::Text("token", existing->reference),
                        Node::Text("service_notice", "Added to the existing report " + existing->reference),
                        form.account_id.empty() ? Node::Null("account_id")
                                                : Node::Text("account_id", form.account_id),
                        Node::Text("duplicate_of", existing->reference)};
    return Reply{200, Node::List("service_requests", {Node::Object("request", std::move(m))})};
  }
  ONESTOP_ASSIGN_OR_RETURN(services::OpenCaseResult opened,
                           ctx.open_case.Run(ClientActor(), input));
  if (description_as_note) {
    ONESTOP_RETURN_IF_ERROR(ctx.add_note
                                .Run(ClientActor(), opened.c.id, domain::NoteVisibility::kPublic,
                                     form.description)
                                .status());
  }
  std::vector<Node> m{Node::Text("service_request_id", opened.c.reference),
                      Node::Text("service_notice",
                                 existing ? "Possibly a duplicate of " + existing->reference : ""),
                      form.account_id.empty() ? Node::Null("account_id")
                                              : Node::Text("account_id", form.account_id)};
  if (existing) m.push_back(Node::Text("duplicate_of", existing->reference));
  return Reply{201, Node::List("service_requests", {Node::Object("request", std::move(m))})};
}

}  // namespace onestop::open311::routes_internal
