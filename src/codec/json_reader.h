// Strict reading of JSON objects into domain values, with every problem
// collected as a FieldError instead of stopping at the first.
//
// The pattern every codec follows:
//
//   ErrorList errors;
//   ObjectReader in(json, /*path=*/"", errors);
//   Thing thing;
//   if (auto v = in.String("code", Presence::kRequired)) thing.code = *v;
//   if (auto v = in.Int32("order")) thing.order = *v;
//   in.ForEachObject("items", [&](ObjectReader& item, size_t) { ... });
//   in.Finish();                          // every key not read -> "unknown"
//   if (!errors.empty()) return errors.ToStatus("The thing is not valid");
//
// Error codes (FieldError::code) produced here, with their reasons:
//   "type"      the key holds the wrong JSON type (a number where a string was
//               expected): "wrong_type" {expected, found}, "expected_type" {expected},
//               where the values are JSON kinds: "string", "integer", "object", ...
//   "required"  a required key is absent (or null): "key_required" {key}
//   "unknown"   a key the reader never asked for: "unknown_key" {key}
//   "invalid"   right type, unacceptable value: "not_one_of" {value, allowed} (an
//               enum name that does not exist), "integer_range" {min, max},
//               "number_too_large"
// The words for them are in i18n/field_errors.cc.
// Field names are paths: "name", "sla.unit", "fields[2].values[0].key".
//
// JSON null is treated exactly like an absent key. Integers must be JSON
// integers (2, not 2.0). Duplicate keys in the text are not detected: Boost.JSON
// 1.81 keeps the last one.
//
// Readers are cheap, hold references (the value and the ErrorList must outlive
// them) and are not thread-safe; use one per thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/status.h"

namespace onestop::codec {

// "sla" + "unit" -> "sla.unit"; "" + "code" -> "code".
std::string JoinPath(std::string_view parent, std::string_view key);
// "fields" + 2 -> "fields[2]".
std::string IndexPath(std::string_view parent, size_t index);

// Parses JSON text (RFC 8259; no comments, no trailing commas). A syntax error
// becomes InvalidArgument naming the line and column, with one FieldError
// {field "", code "syntax", reason "json_syntax", params line, column and
// detail (the parser's own English words)}; a repeated key is {path,
// "duplicate", "duplicate_key"}.
absl::StatusOr<boost::json::value> ParseJson(std::string_view text);

// Errors gathered while reading one document.
class ErrorList {
 public:
  void Add(std::string field, std::string code, std::string reason,
           std::vector<std::pair<std::string, std::string>> params = {});
  void Add(FieldError error) { errors_.push_back(std::move(error)); }
  // Adds the FieldErrors carried by `status` with `prefix` joined in front of
  // each field name ("fields[0].code" under "services[3]" becomes
  // "services[3].fields[0].code"). A non-OK status without field errors adds
  // one "invalid" error at `prefix`, reason "rejected". OK adds nothing.
  void AddStatus(std::string_view prefix, const absl::Status& status);
  // True if some error's field is `field` or lies under it ("fields[1]" covers
  // "fields[1].code").
  bool HasErrorAt(std::string_view field) const;

  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<FieldError>& errors() const { return errors_; }

  // OK if empty; otherwise InvalidFields(message, errors).
  absl::Status ToStatus(std::string_view message) const;

 private:
  std::vector<FieldError> errors_;
};

enum class Presence { kOptional, kRequired };

// Reads the keys of one JSON object, remembering which were read so Finish()
// can report the rest as unknown. If the value is not an object, one "type"
// error is recorded at `path` and every read returns nullopt without further
// errors.
class ObjectReader {
 public:
  ObjectReader(const boost::json::value& value, std::string path, ErrorList& errors);
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // True if the value is a JSON object.
  bool is_object() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  ErrorList& errors() { return errors_; }
  // The path of `key` inside this object, for errors the caller raises itself.
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }

  // True if `key` is present and not null. Does not mark it read.
  bool Has(std::string_view key) const;
  // The raw value of `key` (nullptr if absent or null); marks it read. For
  // shapes the typed readers below do not cover.
  const boost::json::value* Raw(std::string_view key, Presence presence = Presence::kOptional);

  std::optional<std::string> String(std::string_view key, Presence presence = Presence::kOptional);
  std::optional<bool> Bool(std::string_view key, Presence presence = Presence::kOptional);
  // Any JSON integer that fits in int64_t.
  std::optional<int64_t> Int(std::string_view key, Presence presence = Presence::kOptional);
  // An integer in [min, max]; outside it -> "invalid".
  std::optional<int> Int32(std::string_view key, Presence presence = Presence::kOptional,
                           int min = INT32_MIN, int max = INT32_MAX);
  // Any JSON number.
  std::optional<double> Double(std::string_view key, Presence presence = Presence::kOptional);
  const boost::json::object* Object(std::string_view key, Presence presence = Presence::kOptional);
  const boost::json::array* Array(std::string_view key, Presence presence = Presence::kOptional);
  // An array of strings; a non-string element is a "type" error at "key[i]"
  // and is skipped.
  std::optional<std::vector<std::string>> StringArray(std::string_view key,
                                                      Presence presence = Presence::kOptional);

