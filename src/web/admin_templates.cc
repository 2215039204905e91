// Templates of the admin and knowledge-base pages of the staff desktop
// (admin_pages.cc); listed in templates.cc's table. No triple mustaches.
namespace onestop::web {

extern const char* const kFlashTemplate = R"TPL({{#flash}}<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="flash-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="flash-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{{flash}}</p></div></div>{{/flash}})TPL";

extern const char* const kAdminHomeTemplate = R"TPL(
<h1 class="govuk-heading-l">Admin</h1>
<ul class="govuk-list">
<li><a class="govuk-link" href="/staff/admin/services">Services and their forms</a></li>
<li><a class="govuk-link" href="/staff/admin/staff">Staff users and roles</a></li>
<li><a class="govuk-link" href="/staff/admin/api-keys">API keys</a></li>
</ul>
)TPL";

extern const char* const kAdminServicesTemplate = R"TPL(
{{> _flash}}
<a href="/staff/admin" class="govuk-back-link">Admin</a>
<h1 class="govuk-heading-l">Services</h1>
<p class="govuk-body"><a class="govuk-button" data-module="govuk-button" href="/staff/admin/services/new">Add a service</a></p>
<table class="govuk-table" id="services"><caption class="govuk-table__caption govuk-visually-hidden">Services</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Service</th><th scope="col" class="govuk-table__header">Code</th><th scope="col" class="govuk-table__header">Department</th><th scope="col" class="govuk-table__header">Target</th></tr></thead>
<tbody class="govuk-table__body">
{{#services}}<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/staff/admin/services/{{code}}">{{name}}</a>{{#inactive}} <strong class="govuk-tag govuk-tag--grey">Withdrawn</strong>{{/inactive}}</td><td class="govuk-table__cell">{{code}}</td><td class="govuk-table__cell">{{department}}</td><td class="govuk-table__cell">{{sla}}</td></tr>{{/services}}
</tbody></table>
)TPL";

extern const char* const kAdminServiceTemplate = R"TPL(
{{> _error_summary}}
{{> _flash}}
<a href="/staff/admin/services" class="govuk-back-link">Services</a>
{{^is_new}}<span class="govuk-caption-l">Service {{code}}</span>
<h1 class="govuk-heading-l">{{name}}</h1>{{/is_new}}
{{#is_new}}<h1 class="govuk-heading-l">Add a service</h1>
<p class="govuk-body">Give its details here; you add its questions on the next page.</p>{{/is_new}}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<form method="post" action="{{action}}" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{^is_new}}<input type="hidden" name="version" value="{{version}}">{{/is_new}}
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">{{#is_new}}Create service{{/is_new}}{{^is_new}}Save service{{/is_new}}</button>
</form>
{{^is_new}}
<h2 class="govuk-heading-m">Form fields</h2>
<table class="govuk-table" id="form-fields"><caption class="govuk-table__caption govuk-visually-hidden">Form fields</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Position</th><th scope="col" class="govuk-table__header">Question</th><th scope="col" class="govuk-table__header">Type</th><th scope="col" class="govuk-table__header">Actions</th></tr></thead>
<tbody class="govuk-table__body">
{{#form_fields}}<tr class="govuk-table__row"><td class="govuk-table__cell">{{order}}</td><td class="govuk-table__cell">{{question}} ({{code}}){{#required}} <strong class="govuk-tag govuk-tag--blue">Required</strong>{{/required}}</td><td class="govuk-table__cell">{{datatype}}</td>
<td class="govuk-table__cell"><a class="govuk-link" href="/staff/admin/services/{{service_code}}/fields/{{code}}">Edit<span class="govuk-visually-hidden"> {{code}}</span></a>
<form method="post" action="/staff/admin/services/{{service_code}}/fields/{{code}}/remove" class="onestop-inline-form">
<input type="hidden" name="csrf_token" value="{{csrf_token}}"><input type="hidden" name="version" value="{{version}}">
<button type="submit" class="govuk-button govuk-button--warning onestop-small-button" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> {{code}}</span></button>
</form></td></tr>{{/form_fields}}
</tbody></table>
{{^has_form_fields}}<p class="govuk-body">This service asks no questions of its own.</p>{{/has_form_fields}}
<p class="govuk-body"><a class="govuk-link" href="/staff/admin/services/{{code}}/fields/new">Add a field</a></p>
{{/is_new}}
</div></div>
)TPL";

extern const char* const kAdminFieldTemplate = R"TPL(
{{> _error_summary}}
<a href="/staff/admin/services/{{service_code}}" class="govuk-back-link">{{service_name}}</a>
<span class="govuk-caption-l">{{service_name}}</span>
<h1 class="govuk-heading-l">{{#is_new}}Add a field{{/is_new}}{{^is_new}}Edit field {{action}}{{/is_new}}</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<form method="post" action="/staff/admin/services/{{service_code}}/fields/{{action}}" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="version" value="{{version}}">
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">Save field</button>
</form>
</div></div>
)TPL";

extern const char* const kAdminStaffTemplate = R"TPL(
{{> _flash}}
<a href="/staff/admin" class="govuk-back-link">Admin</a>
<h1 class="govuk-heading-l">Staff users</h1>
<p class="govuk-body"><a class="govuk-button" data-module="govuk-button" href="/staff/admin/staff/new">Add a staff user</a></p>
<table class="govuk-table" id="staff-users"><caption class="govuk-table__caption govuk-visually-hidden">Staff users</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Name</th><th scope="col" class="govuk-table__header">Email</th><th scope="col" class="govuk-table__header">Role</th><th scope="col" class="govuk-table__header">Department</th><th scope="col" class="govuk-table__header">Team</th></tr></thead>
<tbody class="govuk-table__body">
{{#staff}}<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/staff/admin/staff/{{id}}">{{name}}</a>{{#inactive}} <strong class="govuk-tag govuk-tag--grey">Deactivated</strong>{{/inactive}}</td><td class="govuk-table__cell">{{email}}</td><td class="govuk-table__cell">{{role}}</td><td class="govuk-table__cell">{{department}}</td><td class="govuk-table__cell">{{team}}</td></tr>{{/staff}}
</tbody></table>
)TPL";

extern const char* const kAdminStaffFormTemplate = R"TPL(
{{> _error_summary}}
<a href="/staff/admin/staff" class="govuk-back-link">Staff users</a>
<h1 class="govuk-heading-l">{{heading}}</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<form method="post" action="{{action}}" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{^is_new}}<input type="hidden" name="version" value="{{version}}">{{/is_new}}
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">{{#is_new}}Create staff user{{/is_new}}{{^is_new}}Save staff user{{/is_new}}</button>
</form>
</div></div>
)TPL";

extern const char* const kAdminApiKeysTemplate = R"TPL(
{{> _error_summary}}
{{> _flash}}
<a href="/staff/admin" class="govuk-back-link">Admin</a>
<h1 class="govuk-heading-l">API keys</h1>
{{#new_key}}
<div class="govuk-panel govuk-panel--confirmation">
<h2 class="govuk-panel__title">Key created</h2>
<div class="govuk-panel__body">Copy it now: it will not be shown again<br><code id="new-key" class="onestop-api-key">{{new_key}}</code></div>
</div>
{{/new_key}}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h2 class="govuk-heading-m">Create a key</h2>
<form method="post" action="/staff/admin/api-keys" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">Create key</button>
</form>
</div></div>
<h2 class="govuk-heading-m">Keys</h2>
<table class="govuk-table" id="api-keys"><caption class="govuk-table__caption govuk-visually-hidden">API keys</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Client application</th><th scope="col" class="govuk-table__header">Key starts</th><th scope="col" class="govuk-table__header">Created</th><th scope="col" class="govuk-table__header">Status</th></tr></thead>
<tbody class="govuk-table__body">
{{#keys}}<tr class="govuk-table__row"><td class="govuk-table__cell">{{name}}</td><td class="govuk-table__cell"><code>{{prefix}}</code></td><td class="govuk-table__cell">{{created}}</td><td class="govuk-table__cell">{{#revoked}}Revoked {{revoked_at}}{{/revoked}}{{^revoked}}<form method="post" action="/staff/admin/api-keys/{{id}}/revoke" class="onestop-inline-form"><input type="hidden" name="csrf_token" value="{{csrf_token}}"><button type="submit" class="govuk-button govuk-button--warning onestop-small-button" data-module="govuk-button">Revoke<span class="govuk-visually-hidden"> the key of {{name}}</span></button></form>{{/revoked}}</td></tr>{{/keys}}
</tbody></table>
{{^has_keys}}<p class="govuk-body">No keys yet.</p>{{/has_keys}}
)TPL";

extern const char* const kStaffArticlesTemplate = R"TPL(
{{> _flash}}
<h1 class="govuk-heading-l">Knowledge base</h1>
{{#can_edit}}<p class="govuk-body"><a class="govuk-button" data-module="govuk-button" href="/staff/articles/new">New article</a></p>{{/can_edit}}
<form method="get" action="/staff/articles">
{{#filters}}<div class="onestop-inline-group">{{> _field}}</div>{{/filters}}
<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="f-overdue" name="overdue" type="checkbox" value="1"{{#overdue}} checked{{/overdue}}><label class="govuk-label govuk-checkboxes__label" for="f-overdue">Review overdue only</label></div>
</div></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply</button>
</form>
<h2 class="govuk-heading-m">{{count}}</h2>
{{#has_articles}}
<table class="govuk-table" id="articles"><caption class="govuk-table__caption govuk-visually-hidden">Articles</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Title</th><th scope="col" class="govuk-table__header">Audience</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Review by</th></tr></thead>
<tbody class="govuk-table__body">
{{#articles}}<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/staff/articles/{{id}}">{{title}}</a></td><td class="govuk-table__cell">{{audience}}</td><td class="govuk-table__cell">{{status}}</td><td class="govuk-table__cell">{{review}}{{#review_overdue}} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{{/review_overdue}}</td></tr>{{/articles}}
</tbody></table>
{{/has_articles}}
)TPL";

extern const char* const kStaffArticleTemplate = R"TPL(
{{> _error_summary}}
{{> _flash}}
<a href="/staff/articles" class="govuk-back-link">Knowledge base</a>
<h1 class="govuk-heading-l">{{#is_new}}New article{{/is_new}}{{^is_new}}{{title}}{{/is_new}}</h1>
{{#public_href}}<p class="govuk-body"><a class="govuk-link" href="{{public_href}}">View it as residents see it</a></p>{{/public_href}}
{{#is_owner}}
<h2 class="govuk-heading-m">How it is doing</h2>
<dl class="govuk-summary-list" id="article-counts">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Answered the resident’s question</dt><dd class="govuk-summary-list__value">{{helpful_yes}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Did not answer it</dt><dd class="govuk-summary-list__value">{{helpful_no}}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Calls resolved from it (FCR)</dt><dd class="govuk-summary-list__value">{{resolved_contacts}}</dd></div>
</dl>
{{/is_owner}}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<form method="post" action="{{action}}" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{^is_new}}<input type="hidden" name="version" value="{{version}}">{{/is_new}}
{{#fields}}{{> _field}}{{/fields}}
<button type="submit" class="govuk-button" data-module="govuk-button">Save article</button>
</form>
</div></div>
{{#has_versions}}
<h2 class="govuk-heading-m">Versions</h2>
<table class="govuk-table" id="versions"><caption class="govuk-table__caption govuk-visually-hidden">Versions</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Version</th><th scope="col" class="govuk-table__header">Title</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Saved</th></tr></thead>
<tbody class="govuk-table__body">
{{#versions}}<tr class="govuk-table__row"><td class="govuk-table__cell">{{version}}</td><td class="govuk-table__cell">{{title}}</td><td class="govuk-table__cell">{{status}}</td><td class="govuk-table__cell">{{saved_at}} by {{saved_by}}</td></tr>{{/versions}}
</tbody></table>
{{/has_versions}}
)TPL";

}  // namespace onestop::web
