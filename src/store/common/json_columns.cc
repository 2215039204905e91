#include "store/common/json_columns.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"

namespace onestop::store {
namespace json = boost::json;
namespace {

absl::Status Corrupt(std::string_view what, std::string_view text) {
  return absl::DataLossError(
      absl::StrCat("stored ", std::string(what), " is not valid: ", std::string(text.substr(0, 80))));
}

absl::StatusOr<json::value> Parse(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Corrupt(what, text);
  return value;
}

std::string Str(const json::string& s) { return std::string(s.data(), s.size()); }

json::string_view View(const std::string& s) { return json::string_view(s.data(), s.size()); }

// Reads obj[key] as a string; false when absent or not a string.
bool GetString(const json::object& obj, std::string_view key, std::string& out) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || !v->is_string()) return false;
  out = Str(v->get_string());
  return true;
}

// Translations are {"<lang>": <texts>}; each texts shape has a writer and a
// reader (false when the stored value is not that shape).
json::value TextsToJson(const std::string& name) { return View(name); }
json::value TextsToJson(const domain::FieldText& t) {
  return json::object{{"description", View(t.description)}, {"help_text", View(t.help_text)}};
}
json::value TextsToJson(const domain::ServiceText& t) {
  json::array keywords;
  for (const std::string& k : t.keywords) keywords.emplace_back(View(k));
  return json::object{{"name", View(t.name)},
                      {"description", View(t.description)},
                      {"group", View(t.group)},
                      {"keywords", std::move(keywords)}};
}
json::value TextsToJson(const domain::ArticleText& t) {
  return json::object{{"title", View(t.title)}, {"summary", View(t.summary)}, {"body", View(t.body)}};
}

bool TextsFromJson(const json::value& v, std::string& out) {
  if (!v.is_string()) return false;
  out = Str(v.get_string());
  return true;
}
bool TextsFromJson(const json::value& v, domain::FieldText& out) {
  return v.is_object() && GetString(v.get_object(), "description", out.description) &&
         GetString(v.get_object(), "help_text", out.help_text);
}
bool TextsFromJson(const json::value& v, domain::ServiceText& out) {
  if (!v.is_object()) return false;
  const json::object& obj = v.get_object();
  if (!GetString(obj, "name", out.name) || !GetString(obj, "description", out.description) ||
      !GetString(obj, "group", out.group)) {
    return false;
  }
  const json::value* keywords = obj.if_contains("keywords");
  if (keywords == nullptr || !keywords->is_array()) return false;
  for (const json::value& k : keywords->get_array()) {
    if (!k.is_string()) return false;
    out.keywords.push_back(Str(k.get_string()));
  }
  return true;
}
bool TextsFromJson(const json::value& v, domain::ArticleText& out) {
  return v.is_object() && GetString(v.get_object(), "title", out.title) &&
         GetString(v.get_object(), "summary", out.summary) &&
         GetString(v.get_object(), "body", out.body);
}

template <typename T>
json::object TranslationsToJson(const domain::Translations<T>& translations) {
  json::object out;
  for (const auto& [lang, texts] : translations) out[View(lang)] = TextsToJson(texts);
  return out;
}

// `value` null (a row or field written before translations existed) reads as none.
template <typename T>
bool TranslationsFromJson(const json::value* value, domain::Translations<T>& out) {
  out.clear();
  if (value == nullptr) return true;
  if (!value->is_object()) return false;
  for (const auto& entry : value->get_object()) {
    T texts;
    if (!TextsFromJson(entry.value(), texts)) return false;
    out.emplace(std::string(entry.key()), std::move(texts));
  }
  return true;
}

template <typename T>
std::string EncodeTranslations(const domain::Translations<T>& translations) {
  return json::serialize(TranslationsToJson(translations));
}

template <typename T>
absl::StatusOr<domain::Translations<T>> DecodeTranslations(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "translations");
  if (!value.ok()) return value.status();
  domain::Translations<T> out;
  if (!TranslationsFromJson(&*value, out)) return Corrupt("translations", text);
  return out;
}

}  // namespace

std::string EncodeStrings(const std::vector<std::string>& values) {
  json::array arr;
  arr.reserve(values.size());
  for (const std::string& v : values) arr.emplace_back(View(v));
  return json::serialize(arr);
}

