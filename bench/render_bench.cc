// Page render time: the portal's templates rendered the way the server does
// now (compiled once per language at start-up, partials inlined, messages
// translated at load) against the way it did before issue 10 (each render
// parsed the template text and re-parsed every partial it used).
//
//   build/release/render_bench [iterations]
//
// Prints p50/p99 per page and language, in microseconds. Not a test.
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "web/embedded_templates.h"
#include "web/template_set.h"

namespace {

using onestop::web::View;
namespace mustache = kainjow::mustache;

View HomeView() {
  View v;
  v.Set("site_name", "Borough of Fairhaven");
  for (int i = 0; i < 8; ++i) {
    View item;
    item.Set("code", "service-" + std::to_string(i)).Set("name", "Report a problem number " + std::to_string(i));
    v.Add("popular", item);
  }
  return v;
}

View StepView() {
  View v;
  v.Set("code", "missed-bin").Set("service_name", "Report a missed bin collection").Set("step", "questions");
  v.Set("state", std::string(400, 'x'));
  v.List("errors");
  View section;
  for (int i = 0; i < 4; ++i) {
    View f;
    f.Set("name", "v.q" + std::to_string(i)).Set("id", "f-q" + std::to_string(i)).Set("label", "Which bin was missed?");
    f.Flag("required", true).Flag("is_radios", true);
    for (int o = 0; o < 4; ++o) {
      View option;
      option.Set("id", "f-q" + std::to_string(i) + "-" + std::to_string(o)).Set("name", "v.q").Set("value", "k").Set("label", "General waste (black bin)");
      f.Add("options", option);
    }
    section.Add("fields", f);
  }
  v.Child("questions", section);
  return v;
}

mustache::data ToData(const View& view);

mustache::data ToData(const View& view) {
  mustache::data out{mustache::data::type::object};
  for (const auto& [key, value] : view.fields()) {
    switch (value.kind) {
      case onestop::web::ViewValue::Kind::kText:
        if (value.text.empty()) out.set(key, mustache::data::type::bool_false);
        else out.set(key, value.text);
        break;
      case onestop::web::ViewValue::Kind::kFlag:
        out.set(key, value.flag ? mustache::data::type::bool_true : mustache::data::type::bool_false);
        break;
      case onestop::web::ViewValue::Kind::kView:
        out.set(key, ToData(value.items.front()));
        break;
      case onestop::web::ViewValue::Kind::kList: {
        mustache::data list{mustache::data::type::list};
        for (const auto& item : value.items) list.push_back(ToData(item));
        if (value.items.empty()) out.set(key, mustache::data::type::bool_false);
        else out.set(key, list);
        break;
      }
    }
  }
  return out;
}

// The pre-issue-10 way: parse on every render, partials as lambdas that the
// renderer parses again each time they are used.
std::string RenderOld(const std::string& name, const View& view) {
  std::string text;
  mustache::data data = ToData(view);
  for (const auto& file : onestop::web::EmbeddedTemplateList()) {
    std::string path(file.path);
    std::string n = path.substr(0, path.size() - 9);
    if (n == name) text = std::string(file.data);
    if (!n.empty() && n[0] == '_') {
      std::string partial(file.data);
      data.set(n, mustache::partial{[partial]() { return partial; }});
    }
  }
  mustache::mustache tmpl{text};
  return tmpl.render(data);
}

struct Figures {
  double p50, p99;
  size_t bytes;
};

template <typename Fn>
Figures Measure(int iterations, Fn fn) {
  std::vector<double> micros;
  micros.reserve(iterations);
  size_t bytes = 0;
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    std::string html = fn();
    auto end = std::chrono::steady_clock::now();
    bytes = html.size();
    micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  return {micros[micros.size() / 2], micros[micros.size() * 99 / 100], bytes};
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 5000;
  const auto& catalogs = onestop::i18n::Catalogs::Default();
  auto set = onestop::web::TemplateSet::Load(catalogs, "");
  if (!set.ok()) {
    std::fprintf(stderr, "%s\n", std::string(set.status().message()).c_str());
    return 1;
  }
  std::printf("render_bench: %d renders per row (content template only, no layout)\n", iterations);
  std::printf("%-8s %-4s %-22s %9s %9s %8s\n", "page", "lang", "how", "p50 µs", "p99 µs", "bytes");
  for (const char* name : {"home", "step"}) {
    const View view = std::string(name) == "home" ? HomeView() : StepView();
    Figures old = Measure(iterations, [&] { return RenderOld(name, view); });
    std::printf("%-8s %-4s %-22s %9.1f %9.1f %8zu\n", name, "en", "parse per render (old)", old.p50, old.p99, old.bytes);
    for (const auto* tr : catalogs.All()) {
      Figures now = Measure(iterations, [&] { return (*set)->Render(name, view, *tr); });
      std::printf("%-8s %-4s %-22s %9.1f %9.1f %8zu\n", name, tr->lang().c_str(), "compiled at start-up", now.p50, now.p99, now.bytes);
    }
  }
  return 0;
}
