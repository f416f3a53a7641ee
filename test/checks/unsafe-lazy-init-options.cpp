// RUN: %check_threadlint %s threadlint-unsafe-lazy-init %t -- \
// RUN:   -config="{CheckOptions: {threadlint-unsafe-lazy-init.SpawnFunctions: 'my::Executor::post', threadlint-unsafe-lazy-init.GuardTypes: 'my::Pin'}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-unsafe-lazy-init --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-unsafe-lazy-init.SpawnFunctions: 'my::Executor::post'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-unsafe-lazy-init --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-unsafe-lazy-init.SpawnFunctions: 'my::Executor::post'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-unsafe-lazy-init.SpawnFunctions: 'my::Executor::post'
// RUN: %threadlint --checks=-*,threadlint-unsafe-lazy-init --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-unsafe-lazy-init.SpawnFunctions: '{{.*}}ThreadPool::enqueue{{.*}}'
// DEFAULT-DAG: threadlint-unsafe-lazy-init.GuardTypes: '::absl::MutexLock;{{.*}}'
// DEFAULT-DAG: threadlint-unsafe-lazy-init.MaxEntryDepth: '4'

#include <functional>
#include <mutex>

namespace my {
// A pool defined in another file: only the option says post() spawns.
struct Executor {
  void post(std::function<void()> Task);
};
// A project's own guard, named by GuardTypes.
struct Pin {
  explicit Pin(std::mutex &M);
  ~Pin();
};
} // namespace my

struct Codec {};

Codec *g_codec = nullptr;
Codec *codec() {
  if (!g_codec)
    g_codec = new Codec;
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_codec' is not thread-safe
  return g_codec;
}

// Tasks handed to the pool in a loop: several run at once.
void decode_all(my::Executor &Pool, int N) {
  for (int I = 0; I < N; ++I)
    Pool.post([] { codec(); });
}

// The whole check-then-create under the project's guard: fine.
std::mutex g_mu;
Codec *g_pinned = nullptr;
Codec *ok_under_project_guard() {
  my::Pin P(g_mu);
  if (!g_pinned)
    g_pinned = new Codec;
  return g_pinned;
}

void decode_pinned(my::Executor &Pool, int N) {
  for (int I = 0; I < N; ++I)
    Pool.post([] { ok_under_project_guard(); });
}
