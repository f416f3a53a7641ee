// RUN: %check_threadlint --check-suffixes=DEFAULT %s threadlint-exception-escapes-thread %t -- -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=ALLOC %s threadlint-exception-escapes-thread %t -- \
// RUN:   -config="{CheckOptions: {threadlint-exception-escapes-thread.ReportAllocation: true}}" \
// RUN:   -- -std=c++20 -pthread
// RUN: %check_threadlint --check-suffixes=DEPTH %s threadlint-exception-escapes-thread %t -- \
// RUN:   -config="{CheckOptions: {threadlint-exception-escapes-thread.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++20 -pthread
//
// Built with -fno-exceptions nothing can be thrown: no warning at all.
// RUN: %check_threadlint --check-suffixes=NOEXCEPTIONS %s threadlint-exception-escapes-thread %t -- \
// RUN:   -- -std=c++20 -pthread -fno-exceptions -DNO_EXCEPTIONS
//
// Verbose says where a bound stopped the search.
// RUN: %threadlint --checks=-*,threadlint-exception-escapes-thread %s \
// RUN:   -config="{CheckOptions: {threadlint-exception-escapes-thread.Verbose: true, threadlint-exception-escapes-thread.MaxEntryDepth: 1}}" \
// RUN:   -- -std=c++20 -pthread 2>&1 | FileCheck %s --check-prefix=VERBOSE --implicit-check-not=remark:
//
// RUN: %threadlint --checks=-*,threadlint-exception-escapes-thread --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-exception-escapes-thread.ReportAllocation: true, threadlint-exception-escapes-thread.Verbose: true, threadlint-exception-escapes-thread.MaxEntryDepth: 2}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-exception-escapes-thread --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-exception-escapes-thread.ReportAllocation: true, threadlint-exception-escapes-thread.Verbose: true, threadlint-exception-escapes-thread.MaxEntryDepth: 2}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-exception-escapes-thread.ReportAllocation: 'true'
// DUMP-DAG: threadlint-exception-escapes-thread.Verbose: 'true'
// DUMP-DAG: threadlint-exception-escapes-thread.MaxEntryDepth: '2'
// DUMP-DAG: threadlint-exception-escapes-thread.MaxEntryFunctions: '300'
//
// RUN: %threadlint --checks=-*,threadlint-exception-escapes-thread --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULTS
// DEFAULTS-DAG: threadlint-exception-escapes-thread.ReportAllocation: 'false'
// DEFAULTS-DAG: threadlint-exception-escapes-thread.Verbose: 'false'
// DEFAULTS-DAG: threadlint-exception-escapes-thread.MaxEntryDepth: '4'

#include <new>
#include <string>
#include <thread>
#include <vector>

void consume(int);

#ifndef NO_EXCEPTIONS
#include <stdexcept>
#endif

// `new` throws std::bad_alloc: reported only with ReportAllocation.
void allocates(int n) {
  std::thread t([n] {
    // CHECK-MESSAGES-ALLOC: :[[@LINE-1]]:17: warning: 'std::bad_alloc' thrown by 'new' can escape the thread started here, which calls 'std::terminate'
    std::vector<int> *v = new std::vector<int>(n);
    consume(static_cast<int>(v->size()));
    delete v;
  });
  t.join();
}

#ifndef NO_EXCEPTIONS
// An allocator's own std::bad_alloc: also only with ReportAllocation.
struct Arena {
  char *allocate(unsigned n) {
    if (n > 4096)
      throw std::bad_alloc();
    return buffer;
  }
  char buffer[4096];
};
void allocator(Arena &arena) {
  std::thread t([&arena] { consume(*arena.allocate(16)); });
  // CHECK-MESSAGES-ALLOC: :[[@LINE-1]]:17: warning: an exception of type 'std::bad_alloc' can escape the thread started here
  t.join();
}
#endif

// nothrow new and placement new do not throw bad_alloc.
void ok_nothrow_new() {
  std::thread t([] {
    int *p = new (std::nothrow) int(1);
    alignas(int) unsigned char buf[sizeof(int)];
    int *q = new (buf) int(2);
    consume(p ? *p + *q : *q);
    delete p;
  });
  t.join();
}

// Depth: level3 is three calls below the body.
int level3(const std::string &s) { return std::stoi(s); }
int level2(const std::string &s) { return level3(s); }
int level1(const std::string &s) { return level2(s); }

void deep(const std::string &s) {
  std::thread t([&s] { consume(level1(s)); });
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  // CHECK-MESSAGES-ALLOC: :[[@LINE-2]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  // VERBOSE: :[[@LINE-3]]:17: remark: the search for exceptions that can escape this thread stopped at a bound (MaxEntryDepth, MaxEntryFunctions) [threadlint-exception-escapes-thread]
  t.join();
}

// One call deep: found under every bound.
void shallow(const std::string &s) {
  std::thread t([&s] { consume(level3(s)); });
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  // CHECK-MESSAGES-ALLOC: :[[@LINE-2]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  // CHECK-MESSAGES-DEPTH: :[[@LINE-3]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  t.join();
}
