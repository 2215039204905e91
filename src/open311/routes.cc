// The /open311/v2 handlers. Each one: format from the suffix → parameters →
// jurisdiction and api_key checks → use case(s) → a Node tree → XML or JSON.
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
#include "open311/status_map.h"
#include "services/case_rules.h"

namespace onestop::open311 {

domain::Actor ClientActor() { return domain::Actor{0, domain::Role::kAgent, "", true}; }

Open311Context::Open311Context(services::Deps d, Open311Options o)
    : deps(d),
      options(std::move(o)),
      list_services(d),
      get_service(d),
      open_case(d),
      get_case(d),
      list_cases(d),
      update_case(d),
      add_note(d),
      create_citizen(d),
      find_citizens(d),
      list_events(d),
      get_case_history(d),
      check_api_key(d) {}

namespace {

using domain::Case;
using domain::CaseStatus;
using Snapshot = services::Catalogue::Snapshot;

// ---- errors ----

int HttpStatusFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return 403;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 400;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

http::Response ErrorResponse(Format format, const absl::Status& status) {
  const int code = HttpStatusFor(status);
  std::vector<Node> errors;
  auto add = [&](std::string description) {
    errors.push_back(Node::Object(
        "error", {Node::Number("code", std::to_string(code)),
                  Node::Text("description", std::move(description))}));
  };
  if (code >= 500) {
    add("the server could not complete the request; try again later");
  } else {
    for (const auto& e : FieldErrorsOf(status)) add(Open311FieldName(e.field) + ": " + e.message);
    if (errors.empty()) add(std::string(status.message()));
  }
  http::Response response;
  response.status = code;
  response.content_type = std::string(ContentType(format));
  response.body = Render(Node::List("errors", std::move(errors)), format);
  return response;
}

absl::Status NotFound(std::string what) { return absl::NotFoundError(std::move(what)); }
absl::Status BadRequest(std::string field, std::string message) {
  return InvalidFields(message, {{std::move(field), "invalid", message}});
}

struct Reply {
  int status = 200;
  Node body;
};
using Handler = std::function<absl::StatusOr<Reply>(http::Request&, Format)>;

http::Response Run(std::string_view route, http::Request& request, Format format,
                   const Handler& handler) {
  absl::StatusOr<Reply> reply = absl::InternalError("no reply");
  try {
    reply = handler(request, format);
  } catch (const std::exception& e) {
    reply = absl::InternalError(e.what());
  }
  if (!reply.ok()) {
    http::Response response = ErrorResponse(format, reply.status());
    if (response.status >= 500) {
      spdlog::error("open311 {} {} → {}: {}", request.method, route, response.status,
                    reply.status().ToString());
    } else {
      spdlog::info("open311 {} {} → {}: {}", request.method, route, response.status,
                   SanitizeText(std::string(reply.status().message())));
    }
    return response;
  }
  http::Response response;
  response.status = reply->status;
  response.content_type = std::string(ContentType(format));
  response.body = Render(reply->body, format);
  return response;
}

// ---- shared checks ----

absl::Status CheckJurisdiction(const Open311Context& ctx, const std::string& given) {
  if (given.empty()) return absl::OkStatus();
  if (given == ctx.options.jurisdiction_id) return absl::OkStatus();
  return NotFound("unknown jurisdiction_id '" + SanitizeText(given) + "'");
}

absl::StatusOr<domain::ApiKey> RequireKey(const Open311Context& ctx, const std::string& key) {
  return ctx.check_api_key.Run(key);
}

absl::StatusOr<http::ParamList> GetParams(const http::Request& request) {
  ONESTOP_RETURN_IF_ERROR(CheckParams(request.query_params));
  return request.query_params;
}

// Splits "a.json" into ("a", kJson); false if the suffix is not a format.
bool SplitSuffix(std::string_view file, std::string* stem, Format* format) {
  size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  if (!ParseFormat(file.substr(dot + 1), format)) return false;
  *stem = std::string(file.substr(0, dot));
  return true;
}

const domain::FormField* DescriptionField(const domain::Service& service) {
  for (const auto& field : service.fields) {
    if (field.datatype == domain::Datatype::kText) return &field;
  }
  return nullptr;
}

bool OnApi(const domain::Service* service) {
  return service != nullptr && service->active && service->OfferedOn(domain::Channel::kApi);
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
  m.push_back(c.location.lat ? Node::Number("lat", FormatDouble(*c.location.lat))
                             : Node::Null("lat"));
  m.push_back(c.location.lng ? Node::Number("long", FormatDouble(*c.location.lng))
                             : Node::Null("long"));
  m.push_back(Node::Text("media_url", c.media_urls.empty() ? "" : c.media_urls.front()));
  return Node::Object("request", std::move(m));
}

// ---- discovery and services ----

absl::StatusOr<Reply> Discovery(Open311Context& ctx, http::Request& request, Format) {
  std::string host = SanitizeText(request.Header("Host").value_or("localhost"));
  std::string scheme = request.Header("X-Forwarded-Proto").value_or("") == "https" ? "https" : "http";
  std::vector<Node> formats{Node::Text("format", "text/xml"),
                            Node::Text("format", "application/json")};
  Node endpoint = Node::Object(
      "endpoint", {Node::Text("specification", "http://wiki.open311.org/GeoReport_v2"),
                   Node::Text("url", scheme + "://" + host + "/open311/v2"),
                   Node::Text("changeset", ctx.options.changeset),
                   Node::Text("type", "production"), Node::List("formats", std::move(formats))});
  return Reply{200, Node::Object("discovery",
                                 {Node::Text("changeset", ctx.options.changeset),
                                  Node::Text("contact", ctx.options.contact),
                                  Node::Text("key_service", ctx.options.key_service),
                                  Node::List("endpoints", {std::move(endpoint)})})};
}

absl::StatusOr<Reply> ListServicesHandler(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(
      std::vector<domain::Service> services,
      ctx.list_services.Run(domain::Actor::Public(), domain::Channel::kApi));
  std::vector<Node> items;
  for (const auto& s : services) {
    std::string keywords;
    for (const auto& k : s.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
    std::vector<Node> groups;
    if (!s.group.empty()) groups.push_back(Node::Text("group", s.group));
    items.push_back(Node::Object(
        "service", {Node::Text("service_code", s.code), Node::Text("service_name", s.name),
                    Node::Text("description", s.description),
                    Node::Bool("metadata", !s.fields.empty()), Node::Text("type", "realtime"),
                    Node::Text("keywords", keywords), Node::Text("group", s.group),
                    Node::List("groups", std::move(groups))}));
  }
  return Reply{200, Node::List("services", std::move(items))};
}

absl::StatusOr<Reply> ServiceDefinition(Open311Context& ctx, http::Request& request,
                                        const std::string& code) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  auto service = ctx.get_service.Run(code);
  if (!service.ok() && !absl::IsNotFound(service.status())) return service.status();
  if (!service.ok() || !OnApi(&*service)) {
    return NotFound("service_code '" + SanitizeText(code) + "' not found");
  }
  std::vector<Node> attributes;
  int position = 0;
  for (const auto& f : service->fields) {
    ++position;
    std::vector<Node> values;
    for (const auto& v : f.values) {
      values.push_back(Node::Object("value", {Node::Text("key", v.key), Node::Text("name", v.name)}));
    }
    attributes.push_back(Node::Object(
        "attribute",
        {Node::Bool("variable", true), Node::Text("code", f.code),
         Node::Text("datatype", std::string(domain::DatatypeName(f.datatype))),
         Node::Bool("required", f.required), Node::Text("datatype_description", f.help_text),
         Node::Number("order", std::to_string(f.order > 0 ? f.order : position)),
         Node::Text("description", f.description), Node::List("values", std::move(values))}));
  }
  return Reply{200, Node::Object("service_definition",
                                 {Node::Text("service_code", service->code),
                                  Node::List("attributes", std::move(attributes))})};
}

// ---- requests ----

struct Window {
  absl::Time start;
  absl::Time end;
};

// start_date/end_date: both or neither (default: the last max_days days),
// end after start, at most max_days apart.
absl::StatusOr<Window> DateWindow(const Open311Context& ctx, const http::ParamList& params) {
  std::string start = Param(params, "start_date");
  std::string end = Param(params, "end_date");
  const absl::Duration max_span = absl::Hours(24) * ctx.options.max_days;
  if (start.empty() != end.empty()) {
    return BadRequest(start.empty() ? "start_date" : "end_date",
                      "give start_date and end_date together, or neither");
  }
  Window w;
  if (start.empty()) {
    w.end = ctx.deps.clock.Now();
    w.start = w.end - max_span;
    return w;
  }
  auto s = ParseRfc3339(start);
  if (!s.ok()) return BadRequest("start_date", "start_date must be a W3C datetime with a zone");
  auto e = ParseRfc3339(end);
  if (!e.ok()) return BadRequest("end_date", "end_date must be a W3C datetime with a zone");
  if (*e < *s) return BadRequest("end_date", "end_date must not be before start_date");
  if (*e - *s > max_span) {
    return BadRequest("end_date", "start_date and end_date may be at most " +
                                      std::to_string(ctx.options.max_days) + " days apart");
  }
  return Window{*s, *e};
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (auto piece : absl::StrSplit(text, ',')) {
    std::string trimmed(absl::StripAsciiWhitespace(piece));
    if (!trimmed.empty()) out.push_back(std::move(trimmed));
  }
  return out;
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
      return BadRequest("service_code", "unknown service_code '" + SanitizeText(code) + "'");
    }
  }
  domain::CaseQuery query;
  for (const std::string& status : CommaList(Param(params, "status"))) {
    std::vector<CaseStatus> ours = CaseStatusesFor(status);
    if (ours.empty()) return BadRequest("status", "status must be open, closed or both");
    query.statuses.insert(query.statuses.end(), ours.begin(), ours.end());
  }
  if (codes.size() == 1) query.service_code = codes.front();
  query.limit = 200;
  // TODO(open311-store): a created_at range in CaseQuery would spare this scan.
  std::vector<Case> found;
  while (true) {
    ONESTOP_ASSIGN_OR_RETURN(domain::CasePage page, ctx.list_cases.Run(ClientActor(), query));
    for (Case& c : page.items) {
      if (c.created_at < window.start || c.created_at > window.end) continue;
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
                         {{"first_name", "required",
                           "give first_name or last_name with the resident's email or phone"}});
  }
  ONESTOP_RETURN_IF_ERROR(services::NormaliseAndValidateCitizen(normalised));
  if (dry_run) return std::optional<int64_t>(0);
  ONESTOP_ASSIGN_OR_RETURN(services::CreateCitizenResult created,
                           ctx.create_citizen.Run(ClientActor(), citizen, domain::Channel::kApi));
  return created.citizen.id;
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
                           {{"email", "required",
                             service->name + " needs the resident's email or phone and name"}});
    }
  }
  ONESTOP_ASSIGN_OR_RETURN(input.citizen_id, ResidentFor(ctx, form, /*dry_run=*/false));
  ONESTOP_ASSIGN_OR_RETURN(services::OpenCaseResult opened,
                           ctx.open_case.Run(ClientActor(), input));
  if (description_as_note) {
    ONESTOP_RETURN_IF_ERROR(ctx.add_note
                                .Run(ClientActor(), opened.c.id, domain::NoteVisibility::kPublic,
                                     form.description)
                                .status());
  }
  std::vector<Node> m{Node::Text("service_request_id", opened.c.reference),
                      Node::Text("service_notice", ""),
                      form.account_id.empty() ? Node::Null("account_id")
                                              : Node::Text("account_id", form.account_id)};
  return Reply{201, Node::List("service_requests", {Node::Object("request", std::move(m))})};
}

