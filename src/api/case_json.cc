#include "api/case_json.h"

#include <charconv>
#include <cmath>
#include <utility>

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "codec/catalogue.h"
#include "common/time_format.h"
#include "domain/reference.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

constexpr std::string_view kStatusNames =
    "new, open, in_progress, waiting_on_citizen, resolved, closed, cancelled";
constexpr std::string_view kPriorityNames = "low, normal, high, urgent";
constexpr std::string_view kVisibilityNames = "internal, public";
constexpr int64_t kMaxUprn = 999'999'999'999;  // 12 digits
constexpr size_t kMaxMediaUrls = 20;

boost::json::array StringsToJson(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

// "12.5" → 12.5, "7" → 7; text that is not a plain decimal stays a string.
boost::json::value NumberFromText(const std::string& text) {
  if (text.empty()) return boost::json::value(text);
  int64_t integer = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [int_end, int_ec] = std::from_chars(begin, end, integer);
  if (int_ec == std::errc() && int_end == end) return boost::json::value(integer);
  double number = 0;
  auto [dbl_end, dbl_ec] = std::from_chars(begin, end, number, std::chars_format::fixed);
  if (dbl_ec == std::errc() && dbl_end == end && std::isfinite(number)) {
    return boost::json::value(number);
  }
  return boost::json::value(text);
}

}  // namespace

boost::json::value TimeOrNull(const std::optional<absl::Time>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

boost::json::value IdOrNull(const std::optional<int64_t>& id) {
  if (!id) return nullptr;
  return boost::json::value(*id);
}

boost::json::value FormValueToJson(const std::vector<std::string>& values,
                                   std::optional<domain::Datatype> datatype) {
  if (datatype == domain::Datatype::kMultiValueList) return StringsToJson(values);
  if (values.size() > 1) return StringsToJson(values);  // unexpected, but lose nothing
  std::string text = values.empty() ? std::string() : values.front();
  if (datatype == domain::Datatype::kNumber) return NumberFromText(text);
  return boost::json::value(text);
}

boost::json::value LocationToJson(const domain::Location& location) {
  if (location.empty()) return nullptr;
  boost::json::object out;
  out["uprn"] = IdOrNull(location.uprn);
  out["lat"] = location.lat ? boost::json::value(*location.lat) : boost::json::value(nullptr);
  out["lng"] = location.lng ? boost::json::value(*location.lng) : boost::json::value(nullptr);
  out["description"] = location.description;
  out["postcode"] = location.postcode;
  return out;
}

boost::json::object CaseToJson(const domain::Case& c, const domain::Service* service) {
  boost::json::object out;
  out["id"] = c.id;
  out["reference"] = c.reference;
  out["service_code"] = c.service_code;
  out["department"] = c.department;
  out["citizen_id"] = IdOrNull(c.citizen_id);
  out["channel"] = std::string(domain::ChannelName(c.channel));
  out["status"] = std::string(domain::CaseStatusName(c.status));
  out["priority"] = std::string(domain::PriorityName(c.priority));
  out["team"] = c.team;
  out["assignee_id"] = IdOrNull(c.assignee_id);
  out["summary"] = c.summary;
  boost::json::object values;
  for (const auto& [code, answer] : c.values) {
    const domain::FormField* field = service ? service->FindField(code) : nullptr;
    values[code] = FormValueToJson(
        answer, field ? std::optional<domain::Datatype>(field->datatype) : std::nullopt);
  }
  out["values"] = std::move(values);
  out["location"] = LocationToJson(c.location);
  out["media_urls"] = StringsToJson(c.media_urls);
  out["created_at"] = FormatRfc3339(c.created_at);
  out["updated_at"] = FormatRfc3339(c.updated_at);
  out["due_at"] = TimeOrNull(c.due_at);
  out["sla_paused"] = c.sla_paused_at.has_value();
  out["resolved_at"] = TimeOrNull(c.resolved_at);
  out["closed_at"] = TimeOrNull(c.closed_at);
  out["version"] = c.version;
  if (c.duplicate_of) {
    out["duplicate_of"] = boost::json::object{
        {"id", *c.duplicate_of}, {"reference", domain::EncodeCaseReference(*c.duplicate_of)}};
  } else {
    out["duplicate_of"] = nullptr;
  }
  boost::json::array next;
  for (domain::CaseStatus s : domain::NextStatuses(c.status)) {
    next.emplace_back(std::string(domain::CaseStatusName(s)));
  }
  out["next_statuses"] = std::move(next);
  return out;
}

domain::Location ReadLocation(ObjectReader& in) {
  domain::Location location;
  if (auto uprn = in.Int("uprn")) {
    if (*uprn < 1 || *uprn > kMaxUprn) {
      in.errors().Add(in.PathOf("uprn"), "invalid", "uprn_whole_number");
    } else {
      location.uprn = *uprn;
    }
  }
  if (auto lat = in.Double("lat")) {
    if (*lat < -90 || *lat > 90) {
      in.errors().Add(in.PathOf("lat"), "invalid", "latitude_range");
    } else {
      location.lat = *lat;
    }
  }
  if (auto lng = in.Double("lng")) {
    if (*lng < -180 || *lng > 180) {
      in.errors().Add(in.PathOf("lng"), "invalid", "longitude_range");
    } else {
      location.lng = *lng;
    }
  }
  if (auto description = in.String("description")) location.description = *description;
  if (auto postcode = in.String("postcode")) location.postcode = *postcode;
  return location;
}

std::string NumberText(const boost::json::value& number) {
  if (number.is_int64()) return std::to_string(number.get_int64());
  if (number.is_uint64()) return std::to_string(number.get_uint64());
  // Shortest text that reads back as the same double, never in exponent form
  // (the form validator accepts plain decimals only).
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), number.get_double(),
                                 std::chars_format::fixed);
  if (ec != std::errc()) return std::to_string(number.get_double());
  return std::string(buffer, end);
}

