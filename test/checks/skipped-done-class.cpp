// RUN: %check_threadlint %s threadlint-skipped-done %t -- -- -std=c++20 -pthread
// The protocol spread over a class: work started in start() (or the
// constructor), a member function as the thread entry, the wait in
// finish().

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

bool valid(int);
void process(int);

class Batch {
public:
  explicit Batch(int n) : n_(n), done_(n) {}

  void start() {
    for (int i = 0; i < n_; ++i)
      workers_.emplace_back(&Batch::work, this, i);
  }

private:
  void work(int i) {
    if (!valid(i))
      return;
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'return' skips 'done_.count_down()'; the waiter at 'done_.wait()' can hang [threadlint-skipped-done]
    process(i);
    done_.count_down();
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the other paths signal 'done_' here
  }

public:
  void finish() {
    done_.wait();
    // CHECK-NOTES: :[[@LINE-1]]:5: note: 'finish' waits here for the signal
    for (auto &w : workers_)
      w.join();
  }

private:

  int n_;
  std::latch done_;
  std::vector<std::thread> workers_;
};

// Work started in the constructor, a pending counter waited for in the
// destructor's drain().
class Uploader {
public:
  explicit Uploader(int n) : pending_(n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this, i] { upload(i); });
  }
  ~Uploader() { drain(); }

private:
  void upload(int i) {
    if (!valid(i))
      return;
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'return' skips '--pending_'; the waiter at 'pending_.load() != 0' can hang [threadlint-skipped-done]
    process(i);
    --pending_;
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the other paths signal 'pending_' here
  }

public:
  void drain() {
    while (pending_.load() != 0)
    // CHECK-NOTES: :[[@LINE-1]]:12: note: 'drain' waits here for the signal
      std::this_thread::yield();
    for (auto &w : workers_)
      w.join();
  }

private:

  std::atomic<int> pending_;
  std::vector<std::thread> workers_;
};

// The guard idiom on a member: fine.
class GoodBatch {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back(&GoodBatch::work, this, i);
  }
  void finish() {
    done_.wait();
    for (auto &w : workers_)
      w.join();
  }

private:
  struct Arrive {
    GoodBatch *self;
    ~Arrive() { self->done_.count_down(); }
  };
  void work(int i) {
    Arrive arrive{this};
    if (!valid(i))
      return;
    process(i);
  }
  std::latch done_{4};
  std::vector<std::thread> workers_;
};
