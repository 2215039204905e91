#include "codec/json_reader.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace onestop::codec {
namespace {

// The JSON kind of `value` as the code the "wrong_type" params carry.
const char* KindName(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "integer";
    case boost::json::kind::double_:
      return "number";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
  }
  return "value";
}

// Finds the first key repeated within one object — which Boost.JSON's
// parser would silently resolve to the last value — by running a second,
// value-free pass of the parser over text already known to be valid JSON.
class DuplicateKeyFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  // Path of the first duplicate ("" = none), e.g. "items[2].code".
  const std::string& duplicate() const { return duplicate_; }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) { return Push(true); }
  bool on_object_end(std::size_t, boost::system::error_code&) { return Pop(); }
  bool on_array_begin(boost::system::error_code&) { return Push(false); }
  bool on_array_end(std::size_t, boost::system::error_code&) { return Pop(); }
  bool on_key_part(boost::json::string_view part, std::size_t, boost::system::error_code&) {
    key_.append(part.data(), part.size());
    return true;
  }
  bool on_key(boost::json::string_view part, std::size_t, boost::system::error_code& ec) {
    key_.append(part.data(), part.size());
    Frame& frame = frames_.back();
    if (!frame.keys.insert(key_).second) {
      duplicate_ = JoinPath(frame.path, key_);
      ec = boost::json::error::syntax;  // stop here; the caller reports duplicate()
      return false;
    }
    frame.key = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
  bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) { return Value(); }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(int64_t, boost::json::string_view, boost::system::error_code&) { return Value(); }
  bool on_uint64(uint64_t, boost::json::string_view, boost::system::error_code&) { return Value(); }
  bool on_double(double, boost::json::string_view, boost::system::error_code&) { return Value(); }
  bool on_bool(bool, boost::system::error_code&) { return Value(); }
  bool on_null(boost::system::error_code&) { return Value(); }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

 private:
  struct Frame {
    bool object = false;
    std::string path;
    std::set<std::string> keys;
    std::string key;   // objects: the member being read
    size_t index = 0;  // arrays: the element being read
  };
  // Where the value now starting sits.
  std::string ChildPath() const {
    if (frames_.empty()) return "";
    const Frame& parent = frames_.back();
    return parent.object ? JoinPath(parent.path, parent.key) : IndexPath(parent.path, parent.index);
  }
  bool Push(bool object) {
    Frame frame;
    frame.object = object;
    frame.path = ChildPath();
    frames_.push_back(std::move(frame));
    return true;
  }
  bool Pop() {
    frames_.pop_back();
    return Value();
  }
  bool Value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  std::vector<Frame> frames_;
  std::string key_;
  std::string duplicate_;
};

// Members written in valid JSON text: each is "key: value", and a ':'
// outside strings appears nowhere else in the grammar.
size_t MembersInText(std::string_view text) {
  size_t colons = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':') {
      ++colons;
    }
  }
  return colons;
}

// Members of every object in a parsed value.
size_t MembersIn(const boost::json::value& value) {
  size_t n = 0;
  if (const boost::json::object* o = value.if_object()) {
    n += o->size();
    for (const auto& member : *o) n += MembersIn(member.value());
  } else if (const boost::json::array* a = value.if_array()) {
    for (const boost::json::value& item : *a) n += MembersIn(item);
  }
  return n;
}

}  // namespace

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  if (key.empty()) return std::string(parent);
  return absl::StrCat(std::string(parent), ".", std::string(key));
}

std::string IndexPath(std::string_view parent, size_t index) {
  return absl::StrCat(std::string(parent), "[", index, "]");
}

