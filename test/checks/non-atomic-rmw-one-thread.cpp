// RUN: %check_threadlint %s threadlint-non-atomic-rmw %t -- -- -std=c++17 -pthread

// A member atomic that only the object's own thread writes has one writer:
// a split update loses nothing (the concurrency model's soleThreadOf). The
// thread is kept in a member std::thread (one running at a time), started
// once, and nothing outside its work calls into the work. Any other writer,
// or a way for a second thread to run the work, keeps the finding.

#include <atomic>
#include <thread>
#include <vector>

bool more();

// --- Negatives: one thread writes ------------------------------------------

// The worker's own progress counter; a getter only reads it.
class ProgressWorker {
public:
  void start() { worker_ = std::thread(&ProgressWorker::run, this); }
  void stop() { worker_.join(); }
  long processed() const { return processed_.load(); }

private:
  void run() {
    while (more())
      processed_.store(processed_.load() + 1);
  }
  std::atomic<long> processed_{0};
  std::thread worker_;
};

// The same from a lambda capturing `this`, through a private helper it
// calls, and a check-then-act on a state only the worker moves.
class Poller {
public:
  Poller() : thread_([this] { loop(); }) {}
  ~Poller() { thread_.join(); }
  int state() const { return state_.load(); }

private:
  void loop() {
    while (more())
      step();
  }
  void step() {
    ticks_ = ticks_ + 1;
    if (state_ == 0)
      state_ = 1;
  }
  std::atomic<int> ticks_{0};
  std::atomic<int> state_{0};
  std::thread thread_;
};

// A class template: the instantiation's worker is the only writer.
template <typename T> class Sampler {
public:
  void start() { thread_ = std::thread([this] { sample(); }); }
  void join() { thread_.join(); }
  T last() const { return total_.load(); }

private:
  void sample() {
    while (more())
      total_.store(total_.load() + T(1));
  }
  std::atomic<T> total_{0};
  std::thread thread_;
};
template class Sampler<int>;

// --- Positives: another thread may write too --------------------------------

// A public method writes the counter as well.
class ResettableWorker {
public:
  void start() { worker_ = std::thread(&ResettableWorker::run, this); }
  void bump() {
    count_.store(count_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'count_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    count_.fetch_add(1);{{$}}
  }

private:
  void run() {
    while (more())
      count_.store(count_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read-modify-write of atomic 'count_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}      count_.fetch_add(1);{{$}}
  }
  std::atomic<int> count_{0};
  std::thread worker_;
};

// Several threads run the work: a vector of them, started in a loop.
class Crew {
public:
  void start() {
    for (int i = 0; i < 4; ++i)
      crew_.emplace_back([this] { work(); });
  }

private:
  void work() {
    done_.store(done_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'done_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    done_.fetch_add(1);{{$}}
  }
  std::atomic<int> done_{0};
  std::vector<std::thread> crew_;
};

// The work's function is public and called from outside the thread too.
class Ticker {
public:
  void start() { thread_ = std::thread(&Ticker::tick, this); }
  void tick() {
    ticks_.store(ticks_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'ticks_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    ticks_.fetch_add(1);{{$}}
  }

private:
  std::thread thread_;
  std::atomic<int> ticks_{0};
};
void tickFromHere(Ticker &t) { t.tick(); }

// Two threads, two members, one body.
class Pair {
public:
  void start() {
    a_ = std::thread(&Pair::run, this);
    b_ = std::thread(&Pair::run, this);
  }

private:
  void run() {
    hits_.store(hits_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'hits_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    hits_.fetch_add(1);{{$}}
  }
  std::atomic<int> hits_{0};
  std::thread a_, b_;
};

// No thread in sight: a library class whose callers may be many.
class Stats {
public:
  void record() {
    n_.store(n_.load() + 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read-modify-write of atomic 'n_' is split into a load and a separate store
    // CHECK-FIXES: {{^}}    n_.fetch_add(1);{{$}}
  }

private:
  std::atomic<int> n_{0};
};