  // A string naming an enum value. `parse` is any callable
  // std::optional<E>(std::string_view) (e.g. domain::ParseChannel);
  // `allowed` lists the accepted names for the error message.
  template <typename Parse>
  auto Enum(std::string_view key, Parse parse, std::string_view allowed,
            Presence presence = Presence::kOptional) -> decltype(parse(std::string_view{}));

  // An array of enum names; bad elements are "invalid" at "key[i]" and skipped.
  template <typename Parse>
  auto EnumArray(std::string_view key, Parse parse, std::string_view allowed,
                 Presence presence = Presence::kOptional)
      -> std::optional<std::vector<typename decltype(parse(std::string_view{}))::value_type>>;

  // Calls fn(ObjectReader& element, size_t index) for each element of the
  // array at `key`, then Finish()es the element. Non-object elements are
  // "type" errors at "key[i]" and are not passed to fn. Returns false if the
  // key is absent or not an array.
  template <typename Fn>
  bool ForEachObject(std::string_view key, Fn&& fn, Presence presence = Presence::kOptional);

  // Calls fn(ObjectReader& child) for the object at `key`, then Finish()es it.
  // Returns false if the key is absent or not an object.
  template <typename Fn>
  bool WithObject(std::string_view key, Fn&& fn, Presence presence = Presence::kOptional);

  // Records an "unknown" error for every key that was not read. Call once,
  // after the last read.
  void Finish();

 private:
  // The value of `key` if present and not null, marking it read; records
  // "required" if absent and required.
  const boost::json::value* Find(std::string_view key, Presence presence);
  void TypeError(std::string_view key, std::string_view expected);

  const boost::json::object* object_ = nullptr;
  std::string path_;
  ErrorList& errors_;
  std::vector<std::string> read_;
};

// ---- implementation of the templates ----

template <typename Parse>
auto ObjectReader::Enum(std::string_view key, Parse parse, std::string_view allowed,
                        Presence presence) -> decltype(parse(std::string_view{})) {
  std::optional<std::string> name = String(key, presence);
  if (!name) return std::nullopt;
  auto parsed = parse(std::string_view(*name));
  if (!parsed) {
    errors_.Add(PathOf(key), "invalid", "not_one_of",
                {{"value", *name}, {"allowed", std::string(allowed)}});
  }
  return parsed;
}

template <typename Parse>
auto ObjectReader::EnumArray(std::string_view key, Parse parse, std::string_view allowed,
                             Presence presence)
    -> std::optional<std::vector<typename decltype(parse(std::string_view{}))::value_type>> {
  using E = typename decltype(parse(std::string_view{}))::value_type;
  const boost::json::array* array = Array(key, presence);
  if (array == nullptr) return std::nullopt;
  std::vector<E> out;
  std::string where = PathOf(key);
  for (size_t idx = 0; idx < array->size(); ++idx) {
    const boost::json::value& element = (*array)[idx];
    if (!element.is_string()) {
      errors_.Add(IndexPath(where, idx), "type", "expected_type", {{"expected", "string"}});
      continue;
    }
    std::string_view name(element.get_string().data(), element.get_string().size());
    auto parsed = parse(name);
    if (!parsed) {
      errors_.Add(IndexPath(where, idx), "invalid", "not_one_of",
                  {{"value", std::string(name)}, {"allowed", std::string(allowed)}});
      continue;
    }
    out.push_back(*parsed);
  }
  return out;
}

template <typename Fn>
bool ObjectReader::ForEachObject(std::string_view key, Fn&& fn, Presence presence) {
  const boost::json::array* array = Array(key, presence);
  if (array == nullptr) return false;
  std::string where = PathOf(key);
  for (size_t idx = 0; idx < array->size(); ++idx) {
    ObjectReader element((*array)[idx], IndexPath(where, idx), errors_);
    if (!element.is_object()) continue;
    fn(element, idx);
    element.Finish();
  }
  return true;
}

template <typename Fn>
bool ObjectReader::WithObject(std::string_view key, Fn&& fn, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return false;
  ObjectReader child(*value, PathOf(key), errors_);
  if (!child.is_object()) return false;
  fn(child);
  child.Finish();
  return true;
}

}  // namespace onestop::codec
