// onestop: the council customer-service platform in one binary.
//
//   onestop serve      [--address A] [--port N] [--database URL] [--log-level L] [--config F]
//   onestop migrate    [--database URL]
//   onestop seed-demo  [--database URL]
//   onestop reindex    [--database URL]      (rebuild this node's search index)
//   onestop create-user --email E --role R [--name N] [--department D] [--team T] < password
//   onestop create-api-key --name NAME [--database URL]   (prints the key once)
//   onestop simulate   --agents N --arrivals-per-hour X --aht S --hours H --seed S [--patience S] [--json]
//   onestop staffing   --arrivals N --interval S --aht S --target P --within S [...] [--json]
//   onestop export     --database SRC --to DST     (a whole council, SQLite ⇄ PostgreSQL)
//   onestop import     --database DST --from SRC
//   onestop version
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <spdlog/spdlog.h>
#include <string>

#include "api/api.h"
#include "app/case_task_follower.h"
#include "app/config.h"
#include "app/database_url.h"
#include "app/knowledge.h"
#include "app/logging.h"
#include "app/mailboxes.h"
#include "app/outbox_worker.h"
#include "common/periodic.h"
#include "app/planning_commands.h"
#include "app/seed.h"
#include "app/store_factory.h"
#include "app/dispositions.h"
#include "app/telephony.h"
#include "app/theme.h"
#include "app/transfer.h"
#include "common/clock.h"
#include "common/status.h"
#include "data/embedded.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "i18n/field_errors.h"
#include "i18n/translator.h"
#include "open311/open311.h"
#include "routing/election.h"
#include "routing/live_engine.h"
#include "services/api_keys.h"
#include "services/case_tasks.h"
#include "services/catalogue.h"
#include "services/housekeeping.h"
#include "services/routing.h"
#include "services/staff_admin.h"
#include "mail/mail_channel.h"
#include "notify/callback_routes.h"
#include "notify/sms_transport.h"
#include "sip/sip_server.h"
#include "web/web.h"

