// Templates of the knowledge pages (knowledge_pages.cc); listed in
// templates.cc's table. snippet_html and body_html are the only triple
// mustaches: the index escapes snippets (adding <mark>), and article bodies
// come from markdown::RenderMarkdown (CMARK_OPT_SAFE, then checked).
namespace onestop::web {

extern const char* const kSearchTemplate = R"TPL(
<h1 class="govuk-heading-xl">{{#query}}Search results{{/query}}{{^query}}Search{{/query}}</h1>
<form method="get" action="/search" role="search">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="q">Search guidance and services</label>
<div id="q-hint" class="govuk-hint">For example, bin day, council tax bands or parking permit</div>
<input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" value="{{query}}" aria-describedby="q-hint">
<button type="submit" class="govuk-button onestop-search-button" data-module="govuk-button">Search</button>
</div>
</form>
{{#unavailable}}<p class="govuk-body">Search is not available at the moment. Try again later, or <a class="govuk-link" href="/services">see all services</a>.</p>{{/unavailable}}
{{#suggestion}}<p class="govuk-body">Did you mean <a class="govuk-link" href="/search?q={{suggestion}}">{{suggestion}}</a>?</p>{{/suggestion}}
{{#query}}{{^unavailable}}
<p class="govuk-body">{{result_count}} for ‘{{query}}’</p>
<ul class="govuk-list onestop-results">
{{#results}}<li class="govuk-!-margin-bottom-4"><span class="govuk-caption-m">{{kind}}</span><a class="govuk-link govuk-!-font-weight-bold" href="{{href}}">{{title}}</a><p class="govuk-body-s govuk-!-margin-bottom-0">{{{snippet_html}}}</p></li>{{/results}}
</ul>
{{^has_results}}<p class="govuk-body">Try different words, or <a class="govuk-link" href="/services">see all services A to Z</a>.</p>{{/has_results}}
{{/unavailable}}{{/query}}
)TPL";

extern const char* const kArticleTemplate = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
{{#notice}}<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="notice-title" data-module="govuk-notification-banner">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="notice-title">Success</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{{notice}}</p></div>
</div>{{/notice}}
<h1 class="govuk-heading-xl">{{title}}</h1>
<p class="govuk-body-l">{{summary}}</p>
<div class="govuk-body onestop-article">{{{body_html}}}</div>
<p class="govuk-body-s">Last updated {{updated}}</p>
{{^notice}}
<form method="post" action="/articles/{{id}}/feedback" class="govuk-!-margin-top-6">
<div class="govuk-form-group">
<fieldset class="govuk-fieldset">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Did this answer your question?</legend>
<button type="submit" name="helpful" value="yes" class="govuk-button govuk-button--secondary" data-module="govuk-button">Yes</button>
<button type="submit" name="helpful" value="no" class="govuk-button govuk-button--secondary" data-module="govuk-button">No</button>
</fieldset>
</div>
</form>
{{/notice}}
<p class="govuk-body"><a class="govuk-link" href="/search">Search for something else</a></p>
</div>
</div>
)TPL";

}  // namespace onestop::web
