// The knowledge-base editor: the article list with filters, a new article,
// editing one (both languages, audience, status, services, review date).
// Registered by RegisterAdminPages (admin_pages.cc).

#include "web/admin_internal.h"
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "domain/routing_config.h"
#include "markdown/markdown.h"
#include "services/permissions.h"
#include "web/context.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web::admin_internal {

namespace {



View DateField(const std::string& name, const std::string& label, const http::ParamList& answers,
               const ErrorMap& errors) {
  View v;
  const std::string id = "f-" + name;
  v.Flag("is_date", true).Set("name", name).Set("id", id).Set("label", label).Flag("required", false);
  std::string described_by = id + "-hint";
  if (auto e = errors.find(name); e != errors.end()) {
    v.Set("error", e->second);
    described_by += " " + id + "-error";
  }
  v.Set("described_by", described_by);
  v.Set("day", FirstValue(answers, name + ".day"))
      .Set("month", FirstValue(answers, name + ".month"))
      .Set("year", FirstValue(answers, name + ".year"));
  return v;
}

}  // namespace


// ---- knowledge base ----

Result ArticleList(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  services::ArticleFilter filter;
  const std::string audience = request.QueryParam("audience").value_or("");
  const std::string status = request.QueryParam("status").value_or("");
  filter.audience = domain::ParseArticleAudience(audience);
  filter.status = domain::ParseArticleStatus(status);
  filter.review_overdue = request.QueryParam("overdue").value_or("") == "1";
  auto articles = ctx.list_articles.Run(actor, filter);
  if (!articles.ok()) return articles.status();
  View v;
  const http::ParamList answers = {{"audience", audience}, {"status", status}};
  v.Add("filters", SimpleField("audience", tr("Audience"), "select", answers, {}, false, "",
                               {{"public", tr("Public")}, {"staff", tr("Staff only")}}));
  v.Add("filters", SimpleField("status", tr("Status"), "select", answers, {}, false, "",
                               {{"published", tr("Published")}, {"draft", tr("Draft")}}));
  v.Flag("overdue", filter.review_overdue);
  v.Flag("can_edit", services::Authorize(actor, services::Permission::kEditArticles).ok());
  v.List("articles");
  const absl::Time now = ctx.deps.clock.Now();
  for (const auto& a : *articles) {
    View row;
    row.Set("id", std::to_string(a.id)).Set("title", a.title);
    row.Set("audience", a.audience == domain::ArticleAudience::kPublic ? tr("Public") : tr("Staff only"));
    row.Set("status", a.status == domain::ArticleStatus::kPublished ? tr("Published") : tr("Draft"));
    row.Set("review", a.review_at ? tr.Date(*a.review_at) : tr("Not set"));
    row.Flag("review_overdue", a.ReviewOverdue(now));
    v.Add("articles", row);
  }
  const int64_t count = static_cast<int64_t>(articles->size());
  v.Set("count", i18n::Substitute(tr.Plural("{n} article", "{n} articles", count), {{"n", std::to_string(count)}}));
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "saved") v.Set("flash", tr("Article saved"));
  return MakePage("staff_articles", N_("Knowledge base"), v, "/staff/articles");
}

static http::ParamList ArticleAnswers(const domain::Article& a) {
  http::ParamList out = {{"title", a.title},
                         {"summary", a.summary},
                         {"body", a.body},
                         {"audience", std::string(domain::ArticleAudienceName(a.audience))},
                         {"status", std::string(domain::ArticleStatusName(a.status))},
                         {"service_codes", absl::StrJoin(a.service_codes, ", ")},
                         {"keywords", absl::StrJoin(a.keywords, ", ")},
                         {"version", std::to_string(a.version)}};
  for (const auto& [lang, text] : a.translations) {
    out.push_back({lang + ".title", text.title});
    out.push_back({lang + ".summary", text.summary});
    out.push_back({lang + ".body", text.body});
  }
  if (a.review_at) {
    const absl::CivilDay day = absl::ToCivilDay(*a.review_at, absl::UTCTimeZone());
    out.push_back({"review.day", std::to_string(day.day())});
    out.push_back({"review.month", std::to_string(day.month())});
    out.push_back({"review.year", std::to_string(day.year())});
  }
  return out;
}

