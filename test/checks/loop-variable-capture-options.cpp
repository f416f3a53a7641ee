// RUN: %check_threadlint %s threadlint-loop-variable-capture %t -- \
// RUN:   -config="{CheckOptions: {threadlint-loop-variable-capture.SpawnFunctions: 'my::Executor::post;::start_task'}}" \
// RUN:   -- -std=c++20 -pthread
//
// The option round-trips through storeOptions (--dump-config), in both front ends:
// RUN: %threadlint --checks=-*,threadlint-loop-variable-capture --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-loop-variable-capture.SpawnFunctions: 'my::Executor::post;::start_task'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-loop-variable-capture --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-loop-variable-capture.SpawnFunctions: 'my::Executor::post;::start_task'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-loop-variable-capture.SpawnFunctions: 'my::Executor::post;::start_task'
//
// The default value is printed when the option is not set:
// RUN: %threadlint --checks=-*,threadlint-loop-variable-capture --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: threadlint-loop-variable-capture.SpawnFunctions: '::boost::asio::post;{{.*}}ThreadPool::enqueue;{{.*}}'

#include <functional>
#include <future>

void use(int);

namespace my {
class Executor {
public:
  void post(std::function<void()> task);
};
} // namespace my

void start_task(std::function<void()> task);

// Not in the configured list (the option replaces the defaults).
class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::deferred, static_cast<F &&>(f));
  }
};

void positiveConfiguredMethod(my::Executor &executor) {
  for (int i = 0; i < 4; ++i)
    executor.post([&i] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: loop variable 'i' is captured by reference to a task that may outlive the iteration [threadlint-loop-variable-capture]
  // CHECK-FIXES: executor.post([i] { use(i); });
}

void positiveConfiguredFreeFunction() {
  for (int i = 0; i < 4; ++i)
    start_task([&] { use(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: loop variable 'i' is captured by reference
  // CHECK-FIXES: start_task([&, i] { use(i); });
}

void negativePoolNotInTheConfiguredList(ThreadPool &pool) {
  for (int i = 0; i < 4; ++i)
    pool.enqueue([&i] { use(i); });
}