// ---- servicerequestupdates ----

std::string ChangeAfter(const domain::Event& e, std::string_view field) {
  for (const auto& change : e.changes) {
    if (change.field == field) return change.after;
  }
  return "";
}

Node UpdateNode(const domain::Event& e, const Case& c, CaseStatus status_then,
                std::string description) {
  return Node::Object(
      "request_update",
      {Node::Text("update_id", std::to_string(e.seq)),
       Node::Text("service_request_id", c.reference),
       Node::Text("status", std::string(ExtendedStatus(status_then))),
       Node::Text("updated_datetime", FormatRfc3339(e.at)),
       Node::Text("description", std::move(description)), Node::Text("media_url", ""),
       Node::Text("external_status_code", std::string(domain::CaseStatusName(status_then)))});
}

// Staff changes (actor_id != 0) that a client may show: status changes and
// public notes. Changes made by Open311 clients themselves are not echoed.
absl::StatusOr<Reply> ListUpdates(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, GetParams(request));
  ONESTOP_RETURN_IF_ERROR(RequireKey(ctx, Param(params, "api_key")).status());
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  ONESTOP_ASSIGN_OR_RETURN(Window window, DateWindow(ctx, params));
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  struct CaseInfo {
    std::optional<Case> c;
    std::vector<std::pair<int64_t, CaseStatus>> statuses;  // (seq, status from then on)
  };
  std::map<int64_t, CaseInfo> cases;
  auto info_for = [&](int64_t case_id) -> absl::StatusOr<CaseInfo*> {
    auto [it, inserted] = cases.try_emplace(case_id);
    if (!inserted) return &it->second;
    auto c = ctx.get_case.Run(ClientActor(), std::to_string(case_id));
    if (absl::IsNotFound(c.status())) return &it->second;
    if (!c.ok()) return c.status();
    if (!OnApi(catalogue->Find(c->service_code))) return &it->second;
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> history,
                             ctx.get_case_history.Run(ClientActor(), case_id));
    for (const auto& e : history) {
      if (auto s = domain::ParseCaseStatus(ChangeAfter(e, "status"))) {
        it->second.statuses.emplace_back(e.seq, *s);
      }
    }
    it->second.c = *c;
    return &it->second;
  };
  std::vector<Node> items;
  domain::EventQuery query;
  query.entity = "case";
  query.limit = 1000;
  // TODO(open311-store): an event time index would spare this walk of the log.
  while (static_cast<int>(items.size()) < ctx.options.max_requests) {
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events,
                             ctx.list_events.Run(ClientActor(), query));
    if (events.empty()) break;
    query.after_seq = events.back().seq;
    for (const auto& e : events) {
      if (e.at < window.start || e.at > window.end || e.actor_id == 0 || !e.case_id) continue;
      const bool status_change = e.type == "case.status_changed";
      const bool public_note = e.type == "note.added" && ChangeAfter(e, "visibility") == "public";
      if (!status_change && !public_note) continue;
      ONESTOP_ASSIGN_OR_RETURN(CaseInfo * info, info_for(*e.case_id));
      if (!info->c) continue;
      CaseStatus status_then = info->c->status;
      for (const auto& [seq, status] : info->statuses) {
        if (seq <= e.seq) status_then = status;
      }
      items.push_back(UpdateNode(e, *info->c, status_then,
                                 public_note ? ChangeAfter(e, "body") : std::string()));
      if (static_cast<int>(items.size()) >= ctx.options.max_requests) break;
    }
  }
  return Reply{200, Node::List("service_request_updates", std::move(items))};
}