static Result RenderArticle(WebContext& ctx, const i18n::Translator& tr, const domain::Actor& actor,
                     const domain::Article* article, const http::ParamList& answers, const ErrorMap& errors,
                     const std::string& flash) {
  View v;
  const bool is_new = article == nullptr;
  v.Flag("is_new", is_new).Set("flash", flash);
  v.Set("action", is_new ? "/staff/articles/new" : absl::StrCat("/staff/articles/", article->id));
  v.Set("version", FirstValue(answers, "version"));
  AddErrors(v, errors, {"title", "summary", "body", "audience", "status", "service_codes", "keywords", "review"});
  v.Add("fields", SimpleField("title", tr("Title"), "input", answers, errors));
  v.Add("fields", SimpleField("summary", tr("Summary"), "textarea", answers, errors, false,
                              tr("One or two sentences shown in search results")));
  v.Add("fields", SimpleField("body", tr("Body"), "textarea", answers, errors, true,
                              tr("Markdown: # headings, **bold**, - lists, [links](https://example.org). No HTML.")));
  v.Add("fields", SimpleField("audience", tr("Audience"), "radios", answers, errors, true, "",
                              {{"public", tr("Public – residents can read it")},
                               {"staff", tr("Staff only – a call script")}}));
  v.Add("fields", SimpleField("status", tr("Status"), "radios", answers, errors, true, "",
                              {{"draft", tr("Draft")}, {"published", tr("Published")}}));
  v.Add("fields", SimpleField("service_codes", tr("Linked services"), "input", answers, errors, false,
                              tr("Service codes separated by commas, for example missed-bin")));
  v.Add("fields", SimpleField("keywords", tr("Keywords and synonyms"), "input", answers, errors, false,
                              tr("Separated by commas. To show it as the call script for a service or a call "
                                 "queue, add script: and the code, for example script:missed-bin or script:general")));
  v.Add("fields", DateField("review", tr("Review by"), answers, errors));
  // The article in each other language; without one, residents reading that
  // language get the English text (marked lang="en").
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    v.Add("fields", SimpleField(lang + ".title", InLanguage(tr("Title"), *other), "input", answers, errors, false,
                                tr("Leave the three empty to show the English article")));
    v.Add("fields", SimpleField(lang + ".summary", InLanguage(tr("Summary"), *other), "textarea", answers, errors,
                                false));
    v.Add("fields", SimpleField(lang + ".body", InLanguage(tr("Body"), *other), "textarea", answers, errors, false,
                                tr("Markdown, as above")));
  }
  // Agents read the article; only editors get the form.
  const bool can_edit = services::Authorize(actor, services::Permission::kEditArticles).ok();
  v.Flag("can_edit", can_edit);
  if (article != nullptr) {
    v.Set("id", std::to_string(article->id)).Set("title", article->title);
    v.Set("read_title", domain::TitleIn(*article, tr.lang()))
        .Set("read_summary", domain::SummaryIn(*article, tr.lang()))
        .Set("body_html", staff_internal::DemoteHeadings(markdown::RenderMarkdown(domain::BodyIn(*article, tr.lang())), 2))
        .Set("updated", tr.Date(article->updated_at))
        .Set("audience_text", article->audience == domain::ArticleAudience::kPublic
                                  ? tr("Public – residents can read it")
                                  : tr("Staff only – a call script"));
    if (article->IsPublic()) v.Set("public_href", absl::StrCat("/articles/", article->id));
    if (article->owner_id == actor.staff_id) {
      v.Flag("is_owner", true);
      v.Set("helpful_yes", std::to_string(article->helpful_yes))
          .Set("helpful_no", std::to_string(article->helpful_no))
          .Set("resolved_contacts", std::to_string(article->resolved_contacts));
    }
    auto versions = ctx.list_article_versions.Run(actor, article->id);
    v.List("versions");
    if (versions.ok()) {
      std::vector<domain::ArticleVersion> sorted = *versions;
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.version > b.version; });
      std::map<int64_t, std::string> names;
      auto staff = ctx.list_staff.Run(actor);
      if (staff.ok()) {
        for (const auto& s : *staff) names[s.id] = s.display_name;
      }
      for (const auto& ver : sorted) {
        View row;
        row.Set("version", std::to_string(ver.version)).Set("title", ver.title);
        row.Set("saved_at", tr.DateTime(ver.saved_at));
        row.Set("saved_by", names.contains(ver.saved_by)
                                ? names[ver.saved_by]
                                : i18n::Substitute(tr("Staff {id}"), {{"id", absl::StrCat(ver.saved_by)}}));
        row.Set("status", ver.status == domain::ArticleStatus::kPublished ? tr("published") : tr("draft"));
        v.Add("versions", row);
      }
    }
  }
  return MakePage("staff_article",
                  is_new ? N_("New article")
                         : can_edit ? i18n::Substitute(tr("Edit {name}"), {{"name", article->title}})
                                    : domain::TitleIn(*article, tr.lang()),
                  v, "/staff/articles", errors);
}

