// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++17 -pthread
// Reading a thread's id or native handle (to print or log it) does not hand
// the thread on; passing the thread itself does.

#include <cstdio>
#include <iostream>
#include <thread>
#include <utility>

void work();
void logThread(std::thread::id id);
void joinLater(std::thread &t);
void adopt(std::thread t);

void positivePrintsTheId(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable, which calls std::terminate [threadlint-thread-not-joined]
  std::cout << "started " << t.get_id() << '\n';
  if (fail)
    return;
  t.join();
}

void positiveLogsTheId(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  logThread(t.get_id());
  if (fail)
    return;
  t.join();
}

void positivePrintsTheNativeHandle(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  std::printf("%lu\n", static_cast<unsigned long>(t.native_handle()));
  if (fail)
    return;
  t.join();
}

void positiveKeepsTheId(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  std::thread::id id(t.get_id());
  if (fail)
    return;
  t.join();
}

template <typename T> void positiveInTemplate(T fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  std::cout << t.get_id();
  if (fail)
    return;
  t.join();
}
template void positiveInTemplate<bool>(bool);

#define LOG_THREAD(t) std::cout << "thread " << (t).get_id() << '\n'

void positiveIdLoggedByAMacro(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  LOG_THREAD(t);
  if (fail)
    return;
  t.join();
}

// ---------------------------------------------------------------- negatives

void negativeHandedOnByReference(bool fail) {
  std::thread t(work);
  joinLater(t); // the callee may join it
  if (fail)
    return;
}

void negativeMovedToAFunction(bool fail) {
  std::thread t(work);
  std::cout << t.get_id();
  adopt(std::move(t));
  if (fail)
    return;
}

void negativeIdPrintedThenJoined() {
  std::thread t(work);
  std::cout << t.get_id();
  t.join();
}
