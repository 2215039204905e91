// The council's own pages and look, from its theme: /theme.css (colours; the
// content security policy allows no inline styles), /theme/logo, and the
// GOV.UK-pattern pages every council site has — privacy notice,
// accessibility statement, cookies and contact — written in Markdown in the
// theme, in each language it has (English with lang="en" where it has none).
#include "absl/strings/str_cat.h"
#include "markdown/markdown.h"
#include "web/context.h"

namespace onestop::web {

std::string ThemeCss(const domain::Theme& theme) {
  // Colours were checked for contrast when the theme was loaded
  // (domain::ValidateTheme); GOV.UK's yellow focus state is kept as it is.
  return absl::StrCat(
      ".onestop-header.govuk-header { background-color: ", theme.colour_brand,
      "; border-bottom-color: ", theme.colour_brand, "; }\n",
      ".onestop-header .govuk-header__container { border-bottom-color: ", theme.colour_brand, "; }\n",
      ".onestop-header .govuk-header__link:link, .onestop-header .govuk-header__link:visited, "
      ".onestop-header .govuk-header__link--homepage, .onestop-header .govuk-header__menu-button { color: ",
      theme.colour_header_text, "; }\n",
      ".govuk-link:link, .onestop-link-button { color: ", theme.colour_link, "; }\n",
      ".onestop-header .govuk-header__link:focus, .govuk-link:focus { color: #0b0c0c; }\n");
}

namespace {

struct ContentPage {
  const char* path;
  const char* heading;  // msgid
  const std::string domain::Theme::*english;
  const std::string domain::ThemeText::*translated;
};

constexpr ContentPage kPages[] = {
    {"/privacy", N_("Privacy notice"), &domain::Theme::privacy_notice, &domain::ThemeText::privacy_notice},
    {"/accessibility", N_("Accessibility statement"), &domain::Theme::accessibility_statement,
     &domain::ThemeText::accessibility_statement},
    {"/cookies", N_("Cookies"), &domain::Theme::cookies, &domain::ThemeText::cookies},
    {"/contact", N_("Contact us"), &domain::Theme::contact, &domain::ThemeText::contact},
};

http::Response ContentPageResponse(const WebContext& ctx, const http::Request& request,
                                   const ContentPage& page) {
  const Reader reader = ReaderOf(ctx, request, false);
  const domain::Theme& theme = ctx.options.theme;
  const std::string* body = &(theme.*page.english);
  bool fallback = reader.tr->lang() != "en";
  if (auto it = theme.translations.find(reader.tr->lang()); it != theme.translations.end()) {
    if (!(it->second.*page.translated).empty()) {
      body = &(it->second.*page.translated);
      fallback = false;
    }
  }
  const i18n::Translator& tr = *reader.tr;
  View v;
  if (body->empty()) {
    v.Set("heading", tr("Page not found"))
        .Set("body_html", absl::StrCat("<p class=\"govuk-body\">",
                                       tr("If you typed the web address, check it is correct."),
                                       "</p>"));
    return Page(ctx, reader, 404, "content_page", tr("Page not found"), v);
  }
  const char* heading = tr(page.heading);
  v.Set("heading", heading).Set("body_html", markdown::RenderMarkdown(*body));
  if (fallback) v.Set("content_lang", "en");
  return Page(ctx, reader, 200, "content_page", heading, v);
}

}  // namespace

void RegisterThemeRoutes(http::Router& router, WebContext& ctx) {
  router.Add("GET", "/theme.css", [&ctx](http::Request&) {
    http::Response response;
    response.status = 200;
    response.content_type = "text/css; charset=utf-8";
    response.body = ctx.theme_css;
    response.SetHeader("Cache-Control", "public, max-age=300");
    return response;
  });
  router.Add("GET", "/theme/logo", [&ctx](http::Request&) {
    const domain::Theme& theme = ctx.options.theme;
    http::Response response;
    if (theme.logo.empty()) {
      response.status = 404;
      response.content_type = "text/plain; charset=utf-8";
      response.body = "no logo";
      return response;
    }
    response.status = 200;
    response.content_type = theme.logo_type;
    response.body = theme.logo;
    response.SetHeader("Cache-Control", "public, max-age=300");
    // An SVG is an image here, never a document that could run script.
    response.SetHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return response;
  });
  for (const ContentPage& page : kPages) {
    router.Add("GET", page.path, [&ctx, &page](http::Request& request) {
      return ContentPageResponse(ctx, request, page);
    });
  }
}

}  // namespace onestop::web