absl::StatusOr<boost::json::value> ParseJson(std::string_view text) {
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    // `consumed` is where the parser stopped; turn it into a line and column.
    size_t stop = std::min(consumed, text.size());
    size_t line = 1;
    size_t column = 1;
    for (size_t pos = 0; pos < stop; ++pos) {
      if (text[pos] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string message =
        absl::StrCat("Not valid JSON at line ", line, ", column ", column, ": ", ec.message());
    return InvalidFields(message, {{"", "syntax", "json_syntax",
                                    {{"line", absl::StrCat(line)},
                                     {"column", absl::StrCat(column)},
                                     {"detail", ec.message()}}}});
  }
  boost::json::value value = parser.release();
  // Cheap test first: the parsed objects hold one member per key in the text
  // unless a key repeats. Only then does the second pass find which.
  if (MembersInText(text) == MembersIn(value)) return value;
  boost::json::basic_parser<DuplicateKeyFinder> finder(boost::json::parse_options{});
  boost::system::error_code dup_ec;
  finder.write_some(false, text.data(), text.size(), dup_ec);
  if (const std::string& path = finder.handler().duplicate(); !path.empty()) {
    std::string message = absl::StrCat("Not valid JSON for us: the key \"", path,
                                       "\" appears twice in one object");
    return InvalidFields(message, {{path, "duplicate", "duplicate_key", {}}});
  }
  return value;
}

void ErrorList::Add(std::string field, std::string code, std::string reason,
                    std::vector<std::pair<std::string, std::string>> params) {
  errors_.push_back({std::move(field), std::move(code), std::move(reason), std::move(params)});
}

void ErrorList::AddStatus(std::string_view prefix, const absl::Status& status) {
  if (status.ok()) return;
  std::vector<FieldError> inner = FieldErrorsOf(status);
  if (inner.empty()) {
    Add(std::string(prefix), "invalid", "rejected");
    return;
  }
  for (FieldError& e : inner) {
    // Index paths ("[2].x") attach without a dot.
    std::string field = (!e.field.empty() && e.field[0] == '[')
                            ? absl::StrCat(std::string(prefix), e.field)
                            : JoinPath(prefix, e.field);
    e.field = std::move(field);
    Add(std::move(e));
  }
}

bool ErrorList::HasErrorAt(std::string_view field) const {
  for (const FieldError& e : errors_) {
    std::string_view have = e.field;
    if (have == field) return true;
    if (have.size() > field.size() && have.substr(0, field.size()) == field &&
        (have[field.size()] == '.' || have[field.size()] == '[')) {
      return true;
    }
  }
  return false;
}

absl::Status ErrorList::ToStatus(std::string_view message) const {
  if (errors_.empty()) return absl::OkStatus();
  return InvalidFields(message, errors_);
}

ObjectReader::ObjectReader(const boost::json::value& value, std::string path, ErrorList& errors)
    : path_(std::move(path)), errors_(errors) {
  if (value.is_object()) {
    object_ = &value.get_object();
  } else {
    errors_.Add(path_, "type", "wrong_type", {{"expected", "object"}, {"found", KindName(value)}});
  }
}

bool ObjectReader::Has(std::string_view key) const {
  if (object_ == nullptr) return false;
  const boost::json::value* value = object_->if_contains(key);
  return value != nullptr && !value->is_null();
}

const boost::json::value* ObjectReader::Find(std::string_view key, Presence presence) {
  if (object_ == nullptr) return nullptr;
  read_.emplace_back(key);
  const boost::json::value* value = object_->if_contains(key);
  if (value == nullptr || value->is_null()) {
    if (presence == Presence::kRequired) {
      errors_.Add(PathOf(key), "required", "key_required", {{"key", std::string(key)}});
    }
    return nullptr;
  }
  return value;
}

void ObjectReader::TypeError(std::string_view key, std::string_view expected) {
  const boost::json::value* value = object_->if_contains(key);
  errors_.Add(PathOf(key), "type", "wrong_type",
              {{"expected", std::string(expected)},
               {"found", value ? KindName(*value) : "nothing"}});
}

const boost::json::value* ObjectReader::Raw(std::string_view key, Presence presence) {
  return Find(key, presence);
}

std::optional<std::string> ObjectReader::String(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    TypeError(key, "string");
    return std::nullopt;
  }
  return std::string(value->get_string().data(), value->get_string().size());
}

std::optional<bool> ObjectReader::Bool(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    TypeError(key, "true_or_false");
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<int64_t> ObjectReader::Int(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) {
    if (value->get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      errors_.Add(PathOf(key), "invalid", "number_too_large");
      return std::nullopt;
    }
    return static_cast<int64_t>(value->get_uint64());
  }
  TypeError(key, "integer");
  return std::nullopt;
}

std::optional<int> ObjectReader::Int32(std::string_view key, Presence presence, int min, int max) {
  size_t errors_before = errors_.size();
  std::optional<int64_t> wide = Int(key, presence);
  if (!wide) return std::nullopt;
  if (*wide < min || *wide > max) {
    if (errors_.size() == errors_before) {
      errors_.Add(PathOf(key), "invalid", "integer_range",
                  {{"min", absl::StrCat(min)}, {"max", absl::StrCat(max)}});
    }
    return std::nullopt;
  }
  return static_cast<int>(*wide);
}

std::optional<double> ObjectReader::Double(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return std::nullopt;
  if (value->is_double()) return value->get_double();
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_uint64()) return static_cast<double>(value->get_uint64());
  TypeError(key, "number");
  return std::nullopt;
}

const boost::json::object* ObjectReader::Object(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    TypeError(key, "object");
    return nullptr;
  }
  return &value->get_object();
}

const boost::json::array* ObjectReader::Array(std::string_view key, Presence presence) {
  const boost::json::value* value = Find(key, presence);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    TypeError(key, "array");
    return nullptr;
  }
  return &value->get_array();
}

std::optional<std::vector<std::string>> ObjectReader::StringArray(std::string_view key,
                                                                  Presence presence) {
  const boost::json::array* array = Array(key, presence);
  if (array == nullptr) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(array->size());
  std::string where = PathOf(key);
  for (size_t idx = 0; idx < array->size(); ++idx) {
    const boost::json::value& element = (*array)[idx];
    if (!element.is_string()) {
      errors_.Add(IndexPath(where, idx), "type", "wrong_type",
                  {{"expected", "string"}, {"found", KindName(element)}});
      continue;
    }
    out.emplace_back(element.get_string().data(), element.get_string().size());
  }
  return out;
}

void ObjectReader::Finish() {
  if (object_ == nullptr) return;
  for (const auto& entry : *object_) {
    std::string_view key(entry.key().data(), entry.key().size());
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      errors_.Add(PathOf(key), "unknown", "unknown_key", {{"key", std::string(key)}});
    }
  }
}

}  // namespace onestop::codec
