// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++20 -pthread
// RUN: %check_threadlint %s threadlint-thread-not-joined %t -- -- -std=c++20 -pthread -DNDEBUG
// A started thread member is handled only when the destructor, or a member
// function it calls, joins or detaches it.

#include <iostream>
#include <memory>
#include <thread>
#include <vector>

void work();
bool ready();

// ------------------------------------------------------------------ positives

// The joining member function is public and the destructor does not call it:
// an owner that returns early without calling terminate() destroys a
// joinable thread.
class Listener {
public:
  void start() { thread_ = std::thread(&Listener::run, this); }
  void terminate() {
    if (thread_.joinable())
      thread_.join();
  }
  ~Listener() = default;

private:
  void run();
  std::thread thread_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'thread_' is started but the destructor of 'Listener' neither joins nor detaches it; destroying it while joinable calls std::terminate [threadlint-thread-not-joined]
};

// Started in the constructor, joined in Stop(), implicit destructor.
class Reader {
public:
  Reader() : worker_([this] { loop(); }) {}
  void Stop() { worker_.join(); }

private:
  void loop();
  std::thread worker_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'worker_' is started but the destructor of 'Reader' neither joins nor detaches it
};

// The destructor calls a helper, but not the one that joins.
class Flusher {
public:
  void start() { flusher_ = std::thread([this] { flushLoop(); }); }
  void shutdown() { flusher_.join(); }
  ~Flusher() { release(); }

private:
  void flushLoop();
  void release() {}
  std::thread flusher_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'flusher_' is started but the destructor of 'Flusher' neither joins nor detaches it
};

// Printing the thread's id in the destructor does not join it.
class Logger {
public:
  void start() { writer_ = std::thread(work); }
  void stop() { writer_.join(); }
  ~Logger() { std::cout << "logger " << writer_.get_id() << " gone\n"; }

private:
  std::thread writer_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'writer_' is started but the destructor of 'Logger' neither joins nor detaches it
};

// A container of threads, joined only in shutdown().
class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { serve(); });
  }
  void shutdown() {
    for (auto &w : workers_)
      w.join();
  }

private:
  void serve();
  std::vector<std::thread> workers_;
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: threads in member 'workers_' are started but the destructor of 'Pool' neither joins nor detaches them; destroying a joinable thread calls std::terminate
};

// A thread behind a unique_ptr.
class Ticker {
public:
  void start() { ticker_ = std::make_unique<std::thread>(work); }
  void stop() { ticker_->join(); }

private:
  std::unique_ptr<std::thread> ticker_;
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: thread member 'ticker_' is started but the destructor of 'Ticker' neither joins nor detaches it
};

// Moving between objects of the class is no way out of it.
class Movable {
public:
  Movable() : t_(work) {}
  Movable(Movable &&other) : t_(std::move(other.t_)) {}
  Movable &operator=(Movable &&other) {
    t_ = std::move(other.t_);
    return *this;
  }
  void join() { t_.join(); }

private:
  std::thread t_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 't_' is started but the destructor of 'Movable' neither joins nor detaches it
};

// A class template: reported once, on the template.
template <typename T> class Consumer {
public:
  void start() { thread_ = std::thread([this] { consume(); }); }
  void stop() { thread_.join(); }

private:
  void consume() {}
  std::thread thread_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'thread_' is started but the destructor of 'Consumer' neither joins nor detaches it
};

void useConsumers() {
  Consumer<int> a;
  a.start();
  a.stop();
  Consumer<long> b;
  b.start();
  b.stop();
}

// Started through a macro.
#define START_THREAD(member, fn) member = std::thread([this] { fn(); })

class Macroed {
public:
  void start() { START_THREAD(thread_, tick); }
  void stop() { thread_.join(); }

private:
  void tick();
  std::thread thread_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'thread_' is started but the destructor of 'Macroed' neither joins nor detaches it
};

