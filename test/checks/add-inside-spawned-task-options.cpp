// RUN: %check_threadlint %s threadlint-add-inside-spawned-task %t -- \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.WaitGroupTypes: '::coord::Group', threadlint-add-inside-spawned-task.AddMethods: 'Enter', threadlint-add-inside-spawned-task.WaitMethods: 'WaitAll'}}" \
// RUN:   -- -std=c++20 -pthread
//
// Every option round-trips through storeOptions, in both front ends:
// RUN: %threadlint --checks=-*,threadlint-add-inside-spawned-task --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.WaitGroupTypes: '::coord::Group', threadlint-add-inside-spawned-task.AddMethods: 'Enter', threadlint-add-inside-spawned-task.WaitMethods: 'WaitAll'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-add-inside-spawned-task --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-add-inside-spawned-task.WaitGroupTypes: '::coord::Group', threadlint-add-inside-spawned-task.AddMethods: 'Enter', threadlint-add-inside-spawned-task.WaitMethods: 'WaitAll'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-add-inside-spawned-task.AddMethods: Enter
// DUMP-DAG: threadlint-add-inside-spawned-task.WaitGroupTypes: '::coord::Group'
// DUMP-DAG: threadlint-add-inside-spawned-task.WaitMethods: WaitAll
// DUMP-DAG: threadlint-add-inside-spawned-task.SpawnFunctions: '::boost::asio::post;{{.*}}'
//
// Defaults:
// RUN: %threadlint --checks=-*,threadlint-add-inside-spawned-task --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-add-inside-spawned-task.AddMethods: 'Add;add'
// DEFAULT-DAG: threadlint-add-inside-spawned-task.WaitMethods: 'Wait;wait'
// DEFAULT-DAG: threadlint-add-inside-spawned-task.WaitGroupTypes: ''

#include <thread>

namespace coord {
// Named by WaitGroupTypes; Enter/WaitAll are the configured method names.
class Group {
public:
  void Enter(int n);
  void Leave();
  void WaitAll();
};
} // namespace coord

// Structurally a wait group with the default names, but the options name
// other methods now.
struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};

void positiveConfiguredGroup() {
  coord::Group g;
  std::thread t([&g] {
    g.Enter(1);
    g.Leave();
  });
  // CHECK-MESSAGES: :[[@LINE-3]]:5: warning: 'Enter' on 'g' runs inside the spawned task
  // CHECK-FIXES: g.Enter(1);
  // CHECK-FIXES-NEXT: std::thread t([&g] {
  g.WaitAll();
  t.join();
}

void negativeDefaultNamesNoLongerConfigured() {
  WaitGroup wg;
  std::thread t([&wg] {
    wg.Add(1);
    wg.Done();
  });
  wg.Wait();
  t.join();
}
