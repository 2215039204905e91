#include "web/view.h"

#include <kainjow/mustache.hpp>

#include <stdexcept>

#include "web/templates.h"

namespace onestop::web {

namespace mustache = kainjow::mustache;

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

namespace {

mustache::data ToData(const View& view) {
  mustache::data out{mustache::data::type::object};
  for (const auto& [key, value] : view.fields()) {
    switch (value.kind) {
      case ViewValue::Kind::kText:
        // Empty text is false in sections ({{#hint}}…{{/hint}}) and renders as nothing.
        if (value.text.empty()) {
          out.set(key, mustache::data::type::bool_false);
        } else {
          out.set(key, value.text);
        }
        break;
      case ViewValue::Kind::kFlag:
        out.set(key, value.flag ? mustache::data::type::bool_true : mustache::data::type::bool_false);
        break;
      case ViewValue::Kind::kView:
        out.set(key, ToData(value.items.front()));
        break;
      case ViewValue::Kind::kList: {
        if (value.items.empty()) {
          out.set(key, mustache::data::type::bool_false);
          break;
        }
        mustache::data list{mustache::data::type::list};
        for (const auto& item : value.items) list.push_back(ToData(item));
        out.set(key, list);
        break;
      }
    }
  }
  return out;
}

}  // namespace

std::string Render(std::string_view template_name, const View& view) {
  const std::string* text = FindTemplate(template_name);
  if (text == nullptr) throw std::logic_error("no template " + std::string(template_name));
  mustache::mustache tmpl{*text};
  if (!tmpl.is_valid()) {
    throw std::logic_error("template " + std::string(template_name) + ": " + tmpl.error_message());
  }
  mustache::data data = ToData(view);
  for (const auto& [name, partial_text] : AllTemplates()) {
    if (name.empty() || name[0] != '_') continue;  // only "_name" templates are partials
    const std::string* captured = &partial_text;
    data.set(name, mustache::partial{[captured]() { return *captured; }});
  }
  return tmpl.render(data);
}

}  // namespace onestop::web
