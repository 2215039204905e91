// Channels through which residents reach the council, and the roles staff hold.
#pragma once

#include <optional>
#include <string_view>

namespace onestop::domain {

// Every contact and case records the channel it came through. The names are the
// wire names used in the API, the store and reports (BVPI 157, channel cost).
enum class Channel { kPhone, kFaceToFace, kWeb, kTv, kEmail, kSms, kApi };

std::string_view ChannelName(Channel c);                      // "phone", "face_to_face", ...
std::optional<Channel> ParseChannel(std::string_view name);   // accepts the names above
inline constexpr Channel kAllChannels[] = {Channel::kPhone, Channel::kFaceToFace, Channel::kWeb,
                                           Channel::kTv,    Channel::kEmail,      Channel::kSms,
                                           Channel::kApi};
// True for channels that count as electronic delivery for BVPI 157. The
// telephone counts because agents update the record there and then.
bool IsElectronic(Channel c);

}  // namespace onestop::domain
