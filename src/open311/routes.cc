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
#include "i18n/field_errors.h"
#include "i18n/translator.h"
#include "open311/open311.h"
#include "open311/params.h"
#include "open311/render.h"
#include "open311/routes_internal.h"
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
      check_api_key(d),
      check_duplicates(d),
      follow_case(d) {}

namespace routes_internal {

namespace {

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

}  // namespace

// ---- errors ----

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
    // GeoReport v2 clients read English.
    const i18n::Translator& english = i18n::Catalogs::Default().English();
    for (const auto& e : FieldErrorsOf(status)) {
      add(Open311FieldName(e.field) + ": " + i18n::FieldErrorText(e, english));
    }
    if (errors.empty()) add(std::string(status.message()));
  }
  http::Response response;
  response.status = code;
  response.content_type = std::string(ContentType(format));
  response.body = Render(Node::List("errors", std::move(errors)), format);
  return response;
}

absl::Status NotFound(std::string what) { return absl::NotFoundError(std::move(what)); }
absl::Status BadRequest(std::string field, std::string reason,
                        std::vector<std::pair<std::string, std::string>> params) {
  FieldError error{std::move(field), "invalid", std::move(reason), std::move(params)};
  std::string message = i18n::FieldErrorText(error, i18n::Catalogs::Default().English());
  return InvalidFields(message, {std::move(error)});
}

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

bool OnApi(const domain::Service* service) {
  return service != nullptr && service->active && service->OfferedOn(domain::Channel::kApi);
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

}  // namespace routes_internal

using namespace routes_internal;  // NOLINT

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
