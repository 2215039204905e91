// media_bench: how many bridged calls one MediaEngine relays, and how evenly.
//
//   media_bench [--calls 100,300,500] [--seconds 20] [--threads 2] [--port-base 40000]
//               [--transcode 1] [--record 0|1] [--record-dir DIR]
//
// For each N in --calls: N calls, each two RtpStreams bridged (leg a PCMA,
// leg b PCMU when --transcode is 1, so every packet is re-coded) plus two
// plain UDP sockets on loopback playing the phones. One sender thread sends
// a 20 ms packet from every phone against absolute deadlines; one receiver
// thread (epoll) takes the relayed packets and records, per phone, the
// spacing between consecutive arrivals. Printed: relayed packets/s, spacing
// p50/p95/p99 and |spacing − 20 ms| p50/p95/p99, the engine's CPU seconds per
// call-second (getrusage of the process minus the two simulator threads),
// and RSS. The simulator shares the machine with the engine, so spacing
// includes its own scheduling delays.
//
// --record 1: each N is run twice, first plain and then with every call
// recorded (a CallRecorder per call, both legs RecordTo it) into a fresh
// temporary directory (under --record-dir, default $TMPDIR or /tmp; removed
// afterwards). Printed: the extra engine CPU per call-second that recording
// costs, and the bytes per second written (all calls, and per call).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media/recorder.h"
#include "media/rtp.h"
#include "media/rtp_stream.h"

namespace {

using namespace onestop::media;  // NOLINT: a benchmark's main file
using std::chrono::steady_clock;

std::string ArgString(int argc, char** argv, const char* name, const char* fallback) {
  for (int arg_idx = 1; arg_idx + 1 < argc; ++arg_idx) {
    if (std::string(argv[arg_idx]) == name) return argv[arg_idx + 1];
  }
  return fallback;
}
int ArgInt(int argc, char** argv, const char* name, int fallback) {
  return std::atoi(ArgString(argc, argv, name, std::to_string(fallback).c_str()).c_str());
}

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }
double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
}

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

int BoundSocket(uint16_t& port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("bind");
    std::exit(1);
  }
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