namespace onestop::app {
namespace {

constexpr const char* kVersion = "0.1.0";

int Fail(const absl::Status& status, const std::string& what) {
  spdlog::critical("{}: {}", what, status.ToString());
  std::cerr << "onestop: " << what << ": " << status.message() << "\n";
  return 1;
}

// Everything a command needs around a store.
struct Runtime {
  OpenedStore opened;
  SystemClock clock;
  std::unique_ptr<domain::WorkingCalendar> calendar;
  std::unique_ptr<services::Catalogue> catalogue;
  services::Deps deps() {
    return services::Deps{*opened.store, clock, *calendar, *catalogue};
  }
};

absl::StatusOr<std::unique_ptr<Runtime>> StartRuntime(const Config& config, bool migrate) {
  auto runtime = std::make_unique<Runtime>();
  auto opened = OpenStore(config.database, migrate);
  if (!opened.ok()) return opened.status();
  runtime->opened = std::move(*opened);
  auto calendar = BuildCalendar(config);
  if (!calendar.ok()) return calendar.status();
  runtime->calendar = std::move(*calendar);
  runtime->catalogue = std::make_unique<services::Catalogue>(*runtime->opened.store, runtime->clock);
  return runtime;
}

// This node's name for the leadership table: configured, else <hostname>-<pid>.
std::string NodeName(const Config& config) {
  if (!config.node_name.empty()) return config.node_name;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(host[0] != '\0' ? host : "node") + "-" + std::to_string(getpid());
}

int Serve(const Config& config) {
  auto runtime = StartRuntime(config, /*migrate=*/true);
  if (!runtime.ok()) return Fail(runtime.status(), "cannot open the database " + RedactDatabaseUrl(config.database));
  services::Deps deps = (*runtime)->deps();

  http::Router router;
  http::Metrics metrics;
  api::ApiContext api_context(deps, absl::Hours(config.session_ttl_hours));
  // The routing engine runs on one node at a time (routing/election.h): the
  // leader rebuilds it from the event log; standbys answer routing calls
  // with 503 and take over within a second or two of the leader's death.
  routing::LiveEngine routing_engine(deps.store, deps.clock);
  routing::RoutingElection routing_election(
      deps.store, routing_engine, deps.clock,
      {.node = NodeName(config),
       .on_change = [](bool leading, int64_t epoch, const absl::Status& why) {
         if (leading) {
           spdlog::info("this node now runs the routing engine (epoch {})", epoch);
         } else if (absl::IsCancelled(why)) {
           spdlog::info("routing: {}", std::string(why.message()));
         } else {
           spdlog::warn("this node does not run the routing engine: {}", why.ToString());
         }
       }});
  routing_election.Start();
  if (!routing_election.leading()) spdlog::info("routing: another node leads; this node is a standby");
  // Expired sessions and old Idempotency-Key records go every 10 minutes.
  // Call recordings live next to the database unless recordings_dir says where.
  const std::string recordings_dir = RecordingsDirFor(config);
  services::PurgeExpiredRecords purge(deps, recordings_dir);
  auto housekeeping = std::make_unique<Periodic>(absl::Minutes(10), [&purge] {
    absl::StatusOr<services::PurgeReport> purged = purge.Run();
    if (!purged.ok()) {
      spdlog::warn("housekeeping: {}", purged.status().ToString());
    } else if (purged->sessions > 0 || purged->idempotency_keys > 0 || purged->recordings > 0) {
      spdlog::info("housekeeping: purged {} expired sessions, {} idempotency keys and {} call recordings",
                   purged->sessions, purged->idempotency_keys, purged->recordings);
    }
    if (purged.ok() && purged->recordings_failed > 0) {
      spdlog::warn("housekeeping: {} expired call recordings could not be deleted", purged->recordings_failed);
    }
  });
  // Cases of teams with a "cases-<team>" queue reach officers as case tasks.
  services::RouteCaseTasks case_tasks(deps, routing_engine);
  auto case_task_follower = std::make_unique<CaseTaskFollower>(case_tasks, routing_engine);
  // The council's wrap-up codes (stored by seed-demo from the council file).
  absl::StatusOr<std::vector<domain::Disposition>> dispositions = LoadDispositions(deps.store);
  if (!dispositions.ok()) return Fail(dispositions.status(), "the council's wrap-up codes are refused");
  services::RoutingDesk routing_desk(deps, routing_engine, &*dispositions);
  api_context.routing = &routing_desk;
  api_context.routing_engine = &routing_engine;
  api_context.node_name = routing_election.node();
  api_context.sip_realm = config.sip.realm;  // staff phone credentials (HA1) are made for it
  api_context.recordings_dir = recordings_dir;  // GET /api/v1/contacts/{id}/recording reads from it
  // Search: this node's own index, following the event log (app/knowledge.h).
  auto search_node = StartSearch(deps.store, config.search_dir.empty() ? SearchDirFor(config.database) : config.search_dir);
  if (!search_node.ok()) return Fail(search_node.status(), "cannot open the search index");
  api_context.SetSearchIndex(&(*search_node)->index());
  api_context.search_wake = [node = search_node->get()] { node->Wake(); };
  api::RegisterSystemRoutes(router, metrics, deps.store);
  api::RegisterApiRoutes(router, api_context);
  // The resident portal and the staff desktop (src/web). ONESTOP_WEB_SECRET
  // (64 hex digits) lets several nodes accept each other's signed forms.
  const char* web_secret = std::getenv("ONESTOP_WEB_SECRET");
  // The council's theme (stored by seed-demo from the council file) is
  // checked again here: an unreadable theme stops the start.
  absl::StatusOr<domain::Theme> theme = LoadTheme(deps.store);
  if (!theme.ok()) return Fail(theme.status(), "the council's theme is refused");
  const std::string council_name = theme->name;
  auto web_context = web::MakeWebContext(
      deps, {.assets_dir = web::DefaultAssetsDir(),
             .secret_hex = web_secret != nullptr ? web_secret : "",
             .theme = std::move(*theme),
             .theme_dir = config.theme_dir,
             .session_ttl = absl::Hours(config.session_ttl_hours),
             .secure_cookies = config.secure_cookies,
             .sip_realm = config.sip.realm});
  if (!web_context.ok()) return Fail(web_context.status(), "cannot set up the web pages");
  if (!config.theme_dir.empty()) spdlog::info("templates from the theme dir {} replace ours", config.theme_dir);
  web::SetSearchIndex(**web_context, &(*search_node)->index());
  web::SetRouting(**web_context, &routing_desk, &routing_engine);
  web::RegisterWebRoutes(router, **web_context);
  open311::Open311Options open311_options;
  open311_options.jurisdiction_id = config.jurisdiction_id;
  open311::Open311Context open311_context(deps, open311_options);
  open311::RegisterOpen311Routes(router, open311_context);
  metrics.AddGaugeCallback("onestop_routing_leader", "1 while this node runs the routing engine",
                           [&routing_engine]() {
                             return std::vector<std::pair<http::Metrics::Labels, double>>{
                                 {{}, routing_engine.leading() ? 1.0 : 0.0}};
                           });
  metrics.AddGaugeCallback("onestop_cases", "Cases by status", [&deps]() {
    std::vector<std::pair<http::Metrics::Labels, double>> out;
    auto counts = deps.store.CountCasesByStatus();
    if (!counts.ok()) return out;
    for (const auto& [status, count] : *counts) {
      out.push_back({{{"status", std::string(domain::CaseStatusName(status))}},
                     static_cast<double>(count)});
    }
    return out;
  });

  // The telephone (src/sip): the council's numbers answered over SIP when
  // sip.listen / --sip-listen is set.
  std::unique_ptr<sip::SipServer> sip_server;
  if (!config.sip.listen.empty()) {
    SipConfig sip_config = config.sip;
    if (absl::Status s = ResolveSipConfig(sip_config); !s.ok()) return Fail(s, "the SIP settings are refused");
    absl::StatusOr<std::optional<domain::Telephony>> telephony = LoadTelephony(deps.store);
    if (!telephony.ok()) return Fail(telephony.status(), "the council's telephony settings are refused");
    if (!telephony->has_value()) {
      spdlog::warn("sip: the council file has no telephony section: every number answers 404");
    }
    sip::SipServerOptions sip_options;
    sip_options.host = sip_config.listen_host;
    sip_options.port = sip_config.listen_port;
    sip_options.public_address = sip_config.public_address;
    sip_options.rtp_ports = {sip_config.rtp_first, sip_config.rtp_last};
    sip_options.realm = sip_config.realm;
    sip_options.dial_uri = sip_config.dial;
    sip_options.recordings_dir = recordings_dir;
    sip_options.node = routing_election.node();
    sip_options.call_changed = web::DeskRefresher(**web_context);
    for (const SipTrunk& trunk : sip_config.trunks) {
      sip_options.trunks.push_back({trunk.name, [trunk](std::string_view ip) { return TrunkAllows(trunk, ip); },
                                    trunk.username, trunk.password});
    }
    sip_server = std::make_unique<sip::SipServer>(deps, routing_engine, routing_desk,
                                                  telephony->value_or(domain::Telephony{}), sip_options);
    if (absl::Status s = sip_server->Start(); !s.ok()) return Fail(s, "cannot start the SIP listener");
    // The desk's hold, hang-up and recording pause (before the first request).
    api_context.calls = sip_server.get();
    web::SetCallPort(**web_context, sip_server.get());
    metrics.AddGaugeCallback("onestop_sip_calls", "Telephone calls in progress on this node", [&sip_server]() {
      const sip::SipStats st = sip_server->stats();
      return std::vector<std::pair<http::Metrics::Labels, double>>{
          {{{"state", "all"}}, static_cast<double>(st.calls)},
          {{{"state", "bridged"}}, static_cast<double>(st.bridged)},
          {{{"state", "records"}}, static_cast<double>(st.records)},
          {{{"state", "rtp_streams"}}, static_cast<double>(st.open_streams)}};
    });
    metrics.AddGaugeCallback("onestop_rtp_jitter_ms",
                             "Interarrival jitter (RFC 3550) of the audio bridged calls receive, 95th percentile",
                             [&sip_server]() {
                               return std::vector<std::pair<http::Metrics::Labels, double>>{
                                   {{{"quantile", "0.95"}}, sip_server->stats().jitter_p95_ms}};
                             });
    metrics.AddGaugeCallback("onestop_sip_registrations", "Staff phones registered to this node", [&sip_server]() {
      return std::vector<std::pair<http::Metrics::Labels, double>>{
          {{}, static_cast<double>(sip_server->stats().registrations)}};
    });
    // A machine-readable line for tests and scripts that start us on port 0.
    std::cout << "sip listening on " << sip_config.listen_host << ":" << sip_server->port() << std::endl;
  }

  http::ServerOptions options;
  options.address = config.address;
  options.port = static_cast<uint16_t>(config.port);
  // The council's mailboxes (stored by seed-demo from the council file):
  // where email comes in, and where replies come from.
  absl::StatusOr<std::vector<domain::Mailbox>> mailboxes = LoadMailboxes(deps.store);
  if (!mailboxes.ok()) return Fail(mailboxes.status(), "cannot read the mailboxes");
  // Email in (src/mail): the council's mailboxes over LMTP when
  // lmtp_listen / --lmtp-listen is set.
  std::unique_ptr<mail::MailChannel> mail_channel;
  if (!config.lmtp_listen.empty()) {
    mail::MailChannelOptions mail_options;
    if (absl::Status s = ParseListenAddress("lmtp_listen", config.lmtp_listen, 2424, mail_options.lmtp.host,
                                            mail_options.lmtp.port);
        !s.ok()) {
      return Fail(s, "the LMTP settings are refused");
    }
    if (mailboxes->empty()) spdlog::warn("mail: the council file has no mailboxes: every recipient answers 550");
    if (absl::StatusOr<std::vector<domain::RoutingProfile>> profiles = deps.store.ListRoutingProfiles();
        profiles.ok()) {
      for (const domain::Mailbox& box : UnservedMailboxes(*mailboxes, *profiles)) {
        spdlog::warn("mail: no routing profile takes queue '{}' (mailbox {}): add it to a profile on "
                     "/staff/routing/profiles or nobody is offered that mail",
                     box.queue, box.address);
      }
    }
    mail_channel = std::make_unique<mail::MailChannel>(deps, routing_engine, *mailboxes, mail_options);
    if (absl::Status s = mail_channel->Start(); !s.ok()) return Fail(s, "cannot start the LMTP listener");
    spdlog::info("mail: LMTP on {}:{} for {} mailboxes", mail_options.lmtp.host, mail_channel->port(),
                 mailboxes->size());
    std::cout << "lmtp listening on " << mail_options.lmtp.host << ":" << mail_channel->port() << std::endl;
  }

  // Email out (src/mail/smtp_transport.h) when smtp_url is set, texts
  // (src/notify) when notify.api_key is: the outbox's transports. Without
  // one, its messages wait in the outbox.
  std::unique_ptr<mail::SmtpTransport> smtp;
  std::unique_ptr<notify::NotifySmsTransport> sms;
  std::unique_ptr<services::ReplyToResident> reply_to_resident;
  std::unique_ptr<OutboxWorker> outbox_worker;
  services::RecordDeliveryReceipt delivery_receipts(deps);
  services::ReplyChannels reply_channels;
  if (!config.notify.api_key.empty()) {
    notify::NotifyClientOptions notify_options;
    notify_options.base_url = config.notify.base_url;
    notify_options.api_key = config.notify.api_key;
    absl::StatusOr<std::unique_ptr<notify::NotifyClient>> client = notify::NotifyClient::Create(notify_options);
    if (!client.ok()) return Fail(client.status(), "the Notify settings are refused");
    notify::NotifyTemplateMap templates(config.notify.templates.begin(), config.notify.templates.end());
    absl::StatusOr<std::unique_ptr<notify::NotifySmsTransport>> transport =
        notify::NotifySmsTransport::Create(std::shared_ptr<notify::NotifyApi>(std::move(*client)), templates);
    if (!transport.ok()) return Fail(transport.status(), "the Notify templates are refused");
    sms = std::move(*transport);
    reply_channels.sms = sms->TemplateFor(std::string(domain::kTemplateCaseReply), "en") != nullptr;
    if (!reply_channels.sms) spdlog::warn("notify: no notify.templates.case_reply: replies are not offered by text");
    if (config.notify.callback_token.empty()) {
      spdlog::warn("notify: no notify.callback_token: delivery receipts are not taken (texts stay \"sent\")");
    } else {
      notify::RegisterNotifyCallbackRoutes(router, delivery_receipts, config.notify.callback_token);
    }
    spdlog::info("notify: texts through {}", config.notify.base_url);
  }
  if (!config.smtp_url.empty()) {
    if (absl::Status s = mail::ValidateSmtpUrl(config.smtp_url); !s.ok()) return Fail(s, "the SMTP settings are refused");
    std::string from = config.mail_from;
    if (from.empty() && !mailboxes->empty()) from = mailboxes->front().address;
    if (from.empty()) {
      return Fail(absl::InvalidArgumentError("mail_from is not set and the council file has no mailboxes"),
                  "the SMTP settings are refused");
    }
    mail::SmtpOptions smtp_options;
    smtp_options.url = config.smtp_url;
    smtp_options.username = config.smtp_username;
    smtp_options.password = config.smtp_password;
    smtp_options.default_sender = from;
    smtp_options.sender_name = council_name;
    smtp = std::make_unique<mail::SmtpTransport>(smtp_options, web::MailRendererFor(**web_context));
    reply_channels.email = true;
    reply_channels.default_sender = from;
    spdlog::info("mail: sending through {} as {}", RedactDatabaseUrl(config.smtp_url), from);
  } else {
    spdlog::info("mail: no smtp_url: acknowledgements and replies by email stay queued in the outbox");
  }
  if (smtp || sms) {
    std::map<domain::OutboxChannel, domain::MessageTransport*> transports;
    if (smtp) transports[domain::OutboxChannel::kEmail] = smtp.get();
    if (sms) transports[domain::OutboxChannel::kSms] = sms.get();
    outbox_worker = std::make_unique<OutboxWorker>(deps, routing_engine, std::move(transports));
    api_context.outbox_wake = [worker = outbox_worker.get()] { worker->Wake(); };
  }
  if (reply_channels.email || reply_channels.sms) {
    reply_to_resident = std::make_unique<services::ReplyToResident>(deps, reply_channels);
    api_context.reply_to_resident = reply_to_resident.get();
    web::SetMailOut(**web_context, reply_to_resident.get(), api_context.outbox_wake);
  }

  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.body_limit = config.body_limit_bytes;

  // Block the stop signals in every thread; this one waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::Server server(options, router, metrics);
  if (absl::Status s = server.Start(); !s.ok()) return Fail(s, "cannot start the HTTP server");
  spdlog::info("onestop {} listening on http://{}:{} (database {}, schema v{})", kVersion,
               config.address, server.port(), RedactDatabaseUrl(config.database),
               (*runtime)->opened.schema_version);
  // A machine-readable line for tests and scripts that start us on port 0.
  std::cout << "listening on http://" << config.address << ":" << server.port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received signal {}; finishing in-flight requests", received);
  server.Shutdown();
  if (sip_server) sip_server->Stop();
  if (mail_channel) mail_channel->Stop();
  outbox_worker.reset();
  housekeeping.reset();
  case_task_follower.reset();
  routing_election.Stop();
  routing_engine.Stop();
  deps.store.Close();
  spdlog::info("stopped cleanly");
  spdlog::default_logger()->flush();
  return 0;
}

int Transfer(const std::string& from, const std::string& to) {
  std::cerr << "copying the whole council (progress below)\n";
  auto report = TransferCouncil(from, to, std::cerr);
  if (!report.ok()) return Fail(report.status(), "the copy failed (the destination is unchanged)");
  std::cout << "copied and verified " << report->rows << " rows in " << report->tables
            << " tables\n";
  return 0;
}

int Migrate(const Config& config) {
  auto opened = OpenStore(config.database, /*migrate=*/true);
  if (!opened.ok()) return Fail(opened.status(), "migration failed");
  std::cout << "database " << RedactDatabaseUrl(config.database) << " is at schema version "
            << opened->schema_version << "\n";
  opened->store->Close();
  return 0;
}

int SeedDemo(const Config& config, const std::string& council_file) {
  std::string council_text(data::kDemoCouncil);
  if (!council_file.empty()) {
    std::ifstream in(council_file);
    if (!in) {
      std::cerr << "onestop: cannot read " << council_file << "\n";
      return 2;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    council_text = buffer.str();
  }
  auto runtime = StartRuntime(config, /*migrate=*/true);
  if (!runtime.ok()) return Fail(runtime.status(), "cannot open the database " + RedactDatabaseUrl(config.database));
  auto report = SeedCouncil((*runtime)->deps(), council_text,
                            council_file.empty() ? DemoCouncilFiles() : FilesNextTo(council_file),
                            config.sip.realm);
  if (!report.ok()) return Fail(report.status(), "seeding the demo council failed");
  if (council_file.empty()) {
    auto articles = SeedArticles((*runtime)->deps(), data::kDemoArticles);
    if (!articles.ok()) return Fail(articles.status(), "seeding the demo articles failed");
    std::cout << "demo articles: " << articles->created << " new, " << articles->existing
              << " already there\n";
  }
  std::cout << "demo council loaded: " << report->departments << " departments, " << report->teams
            << " teams, " << report->services << " services, " << report->staff_created
            << " new staff, " << report->citizens_created << " new citizens, "
            << report->routing_queues_created << " new routing queues, "
            << report->routing_profiles_created << " new routing profiles\n";
  for (const auto& login : report->logins) {
    std::cout << "  login: " << login << "\n";
  }
  (*runtime)->opened.store->Close();
  return 0;
}

int Reindex(const Config& config) {
  auto opened = OpenStore(config.database, /*migrate=*/true);
  if (!opened.ok()) return Fail(opened.status(), "cannot open the database " + RedactDatabaseUrl(config.database));
  const std::string dir = config.search_dir.empty() ? SearchDirFor(config.database) : config.search_dir;
  std::cerr << "rebuilding the search index in " << dir << "\n";
  auto documents = RebuildSearchIndex(*opened->store, dir, std::cerr);
  if (!documents.ok()) return Fail(documents.status(), "reindex failed");
  std::cout << "indexed " << *documents << " documents into " << dir << "\n";
  opened->store->Close();
  return 0;
}

int CreateUser(const Config& config, const services::NewStaff& input_without_password,
               const std::string& role_name) {
  auto role = domain::ParseRole(role_name);
  if (!role) {
    std::cerr << "onestop: --role must be agent, officer, supervisor or admin\n";
    return 2;
  }
  services::NewStaff input = input_without_password;
  input.role = *role;
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::getline(std::cin, input.password);
  if (!input.password.empty() && input.password.back() == '\r') input.password.pop_back();
  auto runtime = StartRuntime(config, /*migrate=*/true);
  if (!runtime.ok()) return Fail(runtime.status(), "cannot open the database " + RedactDatabaseUrl(config.database));
  services::CreateStaff create((*runtime)->deps());
  auto staff = create.Run(domain::Actor::System(), input);
  if (!staff.ok()) {
    std::cerr << "onestop: cannot create the user: " << staff.status().message() << "\n";
    for (const auto& e : FieldErrorsOf(staff.status())) {
      std::cerr << "  " << e.field << ": "
                << i18n::FieldErrorText(e, i18n::Catalogs::Default().English()) << "\n";
    }
    return 1;
  }
  std::cout << "created " << domain::RoleName(staff->role) << " " << staff->email << " (id "
            << staff->id << ")\n";
  (*runtime)->opened.store->Close();
  return 0;
}

int CreateApiKeyCommand(const Config& config, const std::string& name) {
  auto runtime = StartRuntime(config, /*migrate=*/true);
  if (!runtime.ok()) return Fail(runtime.status(), "cannot open the database " + RedactDatabaseUrl(config.database));
  services::CreateApiKey create((*runtime)->deps());
  auto created = create.Run(domain::Actor::System(), name);
  if (!created.ok()) {
    std::cerr << "onestop: cannot create the API key: " << created.status().message() << "\n";
    for (const auto& e : FieldErrorsOf(created.status())) {
      std::cerr << "  " << e.field << ": "
                << i18n::FieldErrorText(e, i18n::Catalogs::Default().English()) << "\n";
    }
    return 1;
  }
  std::cerr << "created API key " << created->record.id << " for " << created->record.name
            << " (shown once; only its hash is stored)\n";
  std::cout << created->key << "\n";
  (*runtime)->opened.store->Close();
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"onestop: one service catalogue, one record of each resident, one case engine"};
  cli.require_subcommand(1);
  Config config;
  std::string config_file;
  std::string database, log_level, address;
  int port = -1;

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--database", database,
                    "Database URL: sqlite:PATH or postgresql://... (env ONESTOP_DATABASE_URL)");
    cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error (env ONESTOP_LOG_LEVEL)");
    cmd->add_option("--config", config_file, "JSON config file");
  };
  CLI::App* serve = cli.add_subcommand("serve", "Serve the API and pages over HTTP");
  add_common(serve);
  serve->add_option("--address", address, "Address to listen on (env ONESTOP_ADDRESS)");
  std::string sip_listen;
  serve->add_option("--sip-listen", sip_listen,
                    "Answer telephone calls over SIP (UDP and TCP) on HOST:PORT "
                    "(env ONESTOP_SIP_LISTEN, config key sip.listen; default: no SIP)");
  std::string lmtp_listen;
  serve->add_option("--lmtp-listen", lmtp_listen,
                    "Take email for the council's mailboxes over LMTP on HOST:PORT, from the MTA "
                    "(env ONESTOP_LMTP_LISTEN, config key lmtp_listen; default: no email in)");
  std::string smtp_url;
  serve->add_option("--smtp-url", smtp_url,
                    "Send email (acknowledgements, replies) through this SMTP relay: smtp://HOST:PORT or "
                    "smtps://HOST:PORT (env ONESTOP_SMTP_URL, config key smtp_url; default: none, mail stays "
                    "queued in the outbox)");
  std::string recordings_dir;
  serve->add_option("--recordings-dir", recordings_dir,
                    "Where call recordings are written and read (env ONESTOP_RECORDINGS_DIR, config "
                    "key recordings_dir; default next to the database)");
  std::string sip_dial;
  serve->add_option("--sip-dial", sip_dial,
                    "Where calls out (call backs) go: HOST[:PORT][;transport=tcp] of the council's "
                    "SBC or carrier (env ONESTOP_SIP_DIAL, config key sip.dial; default: none, "
                    "no call-back offer)");
  std::string node_name;
  serve->add_option("--node-name", node_name,
                    "This node's name among several on one database (env ONESTOP_NODE_NAME; "
                    "default <hostname>-<pid>)");
  std::string theme_dir;
  serve->add_option("--theme-dir", theme_dir,
                    "A council's template folder: files with the same relative path as "
                    "web/templates replace them (config key theme_dir)");
  std::string search_dir;
  serve->add_option("--search-dir", search_dir,
                    "This node's search index directory (env ONESTOP_SEARCH_DIR; default "
                    "next to the SQLite file, or var/search-<hash> for PostgreSQL)");
  serve->add_option("--port", port, "Port to listen on, 0 for any free port (env ONESTOP_PORT)")
      ->check(CLI::Range(0, 65535));
  CLI::App* migrate = cli.add_subcommand("migrate", "Create or upgrade the database schema");
  add_common(migrate);
  CLI::App* seed = cli.add_subcommand(
      "seed-demo", "Load the demo council, or another council file, (idempotent)");
  add_common(seed);
  std::string council_file;
  seed->add_option("--council", council_file,
                   "Council file (JSON, docs/catalogue-format.md); default: the demo council");
  CLI::App* create_user =
      cli.add_subcommand("create-user", "Create a staff login; the password is read from stdin");
  add_common(create_user);
  services::NewStaff new_staff;
  std::string role;
  create_user->add_option("--email", new_staff.email, "Login email")->required();
  create_user->add_option("--role", role, "agent, officer, supervisor or admin")->required();
  create_user->add_option("--name", new_staff.display_name, "Display name");
  create_user->add_option("--department", new_staff.department, "Department code (officers)");
  create_user->add_option("--team", new_staff.team, "Team code");
  CLI::App* create_api_key = cli.add_subcommand(
      "create-api-key", "Create an API key for a client application (Open311); prints the key");
  add_common(create_api_key);
  std::string api_key_name;
  create_api_key->add_option("--name", api_key_name, "The client application, e.g. FixMyStreet")
      ->required();
  std::string jurisdiction_id;
  serve->add_option("--jurisdiction-id", jurisdiction_id,
                    "Open311 jurisdiction_id to accept (config key jurisdiction_id)");
  CLI::App* export_cmd = cli.add_subcommand(
      "export", "Copy the whole council from --database to another store (--to)");
  add_common(export_cmd);
  std::string transfer_url;
  export_cmd->add_option("--to", transfer_url, "Destination database URL (empty)")->required();
  CLI::App* import_cmd = cli.add_subcommand(
      "import", "Copy a whole council from another store (--from) into --database");
  add_common(import_cmd);
  import_cmd->add_option("--from", transfer_url, "Source database URL")->required();
  CLI::App* reindex = cli.add_subcommand(
      "reindex", "Rebuild this node's search index from the store (with a progress bar)");
  add_common(reindex);
  cli.add_subcommand("version", "Print the version");
  PlanningCommands planning_commands(cli);  // simulate, staffing

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (cli.got_subcommand("version")) {
    std::cout << "onestop " << kVersion << "\n";
    return 0;
  }
  if (auto exit_code = planning_commands.Run()) return *exit_code;