absl::StatusOr<Reply> PostUpdate(Open311Context& ctx, http::Request& request, Format) {
  ONESTOP_ASSIGN_OR_RETURN(http::ParamList params, ReadPostParams(request));
  ONESTOP_RETURN_IF_ERROR(CheckParams(params));
  ONESTOP_RETURN_IF_ERROR(RequireKey(ctx, Param(params, "api_key")).status());
  ONESTOP_RETURN_IF_ERROR(CheckJurisdiction(ctx, Param(params, "jurisdiction_id")));
  std::vector<FieldError> errors;
  for (const char* required : {"service_request_id", "update_id", "status", "updated_datetime"}) {
    if (Param(params, required).empty()) {
      errors.push_back({required, "required", std::string(required) + " is required"});
    }
  }
  const std::string description = Param(params, "description");
  if (Utf8Length(description) > kMaxDescriptionChars) {
    errors.push_back({"description", "too_long", "description must be at most 4000 characters"});
  }
  const InboundStatus* rule = nullptr;
  if (std::string status = Param(params, "status"); !status.empty()) {
    rule = FindInbound(status);
    if (rule == nullptr) {
      errors.push_back({"status", "invalid", "unknown status '" + SanitizeText(status) + "'"});
    }
  }
  if (std::string at = Param(params, "updated_datetime"); !at.empty() && !ParseRfc3339(at).ok()) {
    errors.push_back({"updated_datetime", "invalid", "updated_datetime must be a W3C datetime"});
  }
  if (!errors.empty()) return InvalidFields("The update is not valid", errors);
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, ctx.deps.catalogue.Get());
  const std::string id = Param(params, "service_request_id");
  ONESTOP_ASSIGN_OR_RETURN(std::optional<Case> c, FindCase(ctx, id, *catalogue));
  if (!c) return NotFound("service_request_id '" + SanitizeText(id) + "' not found");
  std::optional<CaseStatus> target = TargetStatus(*rule, c->status);
  if (target && !domain::IsLegalTransition(c->status, *target)) {
    return BadRequest("status", "request " + c->reference + " is " +
                                    std::string(domain::CaseStatusName(c->status)) +
                                    " and cannot move to " +
                                    std::string(domain::CaseStatusName(*target)));
  }
  if (!target && absl::StripAsciiWhitespace(description).empty()) {
    return InvalidFields("Empty update",
                         {{"description", "required",
                           "an update that changes no status needs a description"}});
  }
  if (target) {
    services::CaseChanges changes;
    changes.status = *target;
    ONESTOP_RETURN_IF_ERROR(
        ctx.update_case.Run(ClientActor(), c->id, changes, std::nullopt).status());
  }
  std::optional<domain::Note> note;
  if (!absl::StripAsciiWhitespace(description).empty()) {
    ONESTOP_ASSIGN_OR_RETURN(note, ctx.add_note.Run(ClientActor(), c->id,
                                                    domain::NoteVisibility::kPublic, description));
  }
  // Our update_id: the event the update became (its seq, as in GET).
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> history,
                           ctx.get_case_history.Run(ClientActor(), c->id));
  int64_t update_id = 0;
  for (const auto& e : history) {
    if (e.actor_id != 0) continue;
    if (note ? (e.type == "note.added" && ChangeAfter(e, "note_id") == std::to_string(note->id))
             : e.type == "case.status_changed") {
      update_id = e.seq;
    }
  }
  return Reply{200, Node::List("service_request_updates",
                               {Node::Object("request_update",
                                             {Node::Text("update_id", std::to_string(update_id))})})};
}

}  // namespace

