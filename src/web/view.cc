#include "web/view.h"


namespace onestop::web {

View& View::Set(const std::string& key, std::string text) {
  ViewValue& v = fields_[key];
  v = ViewValue{};
  v.text = std::move(text);
  return *this;
}

View& View::Flag(const std::string& key, bool on) {
  ViewValue& v = fields_[key];
  v = ViewValue{};
  v.kind = ViewValue::Kind::kFlag;
  v.flag = on;
  return *this;
}

View& View::Child(const std::string& key, View child) {
  ViewValue& v = fields_[key];
  v = ViewValue{};
  v.kind = ViewValue::Kind::kView;
  v.items.push_back(std::move(child));
  return *this;
}

View& View::Add(const std::string& key, View item) {
  ViewValue& v = fields_[key];
  if (v.kind != ViewValue::Kind::kList) {
    v = ViewValue{};
    v.kind = ViewValue::Kind::kList;
  }
  v.items.push_back(std::move(item));
  Flag("has_" + key, true);
  return *this;
}

View& View::List(const std::string& key) {
  ViewValue& v = fields_[key];
  if (v.kind != ViewValue::Kind::kList) {
    v = ViewValue{};
    v.kind = ViewValue::Kind::kList;
  }
  if (fields_.find("has_" + key) == fields_.end()) Flag("has_" + key, !v.items.empty());
  return *this;
}

}  // namespace onestop::web
