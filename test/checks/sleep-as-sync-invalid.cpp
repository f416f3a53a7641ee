// Half-typed code, as the editor sees it: compile errors, no crash, and no
// threadlint warning from the declarations with errors.
// RUN: not %threadlint --checks=-*,threadlint-sleep-as-sync %s -- -std=c++20 2>&1 | FileCheck %s
// RUN: not %clang_tidy --load=%plugin --checks=-*,threadlint-sleep-as-sync %s -- -std=c++20 -resource-dir=%resource_dir 2>&1 | FileCheck %s
// CHECK: error:
// CHECK-NOT: threadlint-sleep-as-sync
// CHECK-NOT: Stack dump

#include <chrono>
#include <thread>

void use(int);

void unfinishedLambda() {
  int x = 0;
  std::thread t([&] { x = 1 + ; });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  use(x);
  t.join();
}

void unknownCallee() {
  int x = 0;
  std::thread t([&] { x = undeclared(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  use(x);
  t.join();
}

void unknownSleepArgument() {
  int x = 0;
  std::thread t([&] { x = 1; });
  std::this_thread::sleep_for(missing_duration);
  use(x);
  t.join();
}

void wrongSleepArguments() {
  int x = 0;
  std::thread t([&] { x = 1; });
  std::this_thread::sleep_for(1, 2);
  use(x);
  t.join();
}

void incompleteStatement() {
  int x = 0;
  std::thread t([&] { x = 1; });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  use(x
}
