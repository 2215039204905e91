#include "i18n/translator.h"

#include <boost/locale/format.hpp>
#include <boost/locale/formatting.hpp>
#include <boost/locale/generator.hpp>
#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "i18n/embedded_catalogs.h"

namespace onestop::i18n {

struct Translator::Impl {
  std::locale locale;            // ICU locale of the language, with our messages facet
  const boost::locale::message_format<char>* messages = nullptr;  // owned by `locale`
  int domain_id = 0;
};

Translator::Translator(std::string lang, std::string native_name, std::unique_ptr<Impl> impl)
    : lang_(std::move(lang)), native_name_(std::move(native_name)), impl_(std::move(impl)) {}

Translator::~Translator() = default;

const char* Translator::operator()(const char* msgid) const {
  if (impl_->messages == nullptr) return msgid;
  const char* found = impl_->messages->get(impl_->domain_id, nullptr, msgid);
  return found != nullptr && *found != '\0' ? found : msgid;
}

const char* Translator::Context(const char* context, const char* msgid) const {
  if (impl_->messages == nullptr) return msgid;
  const char* found = impl_->messages->get(impl_->domain_id, context, msgid);
  return found != nullptr && *found != '\0' ? found : msgid;
}

const char* Translator::Plural(const char* singular, const char* plural, int64_t n) const {
  if (impl_->messages != nullptr) {
    const int count = static_cast<int>(std::min<int64_t>(n < 0 ? -n : n, 1000000000));
    const char* found = impl_->messages->get(impl_->domain_id, nullptr, singular, count);
    if (found != nullptr && *found != '\0') return found;
  }
  return n == 1 ? singular : plural;
}

bool Translator::Has(const char* msgid) const {
  if (impl_->messages == nullptr) return false;
  const char* found = impl_->messages->get(impl_->domain_id, nullptr, msgid);
  return found != nullptr && *found != '\0';
}

namespace {

const absl::TimeZone& London() {
  static const absl::TimeZone* tz = [] {
    auto* zone = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/London", zone)) *zone = absl::UTCTimeZone();
    return zone;
  }();
  return *tz;
}

}  // namespace

std::string Translator::Date(absl::Time t) const {
  // ICU (through Boost.Locale) names the months in the language; the civil
  // date is fixed first in Europe/London so ICU's own zone data cannot differ.
  const absl::CivilDay day = absl::ToCivilDay(t, London());
  const absl::Time noon_utc = absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 12),
                                              absl::UTCTimeZone());
  std::ostringstream out;
  out.imbue(impl_->locale);
  out << boost::locale::as::time_zone("UTC") << boost::locale::as::ftime("%e %B %Y")
      << static_cast<double>(absl::ToUnixSeconds(noon_utc));
  return out.str();
}

std::string Translator::DateTime(absl::Time t) const {
  const Translator& tr = *this;
  const absl::CivilMinute m = absl::ToCivilMinute(t, London());
  const int hour12 = m.hour() % 12 == 0 ? 12 : m.hour() % 12;
  // GOV.UK style: "9:30am"; Welsh "9:30yb".
  const std::string time = absl::StrCat(hour12, ":", m.minute() < 10 ? "0" : "", m.minute(),
                                        m.hour() < 12 ? tr.Context("time", "am") : tr.Context("time", "pm"));
  return Substitute(tr("{date} at {time}"), {{"date", Date(t)}, {"time", time}});
}

std::string Translator::Number(int64_t n) const {
  std::ostringstream out;
  out.imbue(impl_->locale);
  out << boost::locale::as::number << n;
  return out.str();
}

Catalogs::~Catalogs() = default;

