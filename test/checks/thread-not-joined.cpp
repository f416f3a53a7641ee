// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++20 -pthread

#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

void work();
void workOn(int);
bool ready();

// ---------------------------------------------------------------- positives

int positiveEarlyReturn(bool fail) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable, which calls std::terminate [threadlint-thread-not-joined]
  // CHECK-FIXES: std::jthread t(work);
  if (fail)
    return -1;
  t.join();
  return 0;
}

void positiveBreak(const std::vector<int> &items) {
  for (int item : items) {
    std::thread t(workOn, item);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: thread 't' can be destroyed while still joinable
    // CHECK-FIXES: std::jthread t(workOn, item);
    if (item < 0)
      break;
    t.join();
  }
}

void positiveContinue(const std::vector<int> &items) {
  for (int item : items) {
    std::thread t([item] { workOn(item); });
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: thread 't' can be destroyed while still joinable
    // CHECK-FIXES: std::jthread t([item] { workOn(item); });
    if (item == 0)
      continue;
    t.join();
  }
}

void positiveGoto(bool retry) {
again:
  {
    std::thread t(work);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: thread 't' can be destroyed while still joinable
    // CHECK-FIXES: std::jthread t(work);
    if (retry) {
      retry = false;
      goto again;
    }
    t.join();
  }
}

void positiveExplicitThrow(bool bad) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
  if (bad)
    throw std::runtime_error("bad input");
  t.join();
}

int positiveStoiMayThrow(const std::string &text) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
  int value = std::stoi(text);
  t.join();
  return value;
}

int positiveAtMayThrow(const std::vector<int> &v, std::size_t i) {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
  int value = v.at(i);
  t.join();
  return value;
}

void positiveNeverJoined() {
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(work);
}

void positiveStartedByAssignment(bool fail) {
  std::thread t;
  t = std::thread(work);
  if (fail)
    return;
  t.join();
  // CHECK-MESSAGES: :[[@LINE-5]]:15: warning: thread 't' can be destroyed while still joinable
  // No fix-it: a std::jthread cannot be assigned a std::thread.
  // CHECK-FIXES: std::thread t;
}

void positiveDetachedOnOnePathHasNoFix(bool background) {
  // Detached somewhere: std::jthread would change that path, so no fix-it.
  std::thread t(work);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::thread t(work);
  if (background) {
    t.detach();
    return;
  }
  if (ready())
    return;
  t.join();
}

void positiveGenericLambdaHasNoFix(bool fail) {
  // std::jthread would pass a std::stop_token to a generic lambda.
  std::thread t([](auto... args) { (void)sizeof...(args); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::thread t([](auto... args) { (void)sizeof...(args); });
  if (fail)
    return;
  t.join();
}

class Poller {
public:
  Poller() : worker_(work) {}

private:
  std::thread worker_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'worker_' is started but the destructor of 'Poller' neither joins nor detaches it; destroying it while joinable calls std::terminate [threadlint-thread-not-joined]
};

class Flusher {
public:
  void start() { thread_ = std::thread([this] { flush(); }); }
  ~Flusher() {}

private:
  void flush();
  std::thread thread_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'thread_' is started but the destructor of 'Flusher' neither joins nor detaches it
};

template <typename T> void positiveInTemplate(T value, bool fail) {
  std::thread t(workOn, static_cast<int>(value));
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread 't' can be destroyed while still joinable
  // CHECK-FIXES: std::jthread t(workOn, static_cast<int>(value));
  if (fail)
    return;
  t.join();
}
template void positiveInTemplate<int>(int, bool);
template void positiveInTemplate<long>(long, bool);

void suppressedWithNolint(bool fail) {
  std::thread t(work); // NOLINT(threadlint-thread-not-joined)
  if (fail)
    return;
  t.join();
}

// ---------------------------------------------------------------- negatives

void negativeJoinedOnEveryPath(bool fail) {
  std::thread t(work);
  if (fail) {
    t.join();
    return;
  }
  t.join();
}

void negativeJoinableCheckedAtTheEnd(bool background) {
  std::thread t(work);
  if (background)
    t.detach();
  if (t.joinable())
    t.join();
}

void negativeImmediateDetach() {
  std::thread t(work);
  t.detach();
  std::thread(work).detach();
}

void negativeJThread(bool fail) {
  std::jthread t(work);
  if (fail)
    return;
}

// A joiner type: joins in its destructor.
class ThreadGuard {
public:
  explicit ThreadGuard(std::thread &t) : t_(t) {}
  ~ThreadGuard() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread &t_;
};

void negativeRaiiJoiner(bool fail) {
  std::thread t(work);
  ThreadGuard guard(t);
  if (fail)
    return;
}

void negativeMovedIntoAContainer(std::vector<std::thread> &pool) {
  std::thread t(work);
  pool.push_back(std::move(t));
}

void negativeThrowCaughtInTheFunction(const std::string &text) {
  std::thread t(work);
  try {
    workOn(std::stoi(text));
  } catch (const std::exception &) {
  }
  t.join();
}

void negativeDefaultConstructedNeverStarted(bool fail) {
  std::thread t;
  if (fail)
    return;
}

void negativeJoinedByScopeExitLambda(bool fail) {
  std::thread t(work);
  auto joiner = [&t] { t.join(); };
  if (fail) {
    joiner();
    return;
  }
  joiner();
}

class Service {
public:
  Service() : worker_(work) {}
  ~Service() { stop(); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

class Detacher {
public:
  Detacher() { worker_ = std::thread(work); }
  ~Detacher() { worker_.detach(); }

private:
  std::thread worker_;
};

// A destructor defined in another file is not judged.
class Remote {
public:
  Remote() : worker_(work) {}
  ~Remote();

private:
  std::thread worker_;
};

class NeverStarted {
  std::thread worker_;
};

namespace testing {
class Test {
public:
  virtual ~Test() = default;
  virtual void SetUp() {}
  virtual void TearDown() {}
};
} // namespace testing

// A test fixture: SetUp starts the thread, TearDown joins it, and gtest
// calls TearDown after every test.
class ServerTest : public testing::Test {
protected:
  void SetUp() override { server_ = std::thread(work); }
  void TearDown() override { server_.join(); }

private:
  std::thread server_;
};

// gtest's ASSERT_* return from the test on failure: a `return` inside a
// macro is not reported (option ReportExitsInMacros).
#define ASSERT_TRUE_LIKE(cond)                                                 \
  if (!(cond))                                                                 \
  return

void negativeReturnInsideAnAssertionMacro() {
  std::thread t(work);
  ASSERT_TRUE_LIKE(ready());
  t.join();
}
