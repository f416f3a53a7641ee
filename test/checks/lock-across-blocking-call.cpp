// RUN: %check_threadlint %s threadlint-lock-across-blocking-call %t -- -- -std=c++20 -pthread -I%S

#include <barrier>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <latch>
#include <mutex>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore>
#include <shared_mutex>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

std::mutex mu;
std::mutex other;
std::shared_mutex rw;
pthread_mutex_t pmu = PTHREAD_MUTEX_INITIALIZER;
int fd;
char buf[64];

// ------------------------------------------------------------- lock kinds

void positiveLockGuard() {
  std::lock_guard<std::mutex> g(mu);
  recv(fd, buf, sizeof buf, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'recv' (socket I/O) while holding 'mu'; move the call out of the critical section [threadlint-lock-across-blocking-call]
}

void positiveScopedLockOfTwo() {
  std::scoped_lock both(mu, other);
  ::sleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'sleep' (sleep) while holding 'mu' and 'other'
}

void positiveUniqueLock() {
  std::unique_lock<std::mutex> lk(mu);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'std::this_thread::sleep_for' (sleep) while holding 'mu'
}

void positiveUniqueLockRelocked() {
  std::unique_lock<std::mutex> lk(mu);
  lk.unlock();
  ::usleep(1);
  lk.lock();
  ::usleep(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
}

void positiveDeferThenLock() {
  std::unique_lock<std::mutex> lk(mu, std::defer_lock);
  ::usleep(1);
  lk.lock();
  ::usleep(2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
}

void positiveAdoptLock() {
  mu.lock();
  std::lock_guard<std::mutex> g(mu, std::adopt_lock);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
}

void positiveReleasedGuardStillLocked() {
  std::unique_lock<std::mutex> lk(mu);
  std::mutex *m = lk.release();
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
  m->unlock();
}

void positiveSharedLock() {
  std::shared_lock<std::shared_mutex> r(rw);
  ::read(fd, buf, sizeof buf);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'read' (file I/O) while holding 'rw'
}

void positiveManualLock() {
  mu.lock();
  ::write(fd, buf, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'write' (file I/O) while holding 'mu'
  mu.unlock();
}

void positiveManualSharedLock() {
  rw.lock_shared();
  ::write(fd, buf, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'write' (file I/O) while holding 'rw'
  rw.unlock_shared();
}

void positivePthreadMutex() {
  pthread_mutex_lock(&pmu);
  ::send(fd, buf, 1, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'send' (socket I/O) while holding 'pmu'
  pthread_mutex_unlock(&pmu);
}

void positiveStdLockOfTwo() {
  std::lock(mu, other);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu' and 'other'
  mu.unlock();
  other.unlock();
}

// A project's own lockable: anything with lock() and unlock().
class SpinLock {
public:
  void lock();
  void unlock();
};
SpinLock spin;

void positiveBasicLockable() {
  std::lock_guard<SpinLock> g(spin);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'spin'
}

// --------------------------------------------------------- blocking families

void positiveFamilies(std::thread &t, std::future<int> &f,
                      std::shared_future<void> &sf, std::latch &l,
                      std::barrier<> &b, std::counting_semaphore<4> &s) {
  std::lock_guard<std::mutex> g(mu);
  t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::thread::join' (thread join) while holding 'mu'
  f.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::future<int>::get' (future wait) while holding 'mu'
  sf.wait(); // the second future wait of this critical section: not repeated
  l.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::latch::wait' (latch wait) while holding 'mu'
  b.arrive_and_wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::barrier<>::arrive_and_wait' (barrier wait) while holding 'mu'
  s.acquire();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::counting_semaphore<4>::acquire' (semaphore wait) while holding 'mu'
  std::system("true");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'system' (process) while holding 'mu'
  FILE *p = popen("ls", "r"); // a second process wait: not repeated
  addrinfo *res = nullptr;
  getaddrinfo("example.org", "80", nullptr, &res);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'getaddrinfo' (DNS lookup) while holding 'mu'
  char line[80];
  fgets(line, sizeof line, p);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'fgets' (stdio) while holding 'mu'
  connect(fd, nullptr, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'connect' (socket I/O) while holding 'mu'
}

void positiveFileStreamOpened(const std::string &path) {
  std::lock_guard<std::mutex> g(mu);
  std::ofstream out(path);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: blocking call 'std::ofstream' (file stream) while holding 'mu'
  out << 42 << '\n'; // the same kind of wait in the same section: not repeated
}

void positiveFileStreamWritten(std::ofstream &out) {
  std::lock_guard<std::mutex> g(mu);
  out << 42 << '\n';
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: blocking call 'operator<<' (file stream) while holding 'mu'
}

void positiveFileStreamLine(std::ifstream &in, std::string &text) {
  std::lock_guard<std::mutex> g(mu);
  std::getline(in, text);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'std::getline' (file stream) while holding 'mu'
}

void positivePopen() {
  std::lock_guard<std::mutex> g(mu);
  FILE *p = popen("ls", "r");
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: blocking call 'popen' (process) while holding 'mu'
  (void)p;
}

void positiveSharedFuture(std::shared_future<void> &sf) {
  std::lock_guard<std::mutex> g(mu);
  sf.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: blocking call 'std::shared_future<void>::wait' (future wait) while holding 'mu'
}

// Waiting on a condition variable releases the lock it waits with; any other
// lock stays held for the whole wait.
std::condition_variable cv;
bool ready;

void positiveConditionWaitHoldingAnotherLock() {
  std::lock_guard<std::mutex> o(other);
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk, [] { return ready; });
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: blocking call 'std::condition_variable::wait' (condition variable wait) while holding 'other'
}

// ------------------------------------------------------- indirect blocking

int fetch() { return static_cast<int>(recv(fd, buf, sizeof buf, 0)); }
int parse() { return fetch() + 1; }
void waitReady() {
  std::unique_lock<std::mutex> lk(other);
  cv.wait(lk, [] { return ready; });
}

void positiveIndirect() {
  std::lock_guard<std::mutex> g(mu);
  parse();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'parse' may block (socket I/O in 'recv') while holding 'mu'; move the call out of the critical section
}

void positiveIndirectConditionWait() {
  std::lock_guard<std::mutex> g(mu);
  waitReady();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'waitReady' may block (condition variable wait in 'std::condition_variable::wait') while holding 'mu'
}

// --------------------------------------------------- members and lambdas

class Connection {
public:
  void send(const char *data);
  void flush();

private:
  void writeAll() { ::write(sock_, out_, 1); }
  std::mutex mu_;
  int sock_ = -1;
  char out_[8];
};

void Connection::send(const char *data) {
  std::lock_guard<std::mutex> g(this->mu_);
  writeAll();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'Connection::writeAll' may block (file I/O in 'write') while holding 'mu_'
}

void negativeLockOutsideLambdaIsNotHeldInside() {
  std::lock_guard<std::mutex> g(mu);
  auto later = [] { ::usleep(1); };
  (void)later;
}

void positiveLockInsideLambda() {
  std::thread t([] {
    std::lock_guard<std::mutex> g(mu);
    ::usleep(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'usleep' (sleep) while holding 'mu'
  });
  t.join();
}

template <typename M> void positiveTemplate(M &m) {
  std::lock_guard<M> g(m);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'm'
}
template void positiveTemplate(std::mutex &);
template void positiveTemplate(std::recursive_mutex &);

#define SLEEP_A_BIT() ::usleep(10)
void positiveInMacro() {
  std::lock_guard<std::mutex> g(mu);
  SLEEP_A_BIT();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
}

// One warning per blocking function per critical section.
void positiveReportedOncePerSection() {
  std::lock_guard<std::mutex> g(mu);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
  ::usleep(2);
}

// ------------------------------------------------------------- negatives

void negativeIoBeforeTheLock() {
  ::read(fd, buf, 1);
  std::lock_guard<std::mutex> g(mu);
}

void negativeIoAfterGuardScope() {
  {
    std::lock_guard<std::mutex> g(mu);
  }
  ::read(fd, buf, 1);
}

void negativeUnlockedBeforeCall() {
  std::unique_lock<std::mutex> lk(mu);
  lk.unlock();
  ::sleep(1); // ANALYZER-DIFFERS: unix.BlockInCriticalSection does not see unique_lock::unlock()
}

void negativeManualUnlockBeforeCall() {
  mu.lock();
  mu.unlock();
  ::sleep(1);
}

void negativeReleasedOnOneBranchOnly(bool done) {
  std::unique_lock<std::mutex> lk(mu);
  if (done)
    lk.unlock();
  ::sleep(1); // ANALYZER-DIFFERS: held on one path only; we flag locks held on every path
}

void negativeEarlyReturnUnderLock(bool stop) {
  {
    std::lock_guard<std::mutex> g(mu);
    if (stop)
      return;
  }
  ::sleep(1);
}

void negativeConditionWaitOnTheHeldLock() {
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk, [] { return ready; });
  cv.wait_for(lk, std::chrono::milliseconds(1));
}

void negativeDeferredNeverLocked() {
  std::unique_lock<std::mutex> lk(mu, std::defer_lock);
  ::usleep(1);
}

void negativeTryLockNotKnownToHold() {
  std::unique_lock<std::mutex> lk(mu, std::try_to_lock);
  ::usleep(1);
}

void negativeConsoleOutputIsExcluded() {
  std::lock_guard<std::mutex> g(mu);
  std::printf("%d\n", 1);
  std::cout << "state" << std::endl;
  std::fprintf(stderr, "oops\n");
}

void negativeStringStreamsAreNotFiles(std::string &s) {
  std::lock_guard<std::mutex> g(mu);
  s += "x";
}

// A call that can only block through a lock it is handed releases it.
void waitWith(std::unique_lock<std::mutex> &lk) {
  cv.wait(lk, [] { return ready; });
}
void negativeHelperWaitsWithTheCallersLock() {
  std::unique_lock<std::mutex> lk(mu);
  waitWith(lk);
}

int pure(int x) { return x * 2; }
void negativeHelperThatDoesNotBlock() {
  std::lock_guard<std::mutex> g(mu);
  pure(3);
}

void negativeNolint() {
  std::lock_guard<std::mutex> g(mu);
  ::usleep(1); // NOLINT(threadlint-lock-across-blocking-call)
}

// A condition-variable wrapper that waits on the caller's mutex through a
// pointer (leveldb's port::CondVar): the helper's wait releases the lock the
// caller holds, so it does not block with it held.
class CondVar {
public:
  explicit CondVar(std::mutex *m) : m_(m) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(*m_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }

private:
  std::condition_variable cv_;
  std::mutex *m_;
};

class Db {
public:
  void negativeWrapperWaitsOnTheHeldMutex() {
    std::lock_guard<std::mutex> g(mu_);
    while (!done_)
      signal_.Wait();
  }

private:
  std::mutex mu_;
  CondVar signal_{&mu_};
  bool done_ = false;
};

// A project's own guard, not listed in GuardTypes: a class with a
// destructor constructed on a lockable object.
class Spin {
public:
  void Lock();
  void Unlock();
};
class SpinHolder {
public:
  explicit SpinHolder(Spin *s) : s_(s) { s_->Lock(); }
  ~SpinHolder() { s_->Unlock(); }

private:
  Spin *s_;
};
Spin spinLock;
void positiveStructuralGuard() {
  SpinHolder h(&spinLock);
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'spinLock'
}

// A guard that waits for a condition before it locks still holds the lock.
struct Condition {
  bool (*pred)(int *);
  int *arg;
};
class CondGuard {
public:
  CondGuard(std::mutex &m, Condition c);
  ~CondGuard();
};
bool positiveCondition(int *n) { return *n > 0; }
void positiveGuardWithCondition(int *n) {
  CondGuard g(mu, Condition{positiveCondition, n});
  ::usleep(1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'usleep' (sleep) while holding 'mu'
}

// ------------------------------------------------------- zero timeouts
// A timed wait whose timeout is a constant zero only looks at the state: it
// cannot wait, so it does not block anyone waiting for the lock.
void negativeZeroTimeoutPoll(pollfd *fds) {
  std::lock_guard<std::mutex> g(mu);
  poll(fds, 1, 0);
}

void negativeZeroTimeoutEpoll(epoll_event *events) {
  std::lock_guard<std::mutex> g(mu);
  epoll_wait(fd, events, 8, 0);
}

constexpr auto kNoWait = std::chrono::milliseconds::zero();
void negativeZeroDurationFutureWait(std::future<int> &f) {
  std::lock_guard<std::mutex> g(mu);
  f.wait_for(std::chrono::seconds(0));
  f.wait_for(kNoWait);
}

void negativeZeroDurationConditionWaitHoldingAnotherLock(
    std::condition_variable &cv) {
  std::lock_guard<std::mutex> g(other);
  std::unique_lock<std::mutex> lk(mu);
  cv.wait_for(lk, std::chrono::milliseconds(0));
}

void negativeZeroDurationSemaphore(std::counting_semaphore<4> &s) {
  std::lock_guard<std::mutex> g(mu);
  (void)s.try_acquire_for(std::chrono::microseconds(0));
}

void positivePollWithATimeout(pollfd *fds, int timeout) {
  std::lock_guard<std::mutex> g(mu);
  poll(fds, 1, timeout);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'poll' (I/O wait) while holding 'mu'
}

void positivePollForever(pollfd *fds) {
  std::lock_guard<std::mutex> g(mu);
  poll(fds, 1, -1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'poll' (I/O wait) while holding 'mu'
}

void positiveFutureWaitForHalfASecond(std::future<int> &f) {
  std::lock_guard<std::mutex> g(mu);
  f.wait_for(std::chrono::duration<double>(0.5));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: blocking call 'std::future<int>::wait_for' (future wait) while holding 'mu'
}

void positiveConditionWaitForOneMillisecond(std::condition_variable &cv) {
  std::lock_guard<std::mutex> g(other);
  std::unique_lock<std::mutex> lk(mu);
  cv.wait_for(lk, std::chrono::milliseconds(1));
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: blocking call 'std::condition_variable::wait_for' (condition variable wait) while holding 'other'
}

// A helper that only polls does not block its callers either.
bool readyNow(std::future<int> &f) {
  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}
void negativeHelperThatPolls(std::future<int> &f) {
  std::lock_guard<std::mutex> g(mu);
  (void)readyNow(f);
}

// ------------------------------------------------------- no-op mutexes
// A mutex type whose lock() does nothing (spdlog's null_mutex, used for
// single-threaded loggers) excludes no one: holding it is not a lock.
struct NullMutex {
  void lock() const {}
  void unlock() const {}
  bool try_lock() const { return true; }
};
NullMutex nullMu;
void negativeNoOpMutexLocksNothing() {
  std::lock_guard<NullMutex> g(nullMu);
  ::usleep(1);
}

// --------------------------------------------------------- standard input
// Reading std::cin waits for whoever types: other threads wait with it.
void positiveReadFromStandardInput(std::string &word) {
  std::lock_guard<std::mutex> g(mu);
  std::cin >> word;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: blocking call 'operator>>' (stdio) while holding 'mu'
}

void positiveLineFromStandardInput(std::string &line) {
  std::lock_guard<std::mutex> g(mu);
  std::getline(std::cin, line);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'std::getline' (stdio) while holding 'mu'
}

void negativeStandardInputReadBeforeTheLock(std::string &word) {
  std::cin >> word;
  std::lock_guard<std::mutex> g(mu);
}

// ------------------------------------------------------- library macros
// A macro another file defines whose helper may block (an assertion's
// failure report reads a file): its user cannot move that call, and it
// runs only when the assertion fails. Not judged.
#include "Inputs/assert-macro.h"
void negativeLibraryAssertionUnderLock(int n) {
  std::lock_guard<std::mutex> g(mu);
  CHECK_THAT(n > 0);
}

// The same inside a lambda called under the lock (taskflow's reduce calls
// the user's operator holding its mutex; doctest's REQUIRE in the operator).
void negativeLambdaWithLibraryAssertion(int n) {
  auto op = [n] { CHECK_THAT(n > 0); };
  std::lock_guard<std::mutex> g(mu);
  op();
}

// A library macro that blocks by itself is still reported.
void positiveLibraryMacroThatWrites(FILE *f) {
  std::lock_guard<std::mutex> g(mu);
  WRITE_NOW(f, "x", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: blocking call 'fwrite' (stdio) while holding 'mu'
}