// Not a test fixture (no Test base): TearDown() is just a member function.
class LooksLikeAFixture {
protected:
  void SetUp() { server_ = std::thread(work); }
  void TearDown() { server_.join(); }

private:
  std::thread server_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'server_' is started but the destructor of 'LooksLikeAFixture' neither joins nor detaches it
};

namespace testing {
class Test {
public:
  virtual ~Test() = default;
  virtual void SetUp() {}
  virtual void TearDown() {}
};
} // namespace testing

// A fixture whose TearDown() does not join: a test that fails an assertion
// before calling stopServer() destroys a joinable thread.
class ServerFixture : public testing::Test {
protected:
  void SetUp() override { server_ = std::thread(work); }
  void stopServer() { server_.join(); }

private:
  std::thread server_;
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: thread member 'server_' is started but the destructor of 'ServerFixture' neither joins nor detaches it
};

// ------------------------------------------------------------------ negatives

// The destructor calls stop(), which calls joinAll(): followed.
class NegativeJoinedThroughHelpers {
public:
  void start() { thread_ = std::thread(&NegativeJoinedThroughHelpers::run, this); }
  ~NegativeJoinedThroughHelpers() { stop(); }

private:
  void stop() {
    if (!ready())
      return;
    joinAll();
  }
  void joinAll() {
    if (thread_.joinable())
      thread_.join();
  }
  void run();
  std::thread thread_;
};

// The destructor joins every thread of the container.
class NegativeContainerJoinedInDestructor {
public:
  void start() {
    for (int i = 0; i < 4; ++i)
      workers_.emplace_back(work);
  }
  ~NegativeContainerJoinedInDestructor() {
    for (std::thread &w : workers_)
      if (w.joinable())
        w.join();
  }

private:
  std::vector<std::thread> workers_;
};

// By index and by iterator.
class NegativeContainerJoinedByIndex {
public:
  void start() { workers_.push_back(std::thread(work)); }
  ~NegativeContainerJoinedByIndex() {
    for (size_t i = 0; i < workers_.size(); ++i)
      workers_[i].join();
  }

private:
  std::vector<std::thread> workers_;
};

class NegativeContainerJoinedByIterator {
public:
  void start() { workers_.emplace_back(work); }
  ~NegativeContainerJoinedByIterator() {
    for (auto it = workers_.begin(); it != workers_.end(); ++it)
      it->join();
  }

private:
  std::vector<std::thread> workers_;
};

// A gtest fixture whose TearDown() joins: gtest calls it after each test.
class NegativeFixtureTearDownJoins : public testing::Test {
protected:
  void SetUp() override { server_ = std::thread(work); }
  void TearDown() override { stopServer(); }
  void stopServer() {
    if (server_.joinable())
      server_.join();
  }

private:
  std::thread server_;
};

// A continuation joins the thread; the destructor waits for it. The check
// does not follow the lambda, and says nothing.
struct Task {
  template <typename F> Task then(F f);
  void wait();
};
class NegativeJoinedInAContinuation {
public:
  void start() { thread_ = std::thread(work); }
  Task close(Task t) {
    return t.then([this] { thread_.join(); });
  }
  ~NegativeJoinedInAContinuation() { closing_.wait(); }

private:
  Task closing_;
  std::thread thread_;
};

// The destructor calls a member function defined in another file.
class NegativeDestructorCallsOutOfLine {
public:
  void start() { thread_ = std::thread(work); }
  void stop() { thread_.join(); }
  ~NegativeDestructorCallsOutOfLine() { shutdown(); }

private:
  void shutdown(); // not in this translation unit
  std::thread thread_;
};

// Joined where it is started.
class NegativeJoinedWhereStarted {
public:
  void runOnce() {
    thread_ = std::thread(work);
    thread_.join();
  }

private:
  std::thread thread_;
};