domain::FormValues ReadFormValues(const boost::json::value& json, const std::string& path,
                                  ErrorList& errors) {
  domain::FormValues values;
  if (!json.is_object()) {
    errors.Add(path, "type", "values_object");
    return values;
  }
  for (const auto& [key, value] : json.get_object()) {
    std::string code(key.data(), key.size());
    std::string where = codec::JoinPath(path, code);
    if (value.is_string()) {
      values[code] = {std::string(value.get_string().data(), value.get_string().size())};
    } else if (value.is_number()) {
      values[code] = {NumberText(value)};
    } else if (value.is_array()) {
      std::vector<std::string> list;
      const boost::json::array& array = value.get_array();
      for (size_t idx = 0; idx < array.size(); ++idx) {
        if (!array[idx].is_string()) {
          errors.Add(codec::IndexPath(where, idx), "type", "expected_type",
                     {{"expected", "string"}});
          continue;
        }
        list.emplace_back(array[idx].get_string().data(), array[idx].get_string().size());
      }
      values[code] = std::move(list);
    } else {
      errors.Add(where, "type", "answer_type");
    }
  }
  return values;
}

absl::StatusOr<services::NewCase> NewCaseFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  services::NewCase out;
  if (auto v = in.String("service_code", Presence::kRequired)) out.service_code = *v;
  if (auto v = in.Int("citizen_id")) {
    if (*v < 1) {
      errors.Add("citizen_id", "invalid", "citizen_id_format");
    } else {
      out.citizen_id = *v;
    }
  }
  if (auto v = in.Enum("channel", domain::ParseChannel, codec::ChannelNames(), Presence::kRequired)) {
    out.channel = *v;
  }
  if (const boost::json::value* values = in.Raw("values")) {
    out.values = ReadFormValues(*values, "values", errors);
  }
  in.WithObject("location", [&](ObjectReader& location) { out.location = ReadLocation(location); });
  if (auto v = in.Enum("priority", domain::ParsePriority, kPriorityNames)) out.priority = *v;
  if (auto v = in.String("summary")) out.summary = *v;
  if (auto v = in.StringArray("media_urls")) {
    if (v->size() > kMaxMediaUrls) {
      errors.Add("media_urls", "too_long", "too_many_urls", {{"max", absl::StrCat(kMaxMediaUrls)}});
    }
    out.media_urls = *v;
  }
  if (auto v = in.Int("interaction_id")) {
    if (*v < 1) {
      errors.Add("interaction_id", "invalid", "interaction_not_connected");
    } else {
      out.interaction_id = *v;
    }
  }
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The case is not valid"));
  return out;
}