double Percentile(std::vector<double>& values, double fraction) {
  if (values.empty()) return 0;
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(fraction * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

struct Phone {
  int fd = -1;
  uint16_t port = 0;
  uint16_t stream_port = 0;
  Codec codec = Codec::kPcma;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  int64_t last_arrival_ns = 0;
};

struct RunResult {
  double engine_cpu_per_call_second = 0;
  double recorded_bytes_per_second = 0;  // all calls
  int64_t recorded_bytes = 0;
};

// `record_dir` empty: no recording; else one WAV per call in it.
RunResult RunOnce(int calls, int seconds, int threads, int port_base, bool transcode, const std::string& record_dir) {
  MediaEngine engine("127.0.0.1", PortRange{port_base, port_base + 4 * calls + 200}, threads);
  std::vector<std::shared_ptr<RtpStream>> streams;
  std::vector<std::shared_ptr<CallRecorder>> recorders;
  const auto recording_start = steady_clock::now();
  std::vector<Phone> phones(static_cast<size_t>(2 * calls));
  for (int call_idx = 0; call_idx < calls; ++call_idx) {
    std::shared_ptr<RtpStream> legs[2];
    for (int leg = 0; leg < 2; ++leg) {
      auto opened = engine.Open();
      if (!opened.ok()) {
        std::fprintf(stderr, "Open: %s\n", std::string(opened.status().message()).c_str());
        std::exit(1);
      }
      Phone& phone = phones[static_cast<size_t>(2 * call_idx + leg)];
      phone.fd = BoundSocket(phone.port);
      phone.stream_port = (*opened)->local_port();
      phone.codec = (leg == 1 && transcode) ? Codec::kPcmu : Codec::kPcma;
      (*opened)->SetRemote(RemoteMedia{"127.0.0.1", phone.port, phone.codec, 101});
      legs[leg] = *opened;
      streams.push_back(*opened);
    }
    BridgeStreams(legs[0], legs[1]);
    if (!record_dir.empty()) {
      auto recorder = CallRecorder::Create(record_dir + "/call-" + std::to_string(call_idx) + ".wav");
      if (!recorder.ok()) {
        std::fprintf(stderr, "CallRecorder::Create: %s\n", std::string(recorder.status().message()).c_str());
        std::exit(1);
      }
      legs[0]->RecordTo(*recorder, 0);
      legs[1]->RecordTo(*recorder, 1);
      recorders.push_back(*recorder);
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<bool> measuring{false};
  std::atomic<double> simulator_cpu{0};
  std::vector<double> spacing_ms;
  spacing_ms.reserve(static_cast<size_t>(calls) * 2 * 50 * seconds + 1024);
  uint64_t measured_packets = 0;

  std::thread receiver([&] {
    const int epoll_fd = epoll_create1(0);
    for (size_t phone_idx = 0; phone_idx < phones.size(); ++phone_idx) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = phone_idx;
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, phones[phone_idx].fd, &event);
    }
    std::vector<epoll_event> events(256);
    uint8_t buffer[2048];
    while (!stop.load()) {
      const int ready = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 50);
      for (int event_idx = 0; event_idx < ready; ++event_idx) {
        Phone& phone = phones[events[static_cast<size_t>(event_idx)].data.u64];
        while (recv(phone.fd, buffer, sizeof buffer, 0) > 0) {
          const int64_t now = steady_clock::now().time_since_epoch().count();
          if (measuring.load(std::memory_order_relaxed)) {
            ++measured_packets;
            if (phone.last_arrival_ns != 0) spacing_ms.push_back(static_cast<double>(now - phone.last_arrival_ns) / 1e6);
          }
          phone.last_arrival_ns = now;
        }
      }
    }
    close(epoll_fd);
    simulator_cpu.store(simulator_cpu.load() + CpuSeconds(RUSAGE_THREAD));
  });

  std::thread sender([&] {
    std::vector<uint8_t> packet;
    std::vector<uint8_t> payload(160, 0);
    auto deadline = steady_clock::now();
    while (!stop.load()) {
      for (Phone& phone : phones) {
        std::fill(payload.begin(), payload.end(), phone.codec == Codec::kPcmu ? 0xE7 : 0xC5);
        BuildRtp(RtpHeader{false, static_cast<uint8_t>(phone.codec), phone.sequence++, phone.timestamp, 0xBE7C}, payload,
                 packet);
        phone.timestamp += 160;
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(phone.stream_port);
        sendto(phone.fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&address), sizeof address);
      }
      deadline += std::chrono::milliseconds(20);
      std::this_thread::sleep_until(deadline);
    }
    simulator_cpu.store(simulator_cpu.load() + CpuSeconds(RUSAGE_THREAD));
  });

  // A second of warm-up (bridges set up, silence from before the bridge gone).
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double cpu_before = CpuSeconds(RUSAGE_SELF);
  const auto start = steady_clock::now();
  measuring.store(true);
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  measuring.store(false);
  const double elapsed = std::chrono::duration<double>(steady_clock::now() - start).count();
  const double cpu_measured = CpuSeconds(RUSAGE_SELF) - cpu_before;
  const long rss_kb = RssKb();
  // Simulator CPU over the measured window ≈ its total × window / lifetime.
  stop.store(true);
  sender.join();
  receiver.join();
  const double lifetime = elapsed + 1.0;
  const double simulator_share = simulator_cpu.load() * elapsed / lifetime;
  const double engine_cpu = std::max(0.0, cpu_measured - simulator_share);

  double jitter_sum = 0;
  uint64_t dropped = 0;
  for (const auto& stream : streams) {
    const StreamStats stats = stream->stats();
    jitter_sum += stats.jitter_ms;
    dropped += stats.packets_dropped;
  }
  for (const auto& stream : streams) stream->Close();
  for (Phone& phone : phones) close(phone.fd);
  RunResult result;
  result.engine_cpu_per_call_second = engine_cpu / (calls * elapsed);
  if (!recorders.empty()) {
    // The streams were recording from the start (before the warm-up).
    const double recorded_seconds = std::chrono::duration<double>(steady_clock::now() - recording_start).count();
    int failed = 0;
    for (const auto& recorder : recorders) {
      result.recorded_bytes += recorder->Finish().bytes;
      if (!recorder->status().ok()) ++failed;
    }
    result.recorded_bytes_per_second = static_cast<double>(result.recorded_bytes) / recorded_seconds;
    if (failed > 0) std::printf("  %d recordings failed (see the warnings)\n", failed);
  }

  std::vector<double> deviation(spacing_ms.size());
  for (size_t value_idx = 0; value_idx < spacing_ms.size(); ++value_idx) {
    deviation[value_idx] = std::abs(spacing_ms[value_idx] - 20.0);
  }
  const double expected = 2.0 * calls * 50;
  std::printf(
      "%s calls %4d  relayed %8.0f pkt/s (expected %6.0f)  spacing p50/p95/p99 %.2f/%.2f/%.2f ms  "
      "|spacing-20ms| p50/p95/p99 %.2f/%.2f/%.2f ms  RFC3550 jitter (engine rx, mean) %.2f ms  dropped %llu  "
      "engine CPU %.4f s per call-second (%.0f%% of a core; simulator %.0f%%)  RSS %ld MB\n",
      record_dir.empty() ? "plain    " : "recording", calls, static_cast<double>(measured_packets) / elapsed, expected, Percentile(spacing_ms, 0.50),
      Percentile(spacing_ms, 0.95), Percentile(spacing_ms, 0.99), Percentile(deviation, 0.50),
      Percentile(deviation, 0.95), Percentile(deviation, 0.99), jitter_sum / static_cast<double>(streams.size()),
      static_cast<unsigned long long>(dropped), engine_cpu / (calls * elapsed), 100 * engine_cpu / elapsed,
      100 * simulator_share / elapsed, rss_kb / 1024);
  std::fflush(stdout);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string calls_list = ArgString(argc, argv, "--calls", "100,300,500");
  const int seconds = ArgInt(argc, argv, "--seconds", 20);
  const int threads = ArgInt(argc, argv, "--threads", 2);
  const int port_base = ArgInt(argc, argv, "--port-base", 40000);
  const bool transcode = ArgInt(argc, argv, "--transcode", 1) != 0;
  const bool record = ArgInt(argc, argv, "--record", 0) != 0;
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string record_parent = ArgString(argc, argv, "--record-dir", tmpdir != nullptr ? tmpdir : "/tmp");
  // Two descriptors per leg (stream + phone): raise the soft limit.
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  std::printf("command:");
  for (int arg_idx = 0; arg_idx < argc; ++arg_idx) std::printf(" %s", argv[arg_idx]);
  std::printf("\nmedia threads %d, %d s per run, transcoding %s, %u CPUs\n", threads, seconds,
              transcode ? "PCMA<->PCMU" : "none", std::thread::hardware_concurrency());
  size_t start = 0;
  while (start < calls_list.size()) {
    size_t comma = calls_list.find(',', start);
    if (comma == std::string::npos) comma = calls_list.size();
    const int calls = std::atoi(calls_list.substr(start, comma - start).c_str());
    if (calls > 0) {
      const RunResult plain = RunOnce(calls, seconds, threads, port_base, transcode, "");
      if (record) {
        std::string pattern = record_parent + "/media_bench_recordings.XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) {
          std::perror("mkdtemp");
          return 1;
        }
        const RunResult recorded = RunOnce(calls, seconds, threads, port_base, transcode, pattern);
        const double extra = recorded.engine_cpu_per_call_second - plain.engine_cpu_per_call_second;
        std::printf(
            "recording calls %4d  extra CPU %.5f s per call-second (%+.1f%% of a core for all calls)  "
            "written %.0f bytes/s (%.0f per call; %lld bytes in %s)\n",
            calls, extra, 100 * extra * calls, recorded.recorded_bytes_per_second,
            recorded.recorded_bytes_per_second / calls, static_cast<long long>(recorded.recorded_bytes),
            pattern.c_str());
        std::fflush(stdout);
        std::error_code ignored;
        std::filesystem::remove_all(pattern, ignored);
      }
    }
    start = comma + 1;
  }
  return 0;
}