absl::StatusOr<std::vector<std::string>> DecodeStrings(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "string list");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("string list", text);
  std::vector<std::string> out;
  for (const json::value& v : value->get_array()) {
    if (!v.is_string()) return Corrupt("string list", text);
    out.push_back(Str(v.get_string()));
  }
  return out;
}

std::string EncodeParams(const std::vector<std::pair<std::string, std::string>>& params) {
  json::array arr;
  arr.reserve(params.size());
  for (const auto& [k, v] : params) arr.emplace_back(json::array{View(k), View(v)});
  return json::serialize(arr);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> DecodeParams(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "placeholders");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("placeholders", text);
  std::vector<std::pair<std::string, std::string>> out;
  for (const json::value& v : value->get_array()) {
    const json::array* pair = v.if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string()) {
      return Corrupt("placeholders", text);
    }
    out.emplace_back(Str((*pair)[0].get_string()), Str((*pair)[1].get_string()));
  }
  return out;
}

std::string EncodeIds(const std::vector<int64_t>& ids) {
  json::array arr;
  for (int64_t id : ids) arr.emplace_back(id);
  return json::serialize(arr);
}

absl::StatusOr<std::vector<int64_t>> DecodeIds(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "id list");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("id list", text);
  std::vector<int64_t> out;
  for (const json::value& v : value->get_array()) {
    if (!v.is_int64()) return Corrupt("id list", text);
    out.push_back(v.get_int64());
  }
  return out;
}

std::string EncodeFormValues(const domain::FormValues& values) {
  json::object obj;
  for (const auto& [code, list] : values) {
    json::array arr;
    for (const std::string& v : list) arr.emplace_back(View(v));
    obj[View(code)] = std::move(arr);
  }
  return json::serialize(obj);
}

absl::StatusOr<domain::FormValues> DecodeFormValues(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "form values");
  if (!value.ok()) return value.status();
  if (!value->is_object()) return Corrupt("form values", text);
  domain::FormValues out;
  for (const auto& member : value->get_object()) {
    if (!member.value().is_array()) return Corrupt("form values", text);
    std::vector<std::string>& list = out[std::string(member.key().data(), member.key().size())];
    for (const json::value& v : member.value().get_array()) {
      if (!v.is_string()) return Corrupt("form values", text);
      list.push_back(Str(v.get_string()));
    }
  }
  return out;
}

std::string EncodeChannels(const std::vector<domain::Channel>& channels) {
  json::array arr;
  for (domain::Channel c : channels) {
    std::string_view name = domain::ChannelName(c);
    arr.emplace_back(json::string_view(name.data(), name.size()));
  }
  return json::serialize(arr);
}

absl::StatusOr<std::vector<domain::Channel>> DecodeChannels(std::string_view text) {
  absl::StatusOr<std::vector<std::string>> names = DecodeStrings(text);
  if (!names.ok()) return names.status();
  std::vector<domain::Channel> out;
  for (const std::string& name : *names) {
    std::optional<domain::Channel> c = domain::ParseChannel(name);
    if (!c) return Corrupt("channel list", text);
    out.push_back(*c);
  }
  return out;
}

std::string EncodeFormFields(const std::vector<domain::FormField>& fields) {
  json::array arr;
  for (const domain::FormField& f : fields) {
    json::object obj;
    obj["code"] = View(f.code);
    std::string_view datatype = domain::DatatypeName(f.datatype);
    obj["datatype"] = json::string_view(datatype.data(), datatype.size());
    obj["required"] = f.required;
    obj["order"] = f.order;
    obj["description"] = View(f.description);
    obj["help_text"] = View(f.help_text);
    json::array values;
    for (const domain::AllowedValue& v : f.values) {
      json::object value{{"key", View(v.key)}, {"name", View(v.name)}};
      if (!v.translations.empty()) value["translations"] = TranslationsToJson(v.translations);
      values.emplace_back(std::move(value));
    }
    obj["values"] = std::move(values);
    if (!f.translations.empty()) obj["translations"] = TranslationsToJson(f.translations);
    arr.emplace_back(std::move(obj));
  }
  return json::serialize(arr);
}

