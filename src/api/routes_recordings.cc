// GET /api/v1/contacts/{id}/recording: the contact's call recording as
// audio/wav, for supervisors and admins (services::GetCallRecording: 403 for
// other staff, 404 when there is none, it is past its retention, or its file
// is missing). The file is read from ctx.recordings_dir; the stored path is
// checked again (domain::ValidRecordingPath) before it is joined to it.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/support.h"
#include "common/status.h"
#include "domain/call_recording.h"
#include "services/call_recordings.h"

namespace onestop::api {
namespace {

absl::StatusOr<std::string> ReadRecordingFile(const std::string& dir, const std::string& path,
                                              int64_t contact_id) {
  const absl::Status missing =
      absl::NotFoundError(absl::StrCat("contact ", contact_id, " has no recording"));
  if (dir.empty() || !domain::ValidRecordingPath(path)) return missing;
  std::ifstream in(std::filesystem::path(dir) / path, std::ios::binary);
  if (!in) return missing;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::InternalError(absl::StrCat("cannot read recording ", path));
  return std::move(bytes).str();
}

absl::StatusOr<http::Response> GetRecordingHandler(ApiContext& ctx, http::Request& request) {
  ONESTOP_ASSIGN_OR_RETURN(domain::Actor actor, RequireActor(ctx, request));
  ONESTOP_ASSIGN_OR_RETURN(int64_t id, ParsePathId(request.PathParam("id")));
  ONESTOP_ASSIGN_OR_RETURN(domain::CallRecording recording,
                           services::GetCallRecording(ctx.deps).Run(actor, id));
  ONESTOP_ASSIGN_OR_RETURN(std::string bytes,
                           ReadRecordingFile(ctx.recordings_dir, recording.path, id));
  http::Response response;
  response.status = 200;
  response.content_type = "audio/wav";
  response.body = std::move(bytes);  // the server adds Content-Length
  response.SetHeader("Content-Disposition", absl::StrCat("inline; filename=\"contact-", id, ".wav\""));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace

void RegisterRecordingRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, "GET", "/api/v1/contacts/{id}/recording",
           [&ctx](http::Request& request) { return GetRecordingHandler(ctx, request); });
}

}  // namespace onestop::api
