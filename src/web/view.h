// View: the data a page template is rendered with — a tree of text, flags,
// nested views and lists of views, built by the page handlers and turned into
// mustache data inside template_set.cc (kainjow mustache never appears in headers).
// A plain value type; not shared between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace onestop::web {

class View;

struct ViewValue {
  enum class Kind { kText, kFlag, kView, kList } kind = Kind::kText;
  std::string text;
  bool flag = false;
  std::vector<View> items;  // kView: exactly one; kList: any number
};

class View {
 public:
  View& Set(const std::string& key, std::string text);
  View& Set(const std::string& key, const char* text) { return Set(key, std::string(text)); }
  View& Set(const std::string& key, std::string_view text) { return Set(key, std::string(text)); }
  View& Flag(const std::string& key, bool on);
  View& Child(const std::string& key, View child);
  // Appends to the list `key` (creating it); an empty list renders as false.
  // Both also set the flag "has_<key>" (kainjow cannot test "key.0").
  // Empty text counts as false in a section.
  View& Add(const std::string& key, View item);
  // Makes `key` an empty list if it is not set (so {{^key}} renders).
  View& List(const std::string& key);

  const std::map<std::string, ViewValue>& fields() const { return fields_; }

 private:
  std::map<std::string, ViewValue> fields_;
};

}  // namespace onestop::web