absl::StatusOr<services::CaseChanges> CaseChangesFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  services::CaseChanges out;
  if (auto v = in.Enum("status", domain::ParseCaseStatus, kStatusNames)) out.status = *v;
  if (auto v = in.Enum("priority", domain::ParsePriority, kPriorityNames)) out.priority = *v;
  if (auto v = in.String("team")) out.team = *v;
  // null means "unassign", which the reader would treat as absent.
  const boost::json::value* raw_assignee =
      json.is_object() ? json.get_object().if_contains("assignee_id") : nullptr;
  if (raw_assignee != nullptr && raw_assignee->is_null()) {
    in.Raw("assignee_id");  // mark read
    out.assignee_id = std::optional<int64_t>();
  } else if (auto v = in.Int("assignee_id")) {
    if (*v < 1) {
      errors.Add("assignee_id", "invalid", "staff_id_or_null");
    } else {
      out.assignee_id = std::optional<int64_t>(*v);
    }
  }
  if (auto v = in.String("summary")) out.summary = *v;
  const boost::json::value* raw_location =
      json.is_object() ? json.get_object().if_contains("location") : nullptr;
  if (raw_location != nullptr && raw_location->is_null()) {
    in.Raw("location");
    out.location = domain::Location{};
  } else {
    in.WithObject("location", [&](ObjectReader& location) { out.location = ReadLocation(location); });
  }
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The changes are not valid"));
  return out;
}

boost::json::object NoteToJson(const domain::Note& note) {
  boost::json::object out;
  out["id"] = note.id;
  out["case_id"] = note.case_id;
  out["visibility"] = std::string(domain::NoteVisibilityName(note.visibility));
  out["body"] = note.body;
  out["author_id"] = note.author_id == 0 ? boost::json::value(nullptr) : boost::json::value(note.author_id);
  out["created_at"] = FormatRfc3339(note.created_at);
  return out;
}

absl::StatusOr<NewNote> NewNoteFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  NewNote out;
  if (auto v = in.Enum("visibility", domain::ParseNoteVisibility, kVisibilityNames,
                       Presence::kRequired)) {
    out.visibility = *v;
  }
  if (auto v = in.String("body", Presence::kRequired)) out.body = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The note is not valid"));
  return out;
}

boost::json::object AttachmentToJson(const domain::Attachment& attachment) {
  boost::json::object out;
  out["id"] = attachment.id;
  out["case_id"] = attachment.case_id;
  out["filename"] = attachment.filename;
  out["content_type"] = attachment.content_type;
  out["size_bytes"] = attachment.size_bytes;
  out["url"] = attachment.url;
  out["sha256"] = attachment.sha256;
  out["uploaded_by"] = attachment.uploaded_by == 0 ? boost::json::value(nullptr)
                                                   : boost::json::value(attachment.uploaded_by);
  out["created_at"] = FormatRfc3339(attachment.created_at);
  return out;
}

absl::StatusOr<domain::Attachment> AttachmentFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  domain::Attachment out;
  if (auto v = in.String("filename", Presence::kRequired)) out.filename = *v;
  if (auto v = in.String("content_type", Presence::kRequired)) out.content_type = *v;
  if (auto v = in.Int("size_bytes", Presence::kRequired)) {
    if (*v < 0) {
      errors.Add("size_bytes", "invalid", "size_bytes_format");
    } else {
      out.size_bytes = *v;
    }
  }
  if (auto v = in.String("url", Presence::kRequired)) out.url = *v;
  if (auto v = in.String("sha256")) out.sha256 = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The attachment is not valid"));
  return out;
}

}  // namespace onestop::api