// Handed to the caller: ownership leaves the class.
class NegativeHandedOut {
public:
  void start() { thread_ = std::thread(work); }
  std::thread release() { return std::move(thread_); }

private:
  std::thread thread_;
};

// A public member joined by the code that owns the object.
struct NegativeJoinedByItsOwner {
  void start() { thread = std::thread(work); }
  std::thread thread;
};
void finish(NegativeJoinedByItsOwner &job) { job.thread.join(); }

// A derived class's destructor calls the base's stop().
class WorkerBase {
public:
  void start() { thread_ = std::thread(work); }
  void stop() { thread_.join(); }

private:
  std::thread thread_;
};
class NegativeDerivedDestructorStops : public WorkerBase {
public:
  ~NegativeDerivedDestructorStops() { stop(); }
};

// An abstract class: the derived classes, elsewhere, may join it.
class NegativeAbstract {
public:
  void start() { thread_ = std::thread(work); }
  void stop() { thread_.join(); }
  virtual void run() = 0;
  virtual ~NegativeAbstract() = default;

private:
  std::thread thread_;
};

// A joiner member built from the thread.
class Joiner {
public:
  explicit Joiner(std::thread &t) : t_(t) {}
  ~Joiner() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread &t_;
};
class NegativeJoinerMember {
public:
  void start() { thread_ = std::thread(work); }

private:
  std::thread thread_;
  Joiner joiner_{thread_};
};

// A class template whose destructor calls stop().
template <typename T> class NegativeTemplateStops {
public:
  void start() { thread_ = std::thread([this] { consume(); }); }
  void stop() {
    if (thread_.joinable())
      thread_.join();
  }
  ~NegativeTemplateStops() { stop(); }

private:
  void consume() {}
  std::thread thread_;
};

void useTemplateStops() {
  NegativeTemplateStops<int> s;
  s.start();
}

// Started through a macro, joined in the destructor.
class NegativeMacroStartedJoinedInDestructor {
public:
  void start() { START_THREAD(thread_, tick); }
  ~NegativeMacroStartedJoinedInDestructor() { thread_.join(); }

private:
  void tick();
  std::thread thread_;
};

// Detached where it is started.
class NegativeDetachedAtStart {
public:
  NegativeDetachedAtStart() : thread_(work) { thread_.detach(); }

private:
  std::thread thread_;
};

class NegativeJThread {
public:
  void start() { thread_ = std::jthread(work); }

private:
  std::jthread thread_;
};

// The destructor asserts that the owner joined first: a stated protocol.
#include <cassert>
class NegativeDestructorAssertsJoined {
public:
  void start() { workers_.emplace_back(work); }
  void join() {
    for (auto &w : workers_)
      w.join();
    workers_.clear();
  }
  ~NegativeDestructorAssertsJoined() { assert(workers_.empty()); }

private:
  std::vector<std::thread> workers_;
};

// The destructor hands the thread to a function that may join it.
void joinQuietly(std::thread &t);
class NegativeDestructorHandsToAJoiner {
public:
  NegativeDestructorHandsToAJoiner() : thread_(work) {}
  ~NegativeDestructorHandsToAJoiner() { joinQuietly(thread_); }

private:
  std::thread thread_;
};

// this->stop() from the destructor, stop() defined out of line.
class NegativeExplicitThisCall {
public:
  NegativeExplicitThisCall();
  ~NegativeExplicitThisCall() { this->stop(); }
  void stop();

private:
  std::thread thread_;
};
NegativeExplicitThisCall::NegativeExplicitThisCall() : thread_(work) {}
void NegativeExplicitThisCall::stop() { thread_.join(); }

// A member function template joins in a continuation (the cpprest shape).
class NegativeContinuationInAMemberTemplate {
public:
  void start() { thread_ = std::thread(work); }
  template <typename T> void closeAfter(T task) {
    task.then([this] {
      if (thread_.joinable())
        thread_.join();
    });
  }

private:
  std::thread thread_;
};
