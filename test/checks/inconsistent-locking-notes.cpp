// RUN: %check_threadlint %s threadlint-inconsistent-locking %t -- -- -std=c++17 -pthread

// The notes: a guarded access naming the mutex, the declaration of a
// declared guard, and what makes the two accesses concurrent (the thread
// that runs one of them, or a public member function of a class that locks
// for its callers).

#include <mutex>
#include <thread>
#include <vector>

void use(int);

// Nothing shows a thread: two member functions of a class that locks.
class Inbox {
public:
  void push(int m) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(m);
  }
  bool empty() { return items_.empty(); }

private:
  std::mutex mu_;
  std::vector<int> items_;
};
void drain(Inbox &box) {
  while (!box.empty())
    use(0);
}
// CHECK-NOTES: :[[@LINE-10]]:25: warning: 'items_' is read without holding 'mu_', which is held at 1 of its 2 accesses [threadlint-inconsistent-locking]
// CHECK-NOTES: :[[@LINE-13]]:5: note: 'items_' is written with 'mu_' held here
// CHECK-NOTES: :[[@LINE-12]]:8: note: 'Inbox::empty' is a public member function of 'Inbox', a class that locks 'mu_' for callers on several threads

// A member function runs on the worker thread.
class Spooler {
public:
  void start() { worker_ = std::thread(&Spooler::run, this); }
  void join() { worker_.join(); }
  int pages() const { return pages_; }

private:
  void run() {
    std::lock_guard<std::mutex> g(mu_);
    pages_ = pages_ + 1;
  }
  std::thread worker_;
  mutable std::mutex mu_;
  int pages_ = 0;
};
void print(Spooler &s) { use(s.pages()); }
// CHECK-NOTES: :[[@LINE-12]]:30: warning: 'pages_' is read without holding 'mu_', which is held at 2 of its 3 accesses
// CHECK-NOTES: :[[@LINE-8]]:5: note: 'pages_' is written with 'mu_' held here
// CHECK-NOTES: :[[@LINE-16]]:28: note: 'Spooler::run' runs on the thread started here

// A declared guard: its declaration is a note of its own.
class Gauge {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    level_ = v;
  }
  int level() { return level_; }

private:
  std::mutex mu_;
  int level_ __attribute__((guarded_by(mu_))) = 0;
};
void show(Gauge &g) { use(g.level()); }
// CHECK-NOTES: :[[@LINE-7]]:24: warning: 'level_' is read without holding 'mu_', which is declared to guard it
// CHECK-NOTES: :[[@LINE-4]]:29: note: 'level_' is declared guarded by 'mu_' here
// CHECK-NOTES: :[[@LINE-11]]:5: note: 'level_' is written with 'mu_' held here
// CHECK-NOTES: :[[@LINE-10]]:7: note: 'Gauge::level' is a public member function of 'Gauge', a class that locks 'mu_' for callers on several threads

// Globals: the thread started with the unguarded function is named.
std::mutex queue_mu;
int queued = 0;
void producer() {
  std::lock_guard<std::mutex> g(queue_mu);
  ++queued;
}
void consumer() { queued = 0; }
void runQueue() {
  std::thread p(producer);
  std::thread c(consumer);
  p.join();
  c.join();
}
// CHECK-NOTES: :[[@LINE-7]]:19: warning: 'queued' is written without holding 'queue_mu', which is held at 1 of its 2 accesses
// CHECK-NOTES: :[[@LINE-10]]:5: note: 'queued' is written with 'queue_mu' held here
// CHECK-NOTES: :[[@LINE-6]]:15: note: 'consumer' runs on the thread started here
