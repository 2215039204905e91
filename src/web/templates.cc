#include "web/templates.h"

namespace onestop::web {
namespace {

// The GOV.UK Frontend page template, for residents and for staff.
constexpr const char* kLayout = R"TPL(<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>{{#has_error}}Error: {{/has_error}}{{title}} – {{site_name}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0b0c0c">
<link rel="icon" sizes="48x48" href="/assets/images/favicon.ico">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/onestop.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" data-module="govuk-header">
<div class="govuk-header__container govuk-width-container">
<div class="govuk-header__logo"><a href="{{home_href}}" class="govuk-header__link govuk-header__link--homepage onestop-site-name">{{site_name}}</a></div>
{{#has_nav}}
<div class="govuk-header__content">
<nav aria-label="Menu" class="govuk-header__navigation">
<button type="button" class="govuk-header__menu-button govuk-js-header-toggle" aria-controls="navigation" hidden>Menu</button>
<ul id="navigation" class="govuk-header__navigation-list">
{{#nav}}<li class="govuk-header__navigation-item{{#current}} govuk-header__navigation-item--active{{/current}}"><a class="govuk-header__link" href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{text}}</a></li>{{/nav}}
</ul>
</nav>
</div>
{{/has_nav}}
</div>
</header>
<div class="govuk-width-container">
{{#staff_name}}
<div class="onestop-staff-bar">
<p class="govuk-body-s">Signed in as <strong>{{staff_name}}</strong> ({{staff_role}})</p>
<form method="post" action="/staff/logout" class="onestop-inline-form">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit" class="govuk-button govuk-button--secondary onestop-small-button" data-module="govuk-button">Sign out</button>
</form>
</div>
{{/staff_name}}
<main class="govuk-main-wrapper" id="main-content">
{{{content}}}
</main>
</div>
<footer class="govuk-footer">
<div class="govuk-width-container">
<div class="govuk-footer__meta">
<div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
<h2 class="govuk-visually-hidden">Support links</h2>
<ul class="govuk-footer__inline-list">
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/services">All services A to Z</a></li>
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/track">Track a request</a></li>
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/staff">Staff sign in</a></li>
</ul>
</div>
</div>
</div>
</footer>
<script type="module" src="/assets/onestop.mjs"></script>
</body>
</html>
)TPL";

constexpr const char* kErrorSummary = R"TPL({{#has_errors}}
<div class="govuk-error-summary" data-module="govuk-error-summary">
<div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body">
<ul class="govuk-list govuk-error-summary__list">
{{#errors}}<li>{{#href}}<a href="#{{href}}">{{message}}</a>{{/href}}{{^href}}{{message}}{{/href}}</li>{{/errors}}
</ul>
</div>
</div>
</div>
{{/has_errors}})TPL";

// One generated form field (see form_fields.h for the view it reads).
constexpr const char* kField = R"TPL(
{{#is_input}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<label class="govuk-label govuk-label--s" for="{{id}}">{{label}}{{^required}} (optional){{/required}}</label>
{{#hint}}<div id="{{id}}-hint" class="govuk-hint">{{hint}}</div>{{/hint}}
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<input class="govuk-input{{#width_class}} {{width_class}}{{/width_class}}{{#error}} govuk-input--error{{/error}}" id="{{id}}" name="{{name}}" type="text" value="{{value}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}}{{#autocomplete}} autocomplete="{{autocomplete}}"{{/autocomplete}}{{#spellcheck_off}} spellcheck="false"{{/spellcheck_off}}{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>
</div>
{{/is_input}}
{{#is_textarea}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<label class="govuk-label govuk-label--s" for="{{id}}">{{label}}{{^required}} (optional){{/required}}</label>
{{#hint}}<div id="{{id}}-hint" class="govuk-hint">{{hint}}</div>{{/hint}}
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<textarea class="govuk-textarea{{#error}} govuk-textarea--error{{/error}}" id="{{id}}" name="{{name}}" rows="5"{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>{{value}}</textarea>
</div>
{{/is_textarea}}
{{#is_date}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<fieldset class="govuk-fieldset" role="group"{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{{label}}{{^required}} (optional){{/required}}</legend>
<div id="{{id}}-hint" class="govuk-hint">For example, 27 3 2026{{#hint}}. {{hint}}{{/hint}}</div>
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<div class="govuk-date-input" id="{{id}}">
<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="{{id}}-day">Day</label>
<input class="govuk-input govuk-date-input__input govuk-input--width-2{{#error}} govuk-input--error{{/error}}" id="{{id}}-day" name="{{name}}.day" type="text" inputmode="numeric" value="{{day}}"></div></div>
<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="{{id}}-month">Month</label>
<input class="govuk-input govuk-date-input__input govuk-input--width-2{{#error}} govuk-input--error{{/error}}" id="{{id}}-month" name="{{name}}.month" type="text" inputmode="numeric" value="{{month}}"></div></div>
<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="{{id}}-year">Year</label>
<input class="govuk-input govuk-date-input__input govuk-input--width-4{{#error}} govuk-input--error{{/error}}" id="{{id}}-year" name="{{name}}.year" type="text" inputmode="numeric" value="{{year}}"></div></div>
</div>
</fieldset>
</div>
{{/is_date}}
{{#is_radios}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<fieldset class="govuk-fieldset"{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{{label}}{{^required}} (optional){{/required}}</legend>
{{#hint}}<div id="{{id}}-hint" class="govuk-hint">{{hint}}</div>{{/hint}}
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
{{#options}}<div class="govuk-radios__item"><input class="govuk-radios__input" id="{{id}}" name="{{name}}" type="radio" value="{{value}}"{{#checked}} checked{{/checked}}><label class="govuk-label govuk-radios__label" for="{{id}}">{{label}}</label></div>
{{/options}}
</div>
</fieldset>
</div>
{{/is_radios}}
{{#is_checkboxes}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<fieldset class="govuk-fieldset"{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{{label}}{{^required}} (optional){{/required}}</legend>
<div id="{{id}}-hint" class="govuk-hint">Select all that apply{{#hint}}. {{hint}}{{/hint}}</div>
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
{{#options}}<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="{{id}}" name="{{name}}" type="checkbox" value="{{value}}"{{#checked}} checked{{/checked}}><label class="govuk-label govuk-checkboxes__label" for="{{id}}">{{label}}</label></div>
{{/options}}
</div>
</fieldset>
</div>
{{/is_checkboxes}}
{{#is_select}}
<div class="govuk-form-group{{#error}} govuk-form-group--error{{/error}}">
<label class="govuk-label govuk-label--s" for="{{id}}">{{label}}{{^required}} (optional){{/required}}</label>
{{#hint}}<div id="{{id}}-hint" class="govuk-hint">{{hint}}</div>{{/hint}}
{{#error}}<p id="{{id}}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{error}}</p>{{/error}}
<select class="govuk-select{{#error}} govuk-select--error{{/error}}" id="{{id}}" name="{{name}}"{{#described_by}} aria-describedby="{{described_by}}"{{/described_by}}>
<option value="">Choose an option</option>
{{#options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/options}}
</select>
</div>
{{/is_select}}
)TPL";

constexpr const char* kHome = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-xl">{{site_name}}</h1>
<p class="govuk-body-l">Report a problem, apply for something or ask us a question. It takes a few minutes and you will get a reference to track it.</p>
<form method="get" action="/services" role="search">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--m" for="q">Search for a service</label>
<div id="q-hint" class="govuk-hint">For example, bins, pothole or council tax</div>
<input class="govuk-input govuk-!-width-two-thirds" id="q" name="q" type="search" aria-describedby="q-hint">
<button type="submit" class="govuk-button onestop-search-button" data-module="govuk-button">Search</button>
</div>
</form>
<h2 class="govuk-heading-m">Popular services</h2>
<ul class="govuk-list">
{{#popular}}<li><a class="govuk-link" href="/services/{{code}}">{{name}}</a></li>{{/popular}}
</ul>
<p class="govuk-body"><a class="govuk-link" href="/services">See all services A to Z</a></p>
<h2 class="govuk-heading-m">Already told us something?</h2>
<p class="govuk-body"><a class="govuk-link" href="/track">Track a request</a> with its reference.</p>
</div>
</div>
)TPL";

constexpr const char* kServices = R"TPL(
<h1 class="govuk-heading-xl">{{#query}}Search results{{/query}}{{^query}}Services A to Z{{/query}}</h1>
<form method="get" action="/services" role="search">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="q">Search for a service</label>
<input class="govuk-input govuk-!-width-one-half" id="q" name="q" type="search" value="{{query}}">
<button type="submit" class="govuk-button onestop-search-button" data-module="govuk-button">Search</button>
</div>
</form>
{{#query}}
<p class="govuk-body">{{result_count}} for ‘{{query}}’. <a class="govuk-link" href="/services">See all services</a></p>
<ul class="govuk-list onestop-results">
{{#results}}<li><a class="govuk-link govuk-!-font-weight-bold" href="/services/{{code}}">{{name}}</a><br><span class="govuk-body-s">{{department_name}}</span></li>{{/results}}
</ul>
{{/query}}
{{^query}}
{{#departments}}
<h2 class="govuk-heading-m" id="dept-{{code}}">{{name}}</h2>
<ul class="govuk-list">
{{#services}}<li><a class="govuk-link" href="/services/{{code}}">{{name}}</a></li>{{/services}}
</ul>
{{/departments}}
{{/query}}
)TPL";

constexpr const char* kStart = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
<span class="govuk-caption-l">{{department_name}}</span>
<h1 class="govuk-heading-xl">{{name}}</h1>
<p class="govuk-body">{{description}}</p>
{{#online}}
<p class="govuk-body">We will ask you some questions about it, {{#anonymous}}how to contact you (you can stay anonymous){{/anonymous}}{{^anonymous}}your name and how to contact you{{/anonymous}}, and where it is.</p>
{{#sla_words}}<p class="govuk-body">{{sla_words}}</p>{{/sla_words}}
<a href="/services/{{code}}/report" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Start now
<svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg></a>
{{/online}}
{{^online}}<p class="govuk-body">You cannot do this online. Phone us or visit a customer service centre.</p>{{/online}}
</div>
</div>
)TPL";

constexpr const char* kStep = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
{{> _error_summary}}
<form method="post" action="/services/{{code}}/report" novalidate>
<input type="hidden" name="state" value="{{state}}">
<input type="hidden" name="step" value="{{step}}">
<span class="govuk-caption-l">{{service_name}}</span>
{{#questions}}
<h1 class="govuk-heading-l">Tell us about it</h1>
{{#fields}}{{> _field}}{{/fields}}
{{/questions}}
{{#contact}}
<h1 class="govuk-heading-l">Your contact details</h1>
<p class="govuk-body">We use these to tell you about progress, and so you can track your request.</p>
{{#anonymous_allowed}}
<div class="govuk-form-group{{#choice_error}} govuk-form-group--error{{/choice_error}}">
<fieldset class="govuk-fieldset">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Do you want to give your contact details?</legend>
{{#choice_error}}<p id="contact-choice-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{choice_error}}</p>{{/choice_error}}
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
<div class="govuk-radios__item"><input class="govuk-radios__input" id="contact-choice" name="c.choice" type="radio" value="details"{{#choice_details}} checked{{/choice_details}}><label class="govuk-label govuk-radios__label" for="contact-choice">Yes, tell me about progress</label></div>
<div class="govuk-radios__item"><input class="govuk-radios__input" id="contact-choice-anonymous" name="c.choice" type="radio" value="anonymous"{{#choice_anonymous}} checked{{/choice_anonymous}}><label class="govuk-label govuk-radios__label" for="contact-choice-anonymous">No, report it anonymously (you can still track it with the postcode)</label></div>
</div>
</fieldset>
</div>
<p class="govuk-body">If you chose yes:</p>
{{/anonymous_allowed}}
{{#fields}}{{> _field}}{{/fields}}
{{/contact}}
{{#location}}
<h1 class="govuk-heading-l">Where is it?</h1>
{{#fields}}{{> _field}}{{/fields}}
{{/location}}
<button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
</form>
</div>
</div>
)TPL";

constexpr const char* kCheck = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
{{> _error_summary}}
<span class="govuk-caption-l">{{service_name}}</span>
<h1 class="govuk-heading-l">Check your answers before sending</h1>
<form method="post" action="/services/{{code}}/report" novalidate id="check-form">
<input type="hidden" name="state" value="{{state}}">
<input type="hidden" name="step" value="check">
{{#sections}}
<h2 class="govuk-heading-m">{{heading}}</h2>
<dl class="govuk-summary-list govuk-!-margin-bottom-9">
{{#rows}}<div class="govuk-summary-list__row">
<dt class="govuk-summary-list__key">{{key}}</dt>
<dd class="govuk-summary-list__value">{{value}}</dd>
<dd class="govuk-summary-list__actions"><button type="submit" name="goto" value="{{goto}}" class="onestop-link-button govuk-link">Change<span class="govuk-visually-hidden"> {{key}}</span></button></dd>
</div>
{{/rows}}
</dl>
{{/sections}}
<h2 class="govuk-heading-m">Now send your request</h2>
<p class="govuk-body">By sending it you confirm the details are correct to the best of your knowledge.</p>
<button type="submit" name="goto" value="submit" class="govuk-button" data-module="govuk-button">Send</button>
</form>
</div>
</div>
)TPL";

constexpr const char* kDone = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
<div class="govuk-panel govuk-panel--confirmation">
<h1 class="govuk-panel__title">Request sent</h1>
<div class="govuk-panel__body">Your reference is<br><strong id="reference">{{reference}}</strong></div>
</div>
<p class="govuk-body">{{service_name}}.</p>
<h2 class="govuk-heading-m">What happens next</h2>
{{#sla_words}}<p class="govuk-body">{{sla_words}}</p>{{/sla_words}}
{{#due}}<p class="govuk-body">We expect to deal with it by <strong>{{due}}</strong>.</p>{{/due}}
<p class="govuk-body">Keep your reference. You can <a class="govuk-link" href="/track">track your request</a> with it and the email address or postcode you gave us.</p>
</div>
</div>
)TPL";

constexpr const char* kTrack = R"TPL(
<div class="govuk-grid-row">
<div class="govuk-grid-column-two-thirds">
{{> _error_summary}}
{{#result}}
<h1 class="govuk-heading-l">Request {{reference}}</h1>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Request</dt><dd class="govuk-summary-list__value">{{service_name}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt><dd class="govuk-summary-list__value"><strong class="govuk-tag {{status_class}}" id="status">{{status}}</strong></dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Sent</dt><dd class="govuk-summary-list__value">{{created}}</dd></div>
{{#due}}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Expected by</dt><dd class="govuk-summary-list__value">{{due}}</dd></div>{{/due}}
{{#resolved}}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Resolved</dt><dd class="govuk-summary-list__value">{{resolved}}</dd></div>{{/resolved}}
</dl>
<h2 class="govuk-heading-m">Updates</h2>
{{#has_notes}}<ul class="govuk-list" id="public-notes">{{#notes}}<li><span class="govuk-body-s">{{at}}</span><br>{{body}}</li>{{/notes}}</ul>{{/has_notes}}
{{^has_notes}}<p class="govuk-body">No updates yet.</p>{{/has_notes}}
<p class="govuk-body"><a class="govuk-link" href="/track">Track another request</a></p>
{{/result}}
{{^result}}
<h1 class="govuk-heading-l">Track a request</h1>
<form method="post" action="/track" novalidate>
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">Find my request</button>
</form>
{{/result}}
</div>
</div>
)TPL";

constexpr const char* kMessage = R"TPL(
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">{{heading}}</h1>
<p class="govuk-body">{{message}}</p>
{{#link_href}}<p class="govuk-body"><a class="govuk-link" href="{{link_href}}">{{link_text}}</a></p>{{/link_href}}
</div></div>
)TPL";

// ---- staff desktop ----

constexpr const char* kLogin = R"TPL(
<div class="govuk-grid-row"><div class="govuk-grid-column-one-half">
{{> _error_summary}}
{{#notice}}<div class="govuk-notification-banner" role="region" aria-labelledby="notice-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="notice-title">Important</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{{notice}}</p></div></div>{{/notice}}
<h1 class="govuk-heading-l">Sign in</h1>
<form method="post" action="/staff/login" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#fields}}{{> _field}}{{/fields}}
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="password">Password</label>
<input class="govuk-input" id="password" name="password" type="password" autocomplete="current-password" spellcheck="false">
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
</form>
</div></div>
)TPL";

constexpr const char* kContact = R"TPL(
<h1 class="govuk-heading-l">Contact screen</h1>
<section id="agent-desk" class="onestop-desk" aria-labelledby="agent-desk-heading" hidden>
<h2 class="govuk-heading-m" id="agent-desk-heading">Your calls and chats</h2>
<p class="govuk-body" id="agent-desk-state" aria-live="polite">Connecting…</p>
<div class="govuk-button-group" id="agent-desk-presence"></div>
<ul class="govuk-list" id="agent-desk-items" aria-live="assertive"></ul>
</section>
<script type="module" src="/assets/desk.mjs"></script>
<form method="get" action="/staff" id="citizen-search" role="search" data-live-search="results">
<div class="govuk-grid-row">
<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="s-phone">Phone</label><input class="govuk-input" id="s-phone" name="phone" type="text" inputmode="tel" value="{{phone}}"></div></div>
<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="s-email">Email</label><input class="govuk-input" id="s-email" name="email" type="text" spellcheck="false" value="{{email}}"></div></div>
<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="s-name">Name</label><input class="govuk-input" id="s-name" name="name" type="text" value="{{name}}"></div></div>
<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="s-postcode">Postcode</label><input class="govuk-input" id="s-postcode" name="postcode" type="text" value="{{postcode}}"></div></div>
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Find resident</button>
</form>
<div id="results" aria-live="polite">
{{#searched}}
<h2 class="govuk-heading-m">{{result_count}}</h2>
{{#has_citizens}}
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Matching residents</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Name</th><th scope="col" class="govuk-table__header">Phone</th><th scope="col" class="govuk-table__header">Email</th><th scope="col" class="govuk-table__header">Address</th></tr></thead>
<tbody class="govuk-table__body">
{{#citizens}}<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/staff/citizens/{{id}}">{{name}}</a></td><td class="govuk-table__cell">{{phone}}</td><td class="govuk-table__cell">{{email}}</td><td class="govuk-table__cell">{{address}}</td></tr>{{/citizens}}
</tbody>
</table>
{{/has_citizens}}
{{#can_create}}<p class="govuk-body"><a class="govuk-link" href="/staff/citizens/new?{{create_query}}">Create a new resident record</a></p>{{/can_create}}
{{/searched}}
</div>
)TPL";

constexpr const char* kCitizenNew = R"TPL(
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
{{> _error_summary}}
<h1 class="govuk-heading-l">New resident record</h1>
{{#has_duplicates}}
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> These residents look like the same person. Open one of them instead if it matches.</strong></div>
<ul class="govuk-list" id="duplicates">{{#duplicates}}<li><a class="govuk-link" href="/staff/citizens/{{id}}">{{name}}</a> – {{detail}}</li>{{/duplicates}}</ul>
{{/has_duplicates}}
<form method="post" action="/staff/citizens/new" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#has_duplicates}}<input type="hidden" name="confirm" value="1">{{/has_duplicates}}
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">{{#has_duplicates}}Create anyway{{/has_duplicates}}{{^has_duplicates}}Create record{{/has_duplicates}}</button>
</form>
</div></div>
)TPL";

constexpr const char* kCitizen = R"TPL(
{{> _error_summary}}
{{#flash}}<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="flash-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="flash-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{{flash}}</p></div></div>{{/flash}}
<span class="govuk-caption-l">Resident</span>
<h1 class="govuk-heading-l">{{name}}</h1>
<div class="govuk-grid-row">
<div class="govuk-grid-column-one-third">
<h2 class="govuk-heading-m">Details</h2>
<dl class="govuk-summary-list govuk-summary-list--no-border">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Phone</dt><dd class="govuk-summary-list__value">{{phones}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Email</dt><dd class="govuk-summary-list__value">{{emails}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Address</dt><dd class="govuk-summary-list__value">{{address}}</dd></div>
</dl>
{{#can_contact}}
<h2 class="govuk-heading-m">Record this contact</h2>
<form method="get" action="/staff/citizens/{{id}}" role="search">
<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="article-q">Answered from an article? Find it</label>
<input class="govuk-input" id="article-q" name="article_q" type="search" value="{{article_q}}">
</div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Find articles</button>
</form>
<form method="post" action="/staff/citizens/{{id}}/contacts" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="article_q" value="{{article_q}}">
{{#contact_fields}}{{> _field}}{{/contact_fields}}
{{#article_searched}}
<div class="govuk-form-group">
<fieldset class="govuk-fieldset">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Article that answered the question (optional)</legend>
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
<div class="govuk-radios__item"><input class="govuk-radios__input" id="f-article_id" name="article_id" type="radio" value=""><label class="govuk-label govuk-radios__label" for="f-article_id">None of these</label></div>
{{#article_options}}<div class="govuk-radios__item"><input class="govuk-radios__input" id="article-{{value}}" name="article_id" type="radio" value="{{value}}"{{#checked}} checked{{/checked}}><label class="govuk-label govuk-radios__label" for="article-{{value}}">{{label}}</label></div>
{{/article_options}}
</div>
{{^has_article_options}}<p class="govuk-body">No articles found for ‘{{article_q}}’.</p>{{/has_article_options}}
</fieldset>
</div>
{{/article_searched}}
<button type="submit" class="govuk-button" data-module="govuk-button">Record contact</button>
</form>
{{/can_contact}}
{{#can_raise}}
<h2 class="govuk-heading-m">Raise a case</h2>
<form method="get" action="/staff/citizens/{{id}}/raise">
<div class="govuk-form-group"><label class="govuk-label" for="raise-service">Service</label>
<select class="govuk-select" id="raise-service" name="service">{{#services}}<option value="{{code}}">{{name}}</option>{{/services}}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Continue</button>
</form>
{{/can_raise}}
</div>
<div class="govuk-grid-column-two-thirds">
<h2 class="govuk-heading-m">Timeline</h2>
<ol class="onestop-timeline" id="timeline">
{{#timeline}}<li class="onestop-timeline__item"><p class="govuk-body-s govuk-!-margin-bottom-1">{{at}} · {{kind}}</p><p class="govuk-body govuk-!-margin-bottom-1">{{#href}}<a class="govuk-link" href="{{href}}">{{title}}</a>{{/href}}{{^href}}{{title}}{{/href}}</p>{{#detail}}<p class="govuk-body-s">{{detail}}</p>{{/detail}}</li>
{{/timeline}}
</ol>
{{^has_timeline}}<p class="govuk-body">Nothing yet.</p>{{/has_timeline}}
</div>
</div>
)TPL";

constexpr const char* kRaise = R"TPL(
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
{{> _error_summary}}
<span class="govuk-caption-l">For {{citizen_name}}</span>
<h1 class="govuk-heading-l">{{service_name}}</h1>
<form method="post" action="/staff/citizens/{{citizen_id}}/raise?service={{service_code}}" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#fields}}{{> _field}}{{/fields}}
<h2 class="govuk-heading-m">Location</h2>
{{#location_fields}}{{> _field}}{{/location_fields}}
{{#channel_fields}}{{> _field}}{{/channel_fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">Raise case</button>
</form>
</div></div>
)TPL";

constexpr const char* kCase = R"TPL(
{{> _error_summary}}
{{#flash}}<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="flash-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="flash-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{{flash}}</p></div></div>{{/flash}}
<span class="govuk-caption-l">{{service_name}}</span>
<h1 class="govuk-heading-l">Case {{reference}}</h1>
<div class="govuk-grid-row">
<div class="govuk-grid-column-one-half">
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt><dd class="govuk-summary-list__value"><strong class="govuk-tag {{status_class}}" id="case-status">{{status}}</strong></dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">SLA</dt><dd class="govuk-summary-list__value" id="sla">{{sla}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Summary</dt><dd class="govuk-summary-list__value">{{summary}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Resident</dt><dd class="govuk-summary-list__value">{{#citizen_href}}<a class="govuk-link" href="{{citizen_href}}">{{citizen_name}}</a>{{/citizen_href}}{{^citizen_href}}Anonymous{{/citizen_href}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Channel</dt><dd class="govuk-summary-list__value">{{channel}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Team</dt><dd class="govuk-summary-list__value">{{team}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Assigned to</dt><dd class="govuk-summary-list__value" id="assignee">{{assignee}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Location</dt><dd class="govuk-summary-list__value">{{location}}</dd></div>
{{#answers}}<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{{key}}</dt><dd class="govuk-summary-list__value">{{value}}</dd></div>{{/answers}}
</dl>
</div>
<div class="govuk-grid-column-one-half">
{{#has_next_statuses}}
<h2 class="govuk-heading-m">Change status</h2>
<form method="post" action="/staff/cases/{{reference}}/status" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="version" value="{{version}}">
<div class="govuk-form-group"><label class="govuk-label" for="new-status">New status</label>
<select class="govuk-select" id="new-status" name="status">{{#next_statuses}}<option value="{{value}}">{{label}}</option>{{/next_statuses}}</select></div>
<div class="govuk-form-group"><label class="govuk-label" for="status-note">Note to the resident (optional, shown on their tracking page)</label>
<textarea class="govuk-textarea" id="status-note" name="public_note" rows="3"></textarea></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Change status</button>
</form>
{{/has_next_statuses}}
<h2 class="govuk-heading-m">Assignment</h2>
<form method="post" action="/staff/cases/{{reference}}/assign" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="version" value="{{version}}">
{{#has_staff_options}}
<div class="govuk-form-group"><label class="govuk-label" for="assignee-select">Assign to</label>
<select class="govuk-select" id="assignee-select" name="assignee"><option value="">Nobody (unassigned)</option>{{#staff_options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/staff_options}}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Assign</button>
{{/has_staff_options}}
{{^has_staff_options}}
<button type="submit" name="assignee" value="{{me}}" class="govuk-button govuk-button--secondary" data-module="govuk-button">Assign to me</button>
<button type="submit" name="assignee" value="" class="govuk-button govuk-button--secondary" data-module="govuk-button">Unassign</button>
{{/has_staff_options}}
</form>
<h2 class="govuk-heading-m">Add a note</h2>
<form method="post" action="/staff/cases/{{reference}}/notes" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#note_fields}}{{> _field}}{{/note_fields}}
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Add note</button>
</form>
</div>
</div>
<h2 class="govuk-heading-m">Notes</h2>
{{#has_notes}}<ul class="govuk-list" id="notes">{{#notes}}<li><strong class="govuk-tag {{tag_class}}">{{visibility}}</strong> <span class="govuk-body-s">{{at}}</span><br>{{body}}</li>{{/notes}}</ul>{{/has_notes}}
{{^has_notes}}<p class="govuk-body">No notes.</p>{{/has_notes}}
<h2 class="govuk-heading-m">History</h2>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Case history</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">What</th><th scope="col" class="govuk-table__header">Changes</th></tr></thead>
<tbody class="govuk-table__body">{{#history}}<tr class="govuk-table__row"><td class="govuk-table__cell">{{at}}</td><td class="govuk-table__cell">{{type}}</td><td class="govuk-table__cell">{{changes}}</td></tr>{{/history}}</tbody></table>
)TPL";

constexpr const char* kQueues = R"TPL(
<h1 class="govuk-heading-l">Work queues</h1>
<nav class="onestop-tabs" aria-label="Queues"><ul class="govuk-list onestop-tabs__list">
{{#views}}<li><a class="govuk-link" href="/staff/queues?view={{value}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/views}}
</ul></nav>
<form method="get" action="/staff/queues" class="onestop-filter">
<input type="hidden" name="view" value="{{view}}">
<div class="govuk-form-group onestop-inline-group"><label class="govuk-label" for="f-status">Status</label>
<select class="govuk-select" id="f-status" name="status"><option value="">Any open status</option>{{#status_options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/status_options}}</select></div>
<div class="govuk-form-group onestop-inline-group"><label class="govuk-label" for="f-service">Service</label>
<select class="govuk-select" id="f-service" name="service"><option value="">Any service</option>{{#service_options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/service_options}}</select></div>
<div class="govuk-form-group onestop-inline-group"><label class="govuk-label" for="f-sort">Sort by</label>
<select class="govuk-select" id="f-sort" name="sort">{{#sort_options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/sort_options}}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply</button>
</form>
<h2 class="govuk-heading-m">{{heading}}</h2>
{{#has_cases}}
<table class="govuk-table" id="queue"><caption class="govuk-table__caption govuk-visually-hidden">{{heading}}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Summary</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Priority</th><th scope="col" class="govuk-table__header">Due</th></tr></thead>
<tbody class="govuk-table__body">
{{#cases}}<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/staff/cases/{{reference}}">{{reference}}</a></td><td class="govuk-table__cell">{{summary}}</td><td class="govuk-table__cell">{{status}}</td><td class="govuk-table__cell">{{priority}}</td><td class="govuk-table__cell">{{due}}{{#overdue}} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{{/overdue}}</td></tr>{{/cases}}
</tbody></table>
{{/has_cases}}
{{^has_cases}}<p class="govuk-body">No cases.</p>{{/has_cases}}
)TPL";

}  // namespace

// The knowledge pages' templates (knowledge_templates.cc).
extern const char* const kSearchTemplate;
extern const char* const kArticleTemplate;
// The wallboard (routing_pages.cc).
extern const char* const kWallboardTemplate;
// Admin and knowledge-base pages of the staff desktop (admin_templates.cc).
extern const char* const kFlashTemplate;
extern const char* const kAdminHomeTemplate;
extern const char* const kAdminServicesTemplate;
extern const char* const kAdminServiceTemplate;
extern const char* const kAdminFieldTemplate;
extern const char* const kAdminStaffTemplate;
extern const char* const kAdminStaffFormTemplate;
extern const char* const kAdminApiKeysTemplate;
extern const char* const kStaffArticlesTemplate;
extern const char* const kStaffArticleTemplate;

const std::map<std::string, std::string>& AllTemplates() {
  static const auto* templates = new std::map<std::string, std::string>{
      {"layout", kLayout},   {"_error_summary", kErrorSummary}, {"_field", kField},
      {"home", kHome},       {"services", kServices},           {"start", kStart},
      {"step", kStep},       {"check", kCheck},                 {"done", kDone},
      {"track", kTrack},     {"message", kMessage},             {"login", kLogin},
      {"contact", kContact}, {"citizen_new", kCitizenNew},      {"citizen", kCitizen},
      {"raise", kRaise},     {"case", kCase},                   {"queues", kQueues},
      {"search", kSearchTemplate}, {"article", kArticleTemplate},
      {"wallboard", kWallboardTemplate},
      {"_flash", kFlashTemplate}, {"admin_home", kAdminHomeTemplate},
      {"admin_services", kAdminServicesTemplate}, {"admin_service", kAdminServiceTemplate},
      {"admin_field", kAdminFieldTemplate}, {"admin_staff", kAdminStaffTemplate},
      {"admin_staff_form", kAdminStaffFormTemplate}, {"admin_api_keys", kAdminApiKeysTemplate},
      {"staff_articles", kStaffArticlesTemplate}, {"staff_article", kStaffArticleTemplate},
  };
  return *templates;
}

const std::string* FindTemplate(std::string_view name) {
  const auto& all = AllTemplates();
  auto it = all.find(std::string(name));
  return it == all.end() ? nullptr : &it->second;
}

}  // namespace onestop::web
