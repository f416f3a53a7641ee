// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// ------------------------------------------------- several instances at once

int positiveCounterInLoop(int n) {
  int count = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&count] { ++count; });
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: unsynchronized write to 'count', captured by reference: several instances of this task run at once; protect it with a lock, make it atomic, or give each task its own [threadlint-unsynchronized-capture-write]
  for (auto &w : workers)
    w.join();
  return count;
}

void positiveMapInsertInLoop(const std::vector<std::string> &words) {
  std::map<std::string, int> counts;
  std::vector<std::thread> workers;
  for (const auto &w : words)
    workers.emplace_back([&, w] { counts[w] += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: unsynchronized write to 'counts', captured by reference: several instances
  for (auto &t : workers)
    t.join();
}

void positivePushBackFromAsync(int n) {
  std::vector<int> out;
  std::vector<std::future<void>> futures;
  for (int i = 0; i < n; ++i)
    futures.push_back(std::async(std::launch::async, [&out, i] { out.push_back(i); }));
  // CHECK-MESSAGES: :[[@LINE-1]]:66: warning: unsynchronized write to 'out', captured by reference: several instances
  for (auto &f : futures)
    f.wait();
}

void positiveStringAppendInLoop(int n) {
  std::string log;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&] { log += "x"; });
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: unsynchronized write to 'log', captured by reference: several instances
  for (auto &t : workers)
    t.join();
}

// A global written by a task spawned in a loop.
long total;
void positiveGlobalInLoop(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([i] { total += i; });
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: unsynchronized write to 'total', a global: several instances
  for (auto &t : workers)
    t.join();
}

// ---------------------------------------------------- two spawn sites

void positiveTwoSites() {
  int shared = 0;
  std::thread a([&shared] { shared = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'shared', captured by reference: another spawned task writes it too
  std::thread b([&shared] { shared = 2; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'shared', captured by reference: another spawned task writes it too
  a.join();
  b.join();
}

// -------------------------------------- the parent uses it before joining

int positiveParentReadsBeforeJoin() {
  int result = 0;
  std::thread t([&result] { result = 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: unsynchronized write to 'result', captured by reference: the spawning function uses it before joining
  int early = result;
  t.join();
  return early;
}

// ------------------------------------------------------------ negatives

int negativeJoinedBeforeUse() {
  int result = 0;
  std::thread t([&result] { result = 42; });
  t.join();
  return result;
}

int negativeWriteUnderLock(int n) {
  int count = 0;
  std::mutex mu;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&] {
      std::lock_guard<std::mutex> g(mu);
      ++count;
    });
  for (auto &w : workers)
    w.join();
  return count;
}

int negativeAtomic(int n) {
  std::atomic<int> count{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&count] { ++count; });
  for (auto &w : workers)
    w.join();
  return count;
}

// Disjoint per-thread slots: each task writes its own element.
void negativeDisjointSlots(int n) {
  std::vector<int> results(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&results, i] { results[i] = i * i; });
  for (auto &w : workers)
    w.join();
}

// Joined inside the iteration: one instance at a time.
void negativeJoinedInIteration(int n) {
  int last = 0;
  for (int i = 0; i < n; ++i) {
    std::thread t([&last, i] { last = i; });
    t.join();
  }
}

// Two sites, the first joined before the second starts.
void negativeSequentialSites() {
  int value = 0;
  std::thread a([&value] { value = 1; });
  a.join();
  std::thread b([&value] { value = 2; });
  b.join();
}

// Captured by copy (mutable): each task writes its own copy.
void negativeCopyCapture(int n) {
  int seed = 1;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([seed]() mutable { seed *= 2; });
  for (auto &w : workers)
    w.join();
}

// Locals of the task are its own.
void negativeTaskLocal(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      int local = 0;
      ++local;
    });
  for (auto &w : workers)
    w.join();
}

thread_local int perThread;
void negativeThreadLocal(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] { ++perThread; });
  for (auto &w : workers)
    w.join();
}

void negativeNolint(int n) {
  int count = 0;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&count] { ++count; }); // NOLINT(threadlint-unsynchronized-capture-write)
  for (auto &w : workers)
    w.join();
}

// Ordered by something the check cannot follow (a pipe): not judged.
#include <unistd.h>
int fds[2];
int viaPipe;
void negativeOrderedByAPipe() {
  std::thread a([] {
    viaPipe = 1;
    ::write(fds[1], "x", 1);
  });
  std::thread b([] {
    char c;
    ::read(fds[0], &c, 1);
    viaPipe = 2;
  });
  a.join();
  b.join();
}

// A project's own guard (abseil's SpinLockHolder shape) protects the write.
class Spin {
public:
  void Lock();
  void Unlock();
};
class SpinHolder {
public:
  explicit SpinHolder(Spin *s);
  ~SpinHolder();
};
Spin spinLock;
int reused;
void negativeUnderProjectGuard(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      SpinHolder h(&spinLock);
      reused++;
    });
  for (auto &t : workers)
    t.join();
}

// The parent polls a state the thread publishes before it reads the value
// (cpp-httplib's tests wait for a server this way).
struct Server {
  int bind();
  bool isRunning() const;
};
int negativePolledHandshake(Server &s) {
  int port = 0;
  std::thread t([&] { port = s.bind(); });
  while (!s.isRunning())
    std::this_thread::yield();
  int seen = port;
  t.join();
  return seen;
}
