// RUN: %check_threadlint %s threadlint-skipped-done %t -- \
// RUN:   -config="{CheckOptions: {threadlint-skipped-done.WaitGroupTypes: '::coord::Tracker', threadlint-skipped-done.DoneMethods: 'Finish', threadlint-skipped-done.WaitMethods: 'WaitAll', threadlint-skipped-done.MaxBlocks: '500'}}" \
// RUN:   -- -std=c++20 -pthread
//
// Every option round-trips through storeOptions, in both front ends:
// RUN: %threadlint --checks=-*,threadlint-skipped-done --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-skipped-done.WaitGroupTypes: '::coord::Tracker', threadlint-skipped-done.DoneMethods: 'Finish', threadlint-skipped-done.WaitMethods: 'WaitAll', threadlint-skipped-done.MaxBlocks: '500'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-skipped-done --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-skipped-done.WaitGroupTypes: '::coord::Tracker', threadlint-skipped-done.DoneMethods: 'Finish', threadlint-skipped-done.WaitMethods: 'WaitAll', threadlint-skipped-done.MaxBlocks: '500'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-skipped-done.DoneMethods: Finish
// DUMP-DAG: threadlint-skipped-done.WaitGroupTypes: '::coord::Tracker'
// DUMP-DAG: threadlint-skipped-done.WaitMethods: WaitAll
// DUMP-DAG: threadlint-skipped-done.MaxBlocks: '500'
// DUMP-DAG: threadlint-skipped-done.SpawnFunctions: '::boost::asio::post;{{.*}}'
//
// Defaults:
// RUN: %threadlint --checks=-*,threadlint-skipped-done --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-skipped-done.AddMethods: 'Add;add'
// DEFAULT-DAG: threadlint-skipped-done.DoneMethods: 'Done;done'
// DEFAULT-DAG: threadlint-skipped-done.WaitMethods: 'Wait;wait'
// DEFAULT-DAG: threadlint-skipped-done.WaitGroupTypes: ''
// DEFAULT-DAG: threadlint-skipped-done.MaxBlocks: '2000'

#include <thread>

bool valid(int);

namespace coord {
// Named by WaitGroupTypes (it has no Add-like method); Finish is the
// configured Done method, WaitAll the configured wait.
class Tracker {
public:
  void Finish();
  void WaitAll();
};
} // namespace coord

void configured(int n) {
  coord::Tracker tracker;
  std::thread t([&tracker, n] {
    if (!valid(n))
      return;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'return' skips 'tracker.Finish()'; the waiter at 'tracker.WaitAll()' can hang [threadlint-skipped-done]
    tracker.Finish();
  });
  tracker.WaitAll();
  t.join();
}
