// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- \
// RUN:   -config="{CheckOptions: {threadlint-sleep-as-sync.SleepFunctions: 'my::pause;::std::this_thread::sleep_for', threadlint-sleep-as-sync.SpawnFunctions: 'my::Executor::post'}}" \
// RUN:   -- -std=c++20 -pthread
//
// Both options round-trip through storeOptions (--dump-config), in both front ends:
// RUN: %threadlint --checks=-*,threadlint-sleep-as-sync --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-sleep-as-sync.SleepFunctions: 'my::pause;::std::this_thread::sleep_for', threadlint-sleep-as-sync.SpawnFunctions: 'my::Executor::post'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-sleep-as-sync --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-sleep-as-sync.SleepFunctions: 'my::pause;::std::this_thread::sleep_for', threadlint-sleep-as-sync.SpawnFunctions: 'my::Executor::post'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-sleep-as-sync.SleepFunctions: 'my::pause;::std::this_thread::sleep_for'
// DUMP-DAG: threadlint-sleep-as-sync.SpawnFunctions: 'my::Executor::post'
//
// The defaults are printed when the options are not set:
// RUN: %threadlint --checks=-*,threadlint-sleep-as-sync --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-sleep-as-sync --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-sleep-as-sync.SleepFunctions: '::std::this_thread::sleep_for;::std::this_thread::sleep_until;::sleep;::usleep;::nanosleep;::clock_nanosleep'
// DEFAULT-DAG: threadlint-sleep-as-sync.SpawnFunctions: '::boost::asio::post;{{.*}}ThreadPool::enqueue;{{.*}}'

#include <chrono>
#include <functional>
#include <thread>
#include <unistd.h>

void use(int);

namespace my {
void pause(int milliseconds);
class Executor {
public:
  void post(std::function<void()> task);
};
} // namespace my

void positiveConfiguredSleep() {
  int x = 0;
  std::thread t([&x] { x = 1; });
  my::pause(10);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read while the work started earlier may still write it; join the thread instead [threadlint-sleep-as-sync]
  // CHECK-FIXES: {{^}}  t.join();{{$}}
  use(x);
}

void positiveConfiguredSpawn(my::Executor &executor) {
  int x = 0;
  executor.post([&x] { x = 1; });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'x' is read while the work started earlier may still write it; wait on a latch or a condition variable instead [threadlint-sleep-as-sync]
  use(x);
}

void negativeSleepNotInTheConfiguredList() {
  // The option replaces the defaults: usleep is no longer a sleep.
  int x = 0;
  std::thread t([&x] { x = 1; });
  usleep(1000);
  use(x);
  t.join();
}