namespace {

// What each language calls itself, for the language switch.
std::string NativeName(const std::string& lang) {
  static constexpr std::pair<const char*, const char*> kNames[] = {
      {"cy", "Cymraeg"}, {"gd", "Gàidhlig"}, {"ga", "Gaeilge"}, {"pl", "Polski"},
      {"pa", "ਪੰਜਾਬੀ"},  {"ur", "اردو"},     {"bn", "বাংলা"},    {"ro", "Română"},
  };
  for (const auto& [code, name] : kNames) {
    if (lang == code) return name;
  }
  return lang;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Catalogs>> Catalogs::LoadEmbedded() {
  std::unique_ptr<Catalogs> catalogs(new Catalogs());
  boost::locale::generator generator;
  generator.categories(boost::locale::category_t::formatting | boost::locale::category_t::convert |
                       boost::locale::category_t::information);
  {
    auto impl = std::make_unique<Translator::Impl>();
    impl->locale = generator("en_GB.UTF-8");
    catalogs->translators_.push_back(std::unique_ptr<Translator>(
        new Translator("en", "English", std::move(impl))));
  }
  for (const EmbeddedFile& embedded : EmbeddedCatalogList()) {
    auto impl = std::make_unique<Translator::Impl>();
    absl::string_view name(embedded.path.data(), embedded.path.size());
    if (!absl::ConsumeSuffix(&name, ".mo")) continue;
    const std::string lang(name);
    std::locale base = generator(lang + "_GB.UTF-8");
    boost::locale::gnu_gettext::messages_info info;
    info.language = lang;
    info.encoding = "UTF-8";
    info.domains.push_back(boost::locale::gnu_gettext::messages_info::domain("onestop"));
    info.paths.push_back("/embedded");
    const std::string_view bytes = embedded.data;
    info.callback = [bytes, lang](const std::string& file_name, const std::string&) {
      // Boost.Locale asks for <path>/<lang>/LC_MESSAGES/onestop.mo (and
      // variants with the country); answer only the plain language one.
      if (file_name != "/embedded/" + lang + "/LC_MESSAGES/onestop.mo") return std::vector<char>{};
      return std::vector<char>(bytes.begin(), bytes.end());
    };
    try {
      auto* facet = boost::locale::gnu_gettext::create_messages_facet<char>(info);
      if (facet == nullptr) {
        return absl::InternalError(absl::StrCat("the ", lang, " message catalogue did not load"));
      }
      impl->locale = std::locale(base, facet);
      impl->messages = facet;
      impl->domain_id = facet->domain("onestop");
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("the ", lang, " message catalogue is unreadable: ", e.what()));
    }
    catalogs->translators_.push_back(std::unique_ptr<Translator>(
        new Translator(lang, NativeName(lang), std::move(impl))));
  }
  return std::unique_ptr<const Catalogs>(std::move(catalogs));
}

const Catalogs& Catalogs::Default() {
  static const Catalogs* catalogs = [] {
    auto loaded = LoadEmbedded();
    if (!loaded.ok()) std::abort();  // a build defect: the catalogues are compiled in
    return loaded->release();
  }();
  return *catalogs;
}

namespace {

// "cy-GB" / "CY_gb" → "cy".
std::string PrimaryTag(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

const Translator& Catalogs::Get(std::string_view lang) const {
  const std::string primary = PrimaryTag(lang);
  for (const auto& translator : translators_) {
    if (translator->lang() == primary) return *translator;
  }
  return English();
}

bool Catalogs::Supports(std::string_view lang) const {
  const std::string primary = PrimaryTag(lang);
  for (const auto& translator : translators_) {
    if (translator->lang() == primary) return true;
  }
  return false;
}

std::vector<const Translator*> Catalogs::All() const {
  std::vector<const Translator*> out;
  for (const auto& translator : translators_) out.push_back(translator.get());
  return out;
}

std::string_view Catalogs::Negotiate(std::string_view accept_language) const {
  std::string_view best;
  double best_q = 0;
  int seen = 0;
  for (absl::string_view item : absl::StrSplit(absl::string_view(accept_language.data(), accept_language.size()), ',')) {
    if (++seen > 32) break;  // bounded work for a hostile header
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const absl::string_view tag_view = absl::StripAsciiWhitespace(parts[0]);
    const std::string_view tag(tag_view.data(), tag_view.size());
    double q = 1.0;
    for (size_t part_idx = 1; part_idx < parts.size(); ++part_idx) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[part_idx]);
      if (absl::ConsumePrefix(&param, "q=") && !absl::SimpleAtod(param, &q)) q = 0;
    }
    if (q <= best_q || tag.empty() || tag == "*") continue;
    const std::string primary = PrimaryTag(tag);
    for (const auto& translator : translators_) {
      if (translator->lang() == primary) {
        best = translator->lang();
        best_q = q;
      }
    }
  }
  return best;
}

namespace {

template <typename Params>
std::string SubstituteImpl(std::string_view text, const Params& params) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    bool replaced = false;
    for (const auto& [key, value] : params) {
      if (key == name) {
        out.append(value);
        replaced = true;
        break;
      }
    }
    if (!replaced) out.append(text.substr(open, close - open + 1));
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::string Substitute(std::string_view text,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  return SubstituteImpl(text, params);
}

std::string Substitute(std::string_view text,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  return SubstituteImpl(text, params);
}

}  // namespace onestop::i18n
