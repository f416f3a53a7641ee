// RUN: %check_threadlint %s threadlint-missing-stop %t -- \
// RUN:   -config="{CheckOptions: {threadlint-missing-stop.ExitFunctions: '::die_now'}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-missing-stop --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-missing-stop.ExitFunctions: '::die_now'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-missing-stop --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-missing-stop.ExitFunctions: '::die_now'}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: threadlint-missing-stop.ExitFunctions: '::die_now'
// RUN: %threadlint --checks=-*,threadlint-missing-stop --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: threadlint-missing-stop.ExitFunctions: '::exit;::_Exit;{{.*}}'

#include <cstdlib>
#include <thread>

void poll();
void die_now(int code); // ends the process, but is not declared [[noreturn]]

void negativeConfiguredExitFunction() {
  std::thread([] {
    while (true) {
      poll();
      die_now(1);
    }
  }).detach();
}

void negativeNoreturnCallAlwaysCounts() {
  // The option replaces the default list: ::exit is not an exit any more,
  // but it is [[noreturn]], which always counts.
  std::thread([] {
    while (true) {
      poll();
      std::exit(1);
    }
  }).detach();
}

void positiveNothingEnds() {
  std::thread([] {
    while (true)
      poll();
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: this loop in a spawned task can never end
  }).detach();
}
