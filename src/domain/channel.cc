#include "domain/channel.h"

namespace onestop::domain {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kPhone: return "phone";
    case Channel::kFaceToFace: return "face_to_face";
    case Channel::kWeb: return "web";
    case Channel::kTv: return "tv";
    case Channel::kEmail: return "email";
    case Channel::kSms: return "sms";
    case Channel::kApi: return "api";
  }
  return "unknown";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel c : kAllChannels) {
    if (ChannelName(c) == name) return c;
  }
  return std::nullopt;
}

bool IsElectronic(Channel c) { return c != Channel::kFaceToFace; }

}  // namespace onestop::domain
