// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.ThrowingFunctions: '::parse_or_throw', threadlint-thread-not-joined.StrictExceptionPaths: true}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-thread-not-joined --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.ThrowingFunctions: '::parse_or_throw', threadlint-thread-not-joined.StrictExceptionPaths: true, threadlint-thread-not-joined.MaxBlocks: 100}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-thread-not-joined --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-thread-not-joined.ThrowingFunctions: '::parse_or_throw', threadlint-thread-not-joined.StrictExceptionPaths: true, threadlint-thread-not-joined.MaxBlocks: 100}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-thread-not-joined.ReportExitsInMacros: 'false'
// DUMP-DAG: threadlint-thread-not-joined.MaxBlocks: '100'
// DUMP-DAG: threadlint-thread-not-joined.StrictExceptionPaths: 'true'
// DUMP-DAG: threadlint-thread-not-joined.ThrowingFunctions: '::parse_or_throw'
//
// RUN: %threadlint --checks=-*,threadlint-thread-not-joined --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-thread-not-joined.StrictExceptionPaths: 'false'
// DEFAULT-DAG: threadlint-thread-not-joined.ThrowingFunctions: '::std::stoi;{{.*}}'

#include <thread>

void work();
int parse_or_throw(const char *);
int may_throw_undocumented(int);
int never_throws(int) noexcept;

void positiveConfiguredThrowingFunction(const char *s) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  parse_or_throw(s);
  t.join();
}

void positiveStrictEveryPotentiallyThrowingCall() {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  may_throw_undocumented(1);
  t.join();
}

void negativeNoexceptCall() {
  std::thread t(work);
  never_throws(1);
  t.join();
}

#define ASSERT_TRUE_LIKE(cond)                                                 \
  if (!(cond))                                                                 \
  return
bool ready();

void negativeMacroExitIgnoredByDefault() {
  std::thread t(work);
  ASSERT_TRUE_LIKE(ready());
  t.join();
}
