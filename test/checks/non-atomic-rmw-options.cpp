// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- \
// RUN:   -config="{CheckOptions: {threadlint-non-atomic-rmw.IgnoreExplicitOrders: false, threadlint-non-atomic-rmw.GuardTypes: 'SpinGuard'}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-non-atomic-rmw --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-non-atomic-rmw.IgnoreExplicitOrders: false}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-non-atomic-rmw --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-non-atomic-rmw.IgnoreExplicitOrders: false}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-non-atomic-rmw.IgnoreExplicitOrders: 'false'
// RUN: %threadlint --checks=-*,threadlint-non-atomic-rmw --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-non-atomic-rmw.IgnoreExplicitOrders: 'true'
// DEFAULT-DAG: threadlint-non-atomic-rmw.GuardTypes: '::absl::MutexLock;{{.*}}'

#include <atomic>

std::atomic<int> counter{0};

// With IgnoreExplicitOrders off, the relaxed single-writer idiom is flagged.
void positiveRelaxedWhenNotIgnored() {
  counter.store(counter.load(std::memory_order_relaxed) + 1,
                std::memory_order_relaxed);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: read-modify-write of atomic 'counter'
}

struct SpinLock {
  void lock();
  void unlock();
};
struct SpinGuard {
  explicit SpinGuard(SpinLock &);
  ~SpinGuard();
};
SpinLock spin;

void negativeUnderConfiguredGuard() {
  SpinGuard g(spin);
  counter = counter + 1;
}
