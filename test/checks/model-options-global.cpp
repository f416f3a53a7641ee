// The vocabulary of the models (SpawnFunctions, LockTypes, GuardTypes) is
// read by every check with getLocalOrGlobal: one global key in the
// configuration reaches them all, so two checks cannot disagree on what a
// spawn or a lock is. Each RUN line enables one check with the same global
// options and expects only its own findings; without the global keys the
// same code is silent (the NOCONFIG runs).
//
// RUN: %check_threadlint --check-suffixes=LVC %s threadlint-loop-variable-capture %t -- \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', GuardTypes: 'my::Pin'}}" -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=UCW %s threadlint-unsynchronized-capture-write %t -- \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', GuardTypes: 'my::Pin'}}" -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=SAS %s threadlint-sleep-as-sync %t -- \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', GuardTypes: 'my::Pin'}}" -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=AIS %s threadlint-add-inside-spawned-task %t -- \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', GuardTypes: 'my::Pin'}}" -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=LAB %s threadlint-lock-across-blocking-call %t -- \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', GuardTypes: 'my::Pin'}}" -- -std=c++20 -pthread
//
// Without the global keys, none of the five reports anything here:
// RUN: %threadlint --checks=-*,threadlint-loop-variable-capture,threadlint-unsynchronized-capture-write,threadlint-sleep-as-sync,threadlint-add-inside-spawned-task,threadlint-lock-across-blocking-call \
// RUN:   --config={} %s -- -std=c++20 -pthread 2>&1 | FileCheck %s --allow-empty --check-prefix=NOCONFIG
// NOCONFIG-NOT: warning:
//
// A check's own (local) key still wins over the global one:
// RUN: %threadlint --checks=-*,threadlint-loop-variable-capture --dump-config \
// RUN:   -config="{CheckOptions: {SpawnFunctions: 'my::Executor::post', threadlint-loop-variable-capture.SpawnFunctions: '::other'}}" \
// RUN:   | FileCheck %s --check-prefix=LOCAL
// LOCAL: threadlint-loop-variable-capture.SpawnFunctions: '::other'

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace my {
// A pool defined in another file: only the option says that post() runs
// its task on another thread.
class Executor {
public:
  void post(std::function<void()> task);
};

// A guard whose constructor is in another file, with a name that says
// nothing: only the option says that it holds the mutex.
class Pin {
public:
  explicit Pin(std::mutex &m);
  ~Pin();
};

class WaitGroup {
public:
  void Add(int n);
  void Done();
  void Wait();
};
} // namespace my

void use(int);
int compute(int);

void loop_variable(my::Executor &ex) {
  for (int i = 0; i < 4; ++i)
    ex.post([&i] { use(i); });
  // CHECK-MESSAGES-LVC: :[[@LINE-1]]:15: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES-LVC: ex.post([i] { use(i); });
}

void several_writers(my::Executor &ex) {
  int total = 0;
  for (int i = 0; i < 4; ++i)
    ex.post([&total, i] { total += compute(i); });
  // CHECK-MESSAGES-UCW: :[[@LINE-1]]:27: warning: unsynchronized write to 'total', captured by reference: several instances of this task run at once
}

int sleep_then_read(my::Executor &ex) {
  int result = 0;
  ex.post([&result] { result = compute(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // CHECK-MESSAGES-SAS: :[[@LINE-1]]:3: warning: sleep used as synchronisation
  return result;
}

void add_inside(my::Executor &ex, my::WaitGroup &wg) {
  // CHECK-FIXES-AIS: wg.Add(1);
  // CHECK-FIXES-AIS-NEXT: ex.post([&wg] {
  ex.post([&wg] {
    wg.Add(1);
    // CHECK-MESSAGES-AIS: :[[@LINE-1]]:5: warning: 'Add' on 'wg' runs inside the spawned task
    wg.Done();
  });
  wg.Wait();
}

std::mutex mu;
void sleep_under_pin() {
  my::Pin hold(mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // CHECK-MESSAGES-LAB: :[[@LINE-1]]:3: warning: blocking call 'std::this_thread::sleep_for' (sleep) while holding 'mu'
}