  if (!config_file.empty()) {
    if (absl::Status s = LoadConfigFile(config_file, config); !s.ok()) {
      std::cerr << "onestop: " << s.message() << "\n";
      return 2;
    }
  }
  if (absl::Status s = ApplyEnvironment(config); !s.ok()) {
    std::cerr << "onestop: " << s.message() << "\n";
    return 2;
  }
  if (!database.empty()) config.database = database;
  if (!log_level.empty()) config.log_level = log_level;
  if (!address.empty()) config.address = address;
  if (!sip_listen.empty()) config.sip.listen = sip_listen;
  if (!sip_dial.empty()) config.sip.dial = sip_dial;
  if (!lmtp_listen.empty()) config.lmtp_listen = lmtp_listen;
  if (!smtp_url.empty()) config.smtp_url = smtp_url;
  if (!recordings_dir.empty()) config.recordings_dir = recordings_dir;
  if (!theme_dir.empty()) config.theme_dir = theme_dir;
  if (port >= 0) config.port = port;
  if (!search_dir.empty()) config.search_dir = search_dir;
  if (!node_name.empty()) config.node_name = node_name;
  if (!jurisdiction_id.empty()) config.jurisdiction_id = jurisdiction_id;
  if (absl::Status s = SetUpLogging(config.log_level); !s.ok()) {
    std::cerr << "onestop: " << s.message() << "\n";
    return 2;
  }

  if (cli.got_subcommand(serve)) return Serve(config);
  if (cli.got_subcommand(migrate)) return Migrate(config);
  if (cli.got_subcommand(seed)) return SeedDemo(config, council_file);
  if (cli.got_subcommand(reindex)) return Reindex(config);
  if (cli.got_subcommand(create_user)) return CreateUser(config, new_staff, role);
  if (cli.got_subcommand(export_cmd)) return Transfer(config.database, transfer_url);
  if (cli.got_subcommand(import_cmd)) return Transfer(transfer_url, config.database);
  if (cli.got_subcommand(create_api_key)) return CreateApiKeyCommand(config, api_key_name);
  return 2;
}

}  // namespace onestop::app

int main(int argc, char** argv) { return onestop::app::Main(argc, argv); }