absl::StatusOr<std::vector<domain::FormField>> DecodeFormFields(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "form fields");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("form fields", text);
  std::vector<domain::FormField> out;
  for (const json::value& item : value->get_array()) {
    if (!item.is_object()) return Corrupt("form fields", text);
    const json::object& obj = item.get_object();
    domain::FormField f;
    std::string datatype;
    if (!GetString(obj, "code", f.code) || !GetString(obj, "datatype", datatype) ||
        !GetString(obj, "description", f.description) ||
        !GetString(obj, "help_text", f.help_text)) {
      return Corrupt("form fields", text);
    }
    std::optional<domain::Datatype> parsed = domain::ParseDatatype(datatype);
    const json::value* required = obj.if_contains("required");
    const json::value* order = obj.if_contains("order");
    const json::value* values = obj.if_contains("values");
    if (!parsed || required == nullptr || !required->is_bool() || order == nullptr ||
        !order->is_int64() || values == nullptr || !values->is_array()) {
      return Corrupt("form fields", text);
    }
    f.datatype = *parsed;
    f.required = required->get_bool();
    f.order = static_cast<int>(order->get_int64());
    for (const json::value& v : values->get_array()) {
      if (!v.is_object()) return Corrupt("form fields", text);
      domain::AllowedValue allowed;
      if (!GetString(v.get_object(), "key", allowed.key) ||
          !GetString(v.get_object(), "name", allowed.name) ||
          !TranslationsFromJson(v.get_object().if_contains("translations"), allowed.translations)) {
        return Corrupt("form fields", text);
      }
      f.values.push_back(std::move(allowed));
    }
    if (!TranslationsFromJson(obj.if_contains("translations"), f.translations)) {
      return Corrupt("form fields", text);
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string EncodeSkills(const std::vector<domain::Skill>& skills) {
  json::array arr;
  for (const domain::Skill& s : skills) {
    arr.emplace_back(json::object{{"code", View(s.code)}, {"proficiency", s.proficiency}});
  }
  return json::serialize(arr);
}

absl::StatusOr<std::vector<domain::Skill>> DecodeSkills(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "skills");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("skills", text);
  std::vector<domain::Skill> out;
  for (const json::value& item : value->get_array()) {
    if (!item.is_object()) return Corrupt("skills", text);
    domain::Skill s;
    const json::value* proficiency = item.get_object().if_contains("proficiency");
    if (!GetString(item.get_object(), "code", s.code) || proficiency == nullptr ||
        !proficiency->is_int64()) {
      return Corrupt("skills", text);
    }
    s.proficiency = static_cast<int>(proficiency->get_int64());
    out.push_back(std::move(s));
  }
  return out;
}

std::string EncodeChanges(const std::vector<domain::FieldChange>& changes) {
  json::array arr;
  for (const domain::FieldChange& c : changes) {
    arr.emplace_back(json::object{
        {"field", View(c.field)}, {"before", View(c.before)}, {"after", View(c.after)}});
  }
  return json::serialize(arr);
}

absl::StatusOr<std::vector<domain::FieldChange>> DecodeChanges(std::string_view text) {
  absl::StatusOr<json::value> value = Parse(text, "field changes");
  if (!value.ok()) return value.status();
  if (!value->is_array()) return Corrupt("field changes", text);
  std::vector<domain::FieldChange> out;
  for (const json::value& item : value->get_array()) {
    if (!item.is_object()) return Corrupt("field changes", text);
    domain::FieldChange c;
    if (!GetString(item.get_object(), "field", c.field) ||
        !GetString(item.get_object(), "before", c.before) ||
        !GetString(item.get_object(), "after", c.after)) {
      return Corrupt("field changes", text);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string EncodeServiceTexts(const domain::Translations<domain::ServiceText>& texts) {
  return EncodeTranslations(texts);
}
absl::StatusOr<domain::Translations<domain::ServiceText>> DecodeServiceTexts(std::string_view json) {
  return DecodeTranslations<domain::ServiceText>(json);
}

std::string EncodeNameTexts(const domain::Translations<std::string>& names) {
  return EncodeTranslations(names);
}
absl::StatusOr<domain::Translations<std::string>> DecodeNameTexts(std::string_view json) {
  return DecodeTranslations<std::string>(json);
}

std::string EncodeArticleTexts(const domain::Translations<domain::ArticleText>& texts) {
  return EncodeTranslations(texts);
}
absl::StatusOr<domain::Translations<domain::ArticleText>> DecodeArticleTexts(std::string_view json) {
  return DecodeTranslations<domain::ArticleText>(json);
}

}  // namespace onestop::store
