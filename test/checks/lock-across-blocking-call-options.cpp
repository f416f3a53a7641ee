// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- \
// RUN:   -config="{CheckOptions: {threadlint-lock-across-blocking-call.LockTypes: '::base::Lock', threadlint-lock-across-blocking-call.GuardTypes: '::base::AutoLock;ScopedRead', threadlint-lock-across-blocking-call.BlockingFunctions: '::rpc::call;Channel::roundTrip', threadlint-lock-across-blocking-call.IncludeConsoleOutput: true, threadlint-lock-across-blocking-call.MaxCallDepth: 1}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-lock-across-blocking-call --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-lock-across-blocking-call.GuardTypes: '::base::AutoLock', threadlint-lock-across-blocking-call.IncludeConsoleOutput: true}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// RUN: %clang_tidy --load=%plugin --checks=-*,threadlint-lock-across-blocking-call --dump-config \
// RUN:   -config="{CheckOptions: {threadlint-lock-across-blocking-call.GuardTypes: '::base::AutoLock', threadlint-lock-across-blocking-call.IncludeConsoleOutput: true}}" \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: threadlint-lock-across-blocking-call.GuardTypes: '::base::AutoLock'
// DUMP-DAG: threadlint-lock-across-blocking-call.IncludeConsoleOutput: 'true'
// RUN: %threadlint --checks=-*,threadlint-lock-across-blocking-call --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-DAG: threadlint-lock-across-blocking-call.BlockingFunctions: ''
// DEFAULT-DAG: threadlint-lock-across-blocking-call.GuardTypes: '::absl::MutexLock;{{.*}}'
// DEFAULT-DAG: threadlint-lock-across-blocking-call.IncludeConsoleOutput: 'false'
// DEFAULT-DAG: threadlint-lock-across-blocking-call.LockTypes: '::absl::Mutex;{{.*}}'
// DEFAULT-DAG: threadlint-lock-across-blocking-call.MaxCallDepth: '4'

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace base {
// A mutex with capitalised methods: only known through LockTypes.
class Lock {
public:
  void Acquire();
  void Release();
  void Lock_();
};
// Its guard, known through GuardTypes.
class AutoLock {
public:
  explicit AutoLock(Lock &l);
  ~AutoLock();
};
} // namespace base

template <typename T> class ScopedRead {
public:
  explicit ScopedRead(T &l);
  ~ScopedRead();
};

namespace rpc {
int call(const char *method);
}
struct Channel {
  int roundTrip(int);
};

base::Lock lock;

void positiveConfiguredGuard() {
  base::AutoLock g(lock);
  rpc::call("ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'rpc::call' (blocking function) while holding 'lock'
}

void positiveSuffixGuardAndFunction(Channel &c) {
  ScopedRead<base::Lock> r(lock);
  c.roundTrip(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'Channel::roundTrip' (blocking function) while holding 'lock'
}

void positiveConsoleOutputWhenIncluded() {
  base::AutoLock g(lock);
  std::printf("x\n");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'printf' (console output) while holding 'lock'
}

void positiveConsoleStreamWhenIncluded() {
  base::AutoLock g(lock);
  std::cout << 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: blocking call 'operator<<' (console output) while holding 'lock'
}

// Annotated declarations block, whatever the options say.
[[clang::annotate("threadlint::blocking")]] void waitForPeer();

void positiveAnnotated() {
  base::AutoLock g(lock);
  waitForPeer();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'waitForPeer' (annotated blocking) while holding 'lock'
}

// MaxCallDepth 1: one level of helpers is followed, two are not.
void sleeper() { ::sleep(1); }
void viaOne() { sleeper(); }
void positiveOneLevelDeep() {
  base::AutoLock g(lock);
  sleeper();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'sleeper' may block (sleep in 'sleep') while holding 'lock'
}
void negativeBeyondMaxCallDepth() {
  base::AutoLock g(lock);
  viaOne();
}