void RegisterOpen311Routes(http::Router& router, Open311Context& ctx) {
  const http::RouteOptions post_options{.blocking = true, .body_limit = 10 << 20};
  for (Format format : {Format::kXml, Format::kJson}) {
    const std::string ext = format == Format::kXml ? ".xml" : ".json";
    auto add = [&](std::string method, std::string path,
                   absl::StatusOr<Reply> (*fn)(Open311Context&, http::Request&, Format),
                   http::RouteOptions options = {}) {
      std::string pattern = "/open311/v2/" + path + ext;
      router.Add(method, pattern,
                 [&ctx, fn, format, pattern](http::Request& request) {
                   return Run(pattern, request, format, [&](http::Request& r, Format f) {
                     return fn(ctx, r, f);
                   });
                 },
                 options);
    };
    add("GET", "discovery", Discovery);
    add("GET", "services", ListServicesHandler);
    add("GET", "requests", ListRequests);
    add("POST", "requests", PostRequest, post_options);
    add("GET", "servicerequestupdates", ListUpdates);
    add("POST", "servicerequestupdates", PostUpdate, post_options);
  }
  // "{code}.{format}" in one segment.
  using ItemFn = absl::StatusOr<Reply> (*)(Open311Context&, http::Request&, const std::string&);
  auto add_item = [&](std::string collection, ItemFn fn) {
    std::string pattern = "/open311/v2/" + collection + "/{file}";
    router.Add("GET", pattern, [&ctx, fn, pattern](http::Request& request) {
      std::string stem;
      Format format = Format::kXml;
      if (!SplitSuffix(request.PathParam("file"), &stem, &format)) {
        return ErrorResponse(Format::kXml, NotFound("unknown resource; end the path in .xml or .json"));
      }
      return Run(pattern, request, format,
                 [&](http::Request& r, Format) { return fn(ctx, r, stem); });
    });
  };
  add_item("services", ServiceDefinition);
  add_item("requests", GetRequest);
  add_item("tokens", GetToken);
  // Anything else under /open311/v2: an Open311 404 rather than problem+json.
  for (const char* method : {"GET", "POST"}) {
    router.Add(method, "/open311/v2/{file}", [](http::Request& request) {
      std::string stem;
      Format format = Format::kXml;
      if (!SplitSuffix(request.PathParam("file"), &stem, &format)) format = Format::kXml;
      return ErrorResponse(format, NotFound("unknown Open311 resource"));
    });
  }
}

}  // namespace onestop::open311
