// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- \
// RUN:   -config="{CheckOptions: {threadlint-unsynchronized-capture-write.SpawnFunctions: 'Pool::run', threadlint-unsynchronized-capture-write.GuardTypes: 'SpinGuard'}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-unsynchronized-capture-write --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-unsynchronized-capture-write.SpawnFunctions: 'Pool::run'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-unsynchronized-capture-write --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-unsynchronized-capture-write.SpawnFunctions: 'Pool::run'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-unsynchronized-capture-write.SpawnFunctions: 'Pool::run'
// RUN: %threadlint --checks=-*,threadlint-unsynchronized-capture-write --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-unsynchronized-capture-write.GuardTypes: '::absl::MutexLock;{{.*}}'
// DEFAULT-DAG: threadlint-unsynchronized-capture-write.LockTypes: '::absl::Mutex;{{.*}}'
// DEFAULT-DAG: threadlint-unsynchronized-capture-write.SpawnFunctions: '{{.+}}'

#include <functional>

// A project's pool: tasks run concurrently on its threads.
struct Pool {
  void run(std::function<void()> task);
  void wait();
};

struct SpinLock {
  void lock();
  void unlock();
};
struct SpinGuard {
  explicit SpinGuard(SpinLock &);
  ~SpinGuard();
};

int positivePoolTasks(Pool &pool, int n) {
  int done = 0;
  for (int i = 0; i < n; ++i)
    pool.run([&done] { ++done; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: unsynchronized write to 'done', captured by reference: several instances
  pool.wait();
  return done;
}

int negativeUnderConfiguredGuard(Pool &pool, int n) {
  int done = 0;
  SpinLock spin;
  for (int i = 0; i < n; ++i)
    pool.run([&] {
      SpinGuard g(spin);
      ++done;
    });
  pool.wait();
  return done;
}