// The form → an article (onto `base`); errors for what the page itself can tell.
static domain::Article ArticleFromForm(const http::ParamList& form, domain::Article base, ErrorMap& errors,
                                const i18n::Translator& tr) {
  base.title = Trim(FirstValue(form, "title"));
  if (base.title.empty()) errors["title"] = tr("Enter the title");
  base.summary = Trim(FirstValue(form, "summary"));
  base.body = FirstValue(form, "body");
  if (Trim(base.body).empty()) errors["body"] = tr("Enter the body");
  auto audience = domain::ParseArticleAudience(FirstValue(form, "audience"));
  if (!audience) errors["audience"] = tr("Select the audience");
  else base.audience = *audience;
  auto status = domain::ParseArticleStatus(FirstValue(form, "status"));
  if (!status) errors["status"] = tr("Select the status");
  else base.status = *status;
  base.service_codes = SplitList(FirstValue(form, "service_codes"));
  base.keywords = SplitList(FirstValue(form, "keywords"));
  for (const i18n::Translator* other : OtherLanguages()) {
    const std::string& lang = other->lang();
    domain::ArticleText text{Trim(FirstValue(form, lang + ".title")), Trim(FirstValue(form, lang + ".summary")),
                             FirstValue(form, lang + ".body")};
    if (text.title.empty() && text.summary.empty() && Trim(text.body).empty()) {
      base.translations.erase(lang);
      continue;
    }
    if (text.title.empty()) errors[lang + ".title"] = tr("Enter the title in this language, or leave all three empty");
    if (Trim(text.body).empty()) {
      errors[lang + ".body"] = tr("Enter the body in this language, or leave all three empty");
    }
    base.translations[lang] = std::move(text);
  }
  const std::string d = Trim(FirstValue(form, "review.day")), m = Trim(FirstValue(form, "review.month")),
                    y = Trim(FirstValue(form, "review.year"));
  base.review_at.reset();
  if (!d.empty() || !m.empty() || !y.empty()) {
    int day = 0, month = 0, year = 0;
    if (!absl::SimpleAtoi(d, &day) || !absl::SimpleAtoi(m, &month) || !absl::SimpleAtoi(y, &year) ||
        year < 2000 || year > 2200) {
      errors["review"] = tr("Review date must be a real date");
    } else {
      const absl::CivilDay civil(year, month, day);
      if (civil.day() != day || civil.month() != month) {
        errors["review"] = tr("Review date must be a real date");
      } else {
        base.review_at = absl::FromCivil(civil, absl::UTCTimeZone());
      }
    }
  }
  return base;
}

Result ArticleNew(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  if (auto s = services::Authorize(actor, services::Permission::kEditArticles); !s.ok()) return s;
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  if (request.method != "POST") {
    return RenderArticle(ctx, tr, actor, nullptr, {{"audience", "public"}, {"status", "draft"}}, {}, "");
  }
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Article article = ArticleFromForm(form, domain::Article(), errors, tr);
  if (errors.empty()) {
    auto created = ctx.create_article.Run(actor, article);
    if (created.ok()) return GoTo(absl::StrCat("/staff/articles/", created->id, "?flash=saved"));
    if (!absl::IsInvalidArgument(created.status())) return created.status();
    errors = ErrorsFromStatus(created.status(), nullptr, tr);
    if (errors.empty()) errors[""] = std::string(created.status().message());
  }
  return RenderArticle(ctx, tr, actor, nullptr, form, errors, "");
}

Result ArticleEdit(WebContext& ctx, const domain::Actor& actor, http::Request& request) {
  const i18n::Translator& tr = *ReaderOf(ctx, request, true).tr;
  int64_t id = 0;
  if (!absl::SimpleAtoi(request.PathParam("id"), &id)) return absl::NotFoundError("");
  auto article = ctx.get_article.Run(actor, id);
  if (!article.ok()) return article.status();
  if (request.method != "POST") {
    return RenderArticle(ctx, tr, actor, &*article, ArticleAnswers(*article), {},
                         request.QueryParam("flash").value_or("") == "saved" ? tr("Article saved") : "");
  }
  const http::ParamList form = FormBody(request);
  ErrorMap errors;
  domain::Article updated = ArticleFromForm(form, *article, errors, tr);
  if (errors.empty()) {
    auto saved = ctx.update_article.Run(actor, updated, VersionOf(form));
    if (saved.ok()) return GoTo(absl::StrCat("/staff/articles/", saved->id, "?flash=saved"));
    if (absl::IsAborted(saved.status())) {
      errors[""] = tr("Someone else changed this article while you were editing it. Your changes were not saved: "
                      "reload the page to see the current version.");
    } else if (absl::IsInvalidArgument(saved.status())) {
      errors = ErrorsFromStatus(saved.status(), nullptr, tr);
      if (errors.empty()) errors[""] = std::string(saved.status().message());
    } else {
      return saved.status();
    }
  }
  return RenderArticle(ctx, tr, actor, &*article, form, errors, "");
}

}  // namespace onestop::web::admin_internal
