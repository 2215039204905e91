#include "sip/sofia_loop.h"

#include <mutex>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

namespace onestop::sip {

struct SofiaLoop::Impl {
  std::mutex mu;  // guards root/running against Post during Stop
  su_root_t* root = nullptr;
  bool running = false;
  std::thread thread;
  std::thread::id thread_id;
  su_task_r task = {};
};

namespace {

struct Closure {
  std::function<void()>* fn;
};

void RunClosure(su_root_magic_t*, su_msg_r msg, su_msg_arg_t* arg) {
  auto* closure = reinterpret_cast<Closure*>(arg);
  std::unique_ptr<std::function<void()>> fn(closure->fn);
  closure->fn = nullptr;
  if (fn && *fn) (*fn)();
}

void FreeClosure(su_msg_arg_t* arg) {
  auto* closure = reinterpret_cast<Closure*>(arg);
  delete closure->fn;
  closure->fn = nullptr;
}

}  // namespace

SofiaLoop::SofiaLoop() : impl_(std::make_unique<Impl>()) {}

SofiaLoop::~SofiaLoop() { Stop(); }

absl::Status SofiaLoop::Start(std::function<absl::Status(su_root_s* root)> setup) {
  std::promise<absl::Status> started;
  std::future<absl::Status> result = started.get_future();
  impl_->thread = std::thread([this, setup = std::move(setup), &started]() mutable {
    su_init();
    su_root_t* root = su_root_create(nullptr);
    if (root == nullptr) {
      started.set_value(absl::InternalError("sofia-sip: su_root_create failed"));
      su_deinit();
      return;
    }
    absl::Status status = setup ? setup(root) : absl::OkStatus();
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      if (status.ok()) {
        impl_->root = root;
        impl_->running = true;
        impl_->thread_id = std::this_thread::get_id();
        su_task_copy(impl_->task, su_root_task(root));
      }
    }
    started.set_value(status);
    if (status.ok()) su_root_run(root);
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      impl_->running = false;
      impl_->root = nullptr;
      su_task_deinit(impl_->task);
    }
    su_root_destroy(root);
    su_deinit();
  });
  absl::Status status = result.get();
  if (!status.ok()) impl_->thread.join();
  return status;
}

bool SofiaLoop::Post(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->running) return false;
  su_msg_r msg = SU_MSG_R_INIT;
  if (su_msg_create(msg, impl_->task, su_task_null, RunClosure, sizeof(Closure)) != 0) return false;
  su_msg_deinitializer(msg, FreeClosure);
  auto* closure = reinterpret_cast<Closure*>(su_msg_data(msg));
  closure->fn = new std::function<void()>(std::move(fn));
  return su_msg_send(msg) == 0;
}

void SofiaLoop::Stop(std::function<void(su_root_s* root)> teardown) {
  if (!impl_->thread.joinable()) return;
  if (std::this_thread::get_id() == impl_->thread_id) return;  // never from the loop itself
  Post([this, teardown = std::move(teardown)] {
    su_root_t* root = impl_->root;
    if (teardown) teardown(root);
    su_root_break(root);
  });
  impl_->thread.join();
}

bool SofiaLoop::on_loop_thread() const { return std::this_thread::get_id() == impl_->thread_id; }

}  // namespace onestop::sip
