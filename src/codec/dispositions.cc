#include "codec/dispositions.h"

#include <boost/json.hpp>

#include "codec/translations.h"
#include "common/status.h"

namespace onestop::codec {
namespace {

constexpr std::string_view kOutcomeNames =
    "resolved_first_contact, case_raised, case_updated, information_given, transferred, "
    "abandoned, other";

boost::json::string Js(const std::string& s) { return boost::json::string(s.data(), s.size()); }

boost::json::array Strings(const std::vector<std::string>& list) {
  boost::json::array out;
  for (const std::string& s : list) out.push_back(Js(s));
  return out;
}

}  // namespace

std::vector<domain::Disposition> ReadDispositions(ObjectReader& in, std::string_view key) {
  std::vector<domain::Disposition> out;
  in.ForEachObject(key, [&](ObjectReader& d_in, size_t) {
    domain::Disposition d;
    if (auto v = d_in.String("code", Presence::kRequired)) d.code = *v;
    if (auto v = d_in.String("name", Presence::kRequired)) d.name = *v;
    if (auto v = d_in.Enum("outcome", domain::ParseContactOutcome, kOutcomeNames, Presence::kRequired)) {
      d.outcome = *v;
    }
    if (auto v = d_in.Bool("avoidable")) d.avoidable = *v;
    if (auto v = d_in.StringArray("queues")) d.queues = std::move(*v);
    if (auto v = d_in.StringArray("services")) d.services = std::move(*v);
    ReadTranslations(d_in, [&](ObjectReader& texts, const std::string& lang) {
      if (auto v = texts.String("name")) d.translations[lang] = *v;
    });
    out.push_back(std::move(d));
  });
  // The domain's paths are "dispositions[i]..."; keep them under in's path.
  in.errors().AddStatus(in.path(), domain::ValidateDispositions(out));
  return out;
}

boost::json::array DispositionsToJson(const std::vector<domain::Disposition>& dispositions) {
  boost::json::array out;
  for (const domain::Disposition& d : dispositions) {
    boost::json::object o{{"code", Js(d.code)},
                          {"name", Js(d.name)},
                          {"outcome", boost::json::string(domain::ContactOutcomeName(d.outcome))},
                          {"avoidable", d.avoidable},
                          {"queues", Strings(d.queues)},
                          {"services", Strings(d.services)}};
    if (!d.translations.empty()) {
      o["translations"] = TranslationsToJson(d.translations, [](const std::string& name) {
        return boost::json::object{{"name", Js(name)}};
      });
    }
    out.push_back(std::move(o));
  }
  return out;
}

absl::StatusOr<std::vector<domain::Disposition>> DispositionsFromJsonText(std::string_view text) {
  absl::StatusOr<boost::json::value> json = ParseJson(text);
  if (!json.ok()) return json.status();
  boost::json::object wrapper{{"dispositions", std::move(*json)}};
  ErrorList errors;
  boost::json::value value(std::move(wrapper));
  ObjectReader in(value, "", errors);
  std::vector<domain::Disposition> out = ReadDispositions(in, "dispositions");
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The stored dispositions are not valid"));
  return out;
}

}  // namespace onestop::codec
