// RUN: %check_threadlint %s threadlint-inconsistent-locking %t -- -- -std=c++17 -pthread

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

void log(int);

// --- Positives: methods of a class that locks for its callers -----------

// The getter reads bare what the setter writes under the lock.
class Thermostat {
public:
  void set(int t) {
    std::lock_guard<std::mutex> g(mu_);
    target_ = t;
  }
  int get() const { return target_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'target_' is read without holding 'mu_', which is held at 1 of its 2 accesses [threadlint-inconsistent-locking]
  // CHECK-FIXES: {{^}}  int get() const { { std::lock_guard<std::mutex> lock(mu_); return target_; } }{{$}}

private:
  mutable std::mutex mu_;
  int target_ = 0;
};

// One method reads under the lock on one branch and bare on the other.
class Ledger {
public:
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += n;
  }
  int total(bool fast) {
    if (fast)
      return total_;
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'total_' is read without holding 'mu_', which is held at 2 of its 3 accesses
    std::lock_guard<std::mutex> g(mu_);
    return total_;
  }

private:
  std::mutex mu_;
  int total_ = 0;
};

// A unique_lock released early, then the field read.
class Meter {
public:
  void record(int v) {
    std::unique_lock<std::mutex> l(mu_);
    last_ = v;
    ++count_;
    l.unlock();
    log(count_);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'count_' is read without holding 'mu_', which is held at 2 of its 3 accesses
  }
  void clear() {
    std::lock_guard<std::mutex> g(mu_);
    last_ = 0;
    count_ = 0;
  }

private:
  std::mutex mu_;
  int last_ = 0;
  int count_ = 0;
};

// The failure branch of try_lock reads without the lock.
class Sampler {
public:
  void sample(int v) {
    std::lock_guard<std::mutex> g(mu_);
    value_ = v;
  }
  int snapshot() {
    if (mu_.try_lock()) {
      int v = value_;
      mu_.unlock();
      return v;
    }
    return value_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'value_' is read without holding 'mu_', which is held at 2 of its 3 accesses
  }

private:
  std::mutex mu_;
  int value_ = 0;
};

// Two mutexes taken together, by std::lock and by scoped_lock.
class Transfer {
public:
  void move(int n) {
    std::lock(a_mu_, b_mu_);
    std::lock_guard<std::mutex> a(a_mu_, std::adopt_lock);
    std::lock_guard<std::mutex> b(b_mu_, std::adopt_lock);
    a_ -= n;
    b_ += n;
  }
  void moveBack(int n) {
    std::scoped_lock both(a_mu_, b_mu_);
    a_ += n;
    b_ -= n;
  }
  int peekA() { return a_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'a_' is read without holding 'a_mu_', which is held at 3 of its 4 accesses
  // CHECK-FIXES: {{^}}  int peekA() { { std::lock_guard<std::mutex> lock(a_mu_); return a_; } }{{$}}
  int sum() {
    std::lock_guard<std::mutex> a(a_mu_);
    return a_ + b_;
  }

private:
  std::mutex a_mu_, b_mu_;
  int a_ = 0, b_ = 0;
};

// Containers: map operator[] and push_back write, find() and size() read.
class Registry {
public:
  void put(const std::string &k, int v) {
    std::lock_guard<std::mutex> g(mu_);
    byName_[k] = v;
    order_.push_back(v);
  }
  bool has(const std::string &k) const {
    return byName_.find(k) != byName_.end();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'byName_' is read without holding 'mu_', which is held at 1 of its 3 accesses
    // CHECK-FIXES: {{^}}    { std::lock_guard<std::mutex> lock(mu_); return byName_.find(k) != byName_.end(); }{{$}}
  }
  size_t count() const { return order_.size(); }
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'order_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  // CHECK-FIXES: {{^}}  size_t count() const { { std::lock_guard<std::mutex> lock(mu_); return order_.size(); } }{{$}}

private:
  mutable std::mutex mu_;
  std::map<std::string, int> byName_;
  std::vector<int> order_;
};

// A member of a struct field: `stats_.hits++` writes stats_.
class Cache {
public:
  int find(int k) {
    std::lock_guard<std::mutex> g(mu_);
    stats_.hits++;
    return k;
  }
  int hitCount() const { return stats_.hits; }
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'stats_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  // CHECK-FIXES: {{^}}  int hitCount() const { { std::lock_guard<std::mutex> lock(mu_); return stats_.hits; } }{{$}}

private:
  struct Stats {
    int hits = 0;
    int misses = 0;
  };
  mutable std::mutex mu_;
  Stats stats_;
};

// Read under another mutex of the class only: still not the guard.
class DifferentLockOnly {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int get() {
    std::lock_guard<std::mutex> g(other_);
    return v_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'v_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  }

private:
  std::mutex mu_, other_;
  int v_ = 0;
};

// Conditional locking: the unique_lock is locked on one path only.
class Snapshot {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int get(bool sync) {
    std::unique_lock<std::mutex> l(mu_, std::defer_lock);
    if (sync)
      l.lock();
    return v_;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'v_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// A lambda called in place under the lock, and once more without it.
class Printer {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  void show() {
    auto print = [this] { log(v_); };
    // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'v_' is read without holding 'mu_', which is held at 1 of its 2 accesses
    {
      std::lock_guard<std::mutex> g(mu_);
      print();
    }
    print();
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// The mutex is a member of the base class.
class LockableBase {
protected:
  std::mutex mu_;
};
class Derived : public LockableBase {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    x_ = v;
  }
  int get() const { return x_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'x_' is read without holding 'mu_', which is held at 1 of its 2 accesses

private:
  int x_ = 0;
};

// --- Positives: threads ---------------------------------------------------

// A worker thread runs a member function that writes under the lock; a
// public getter reads bare.
class Poller {
public:
  void start() { worker_ = std::thread(&Poller::run, this); }
  void stop() { worker_.join(); }
  int polls() const { return polls_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'polls_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  // CHECK-FIXES: {{^}}  int polls() const { { std::lock_guard<std::mutex> lock(mu_); return polls_; } }{{$}}

private:
  void run() {
    for (int i = 0; i < 10; ++i) {
      std::lock_guard<std::mutex> g(mu_);
      ++polls_;
    }
  }
  std::thread worker_;
  mutable std::mutex mu_;
  int polls_ = 0;
};

// The worker is started in the constructor by a lambda capturing this; it
// polls the queue bare.
class Flusher {
public:
  Flusher() : worker_([this] { loop(); }) {}
  ~Flusher() { worker_.join(); }
  void note(const std::string &line) {
    std::lock_guard<std::mutex> g(mu_);
    pending_.push_back(line);
  }

private:
  void loop() {
    while (pending_.empty()) {
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'pending_' is read without holding 'mu_', which is held at 2 of its 3 accesses
    }
    std::lock_guard<std::mutex> g(mu_);
    pending_.clear();
  }
  std::mutex mu_;
  std::vector<std::string> pending_;
  std::thread worker_;
};

// std::async runs a method that writes under the lock; the caller writes
// bare meanwhile.
class Indexer {
public:
  void rebuild() {
    auto f = std::async(std::launch::async, [this] { scan(); });
    generation_ = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'generation_' is written without holding 'mu_', which is held at 2 of its 3 accesses
    // CHECK-FIXES: {{^}}    { std::lock_guard<std::mutex> lock(mu_); generation_ = 0; }{{$}}
    f.wait();
  }

private:
  void scan() {
    std::lock_guard<std::mutex> g(mu_);
    generation_ = generation_ + 1;
  }
  std::mutex mu_;
  int generation_ = 0;
};

// Two tasks submitted to a pool, one locking, one not.
class ThreadPool {
public:
  void enqueue(std::function<void()> task);
};
class Crawler {
public:
  explicit Crawler(ThreadPool &p) : pool_(p) {}
  void crawl() {
    pool_.enqueue([this] {
      std::lock_guard<std::mutex> g(mu_);
      visited_ += 1;
    });
    pool_.enqueue([this] { visited_ = 0; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'visited_' is written without holding 'mu_', which is held at 1 of its 2 accesses
  }

private:
  ThreadPool &pool_;
  std::mutex mu_;
  int visited_ = 0;
};

// The worker thread bumps a map entry bare; callers insert under the lock.
class Tally {
public:
  void start() { t_ = std::thread(&Tally::loop, this); }
  void join() { t_.join(); }
  void add(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    counts_[k] += 1;
  }
  void drop(const std::string &k) {
    std::lock_guard<std::mutex> g(mu_);
    counts_.erase(k);
  }

private:
  void loop() { counts_["idle"] += 1; }
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'counts_' is written without holding 'mu_', which is held at 2 of its 3 accesses
  std::thread t_;
  std::mutex mu_;
  std::map<std::string, int> counts_;
};

// A global counter under a global mutex in one thread body, bare in another.
std::mutex hits_mu;
long hits = 0;
void countHits() {
  std::lock_guard<std::mutex> g(hits_mu);
  hits += 1;
}
void reportHits() { log(hits); }
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'hits' is read without holding 'hits_mu', which is held at 1 of its 2 accesses
void runHitThreads() {
  std::thread a(countHits);
  std::thread b(reportHits);
  a.join();
  b.join();
}

// pthread_create: the starter writes bare while the entry writes locked.
std::mutex jobs_mu;
int jobs = 0;
void *jobWorker(void *) {
  std::lock_guard<std::mutex> g(jobs_mu);
  ++jobs;
  return nullptr;
}
void startJobs() {
  pthread_t t;
  pthread_create(&t, nullptr, jobWorker, nullptr);
  jobs = 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'jobs' is written without holding 'jobs_mu', which is held at 1 of its 2 accesses
  pthread_join(t, nullptr);
}

// A member function pointer bound with std::bind runs on the thread.
class Uploader {
public:
  void start() { t_ = std::thread(std::bind(&Uploader::send, this)); }
  int sent() { return sent_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'sent_' is read without holding 'mu_', which is held at 2 of its 3 accesses
  // CHECK-FIXES: {{^}}  int sent() { { std::lock_guard<std::mutex> lock(mu_); return sent_; } }{{$}}
  void wait() { t_.join(); }

private:
  void send() {
    std::lock_guard<std::mutex> g(mu_);
    sent_ = sent_ + 1;
  }
  std::thread t_;
  std::mutex mu_;
  int sent_ = 0;
};

// A class template: its pattern is analysed once.
template <class T> class Box {
public:
  void put(T v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
    ++puts_;
  }
  int puts() const { return puts_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'puts_' is read without holding 'mu_', which is held at 1 of its 2 accesses
  // CHECK-FIXES: {{^}}  int puts() const { { std::lock_guard<std::mutex> lock(mu_); return puts_; } }{{$}}
  // Known limit: 'v_' has the dependent type T, so the pattern has no
  // load or assignment of it to classify; it is not reported.
  T peek() const { return v_; }

private:
  mutable std::mutex mu_;
  T v_{};
  int puts_ = 0;
};
template class Box<int>;
template class Box<long>;

// Accesses in macros of this file.
#define BUMP(x) ((x) = (x) + 1)
#define READ_TICKS() (ticks_)
class Clock {
public:
  void tick() {
    std::lock_guard<std::mutex> g(mu_);
    BUMP(ticks_);
  }
  int ticksNow() const { return ticks_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'ticks_' is read without holding 'mu_', which is held at 2 of its 4 accesses
  // CHECK-FIXES: {{^}}  int ticksNow() const { { std::lock_guard<std::mutex> lock(mu_); return ticks_; } }{{$}}
  int ticksMacro() const { return READ_TICKS(); }
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'ticks_' is read without holding 'mu_', which is held at 2 of its 4 accesses

private:
  mutable std::mutex mu_;
  int ticks_ = 0;
};

// Declared guards; a helper that requires the lock is fine.
class Account {
public:
  void deposit(int n) {
    std::lock_guard<std::mutex> g(mu_);
    addHeld(n);
  }
  void withdraw(int n) {
    std::lock_guard<std::mutex> g(mu_);
    balance_ -= n;
  }
  void addHeld(int n) __attribute__((requires_capability(mu_))) {
    balance_ += n;
  }
  int peek() const { return balance_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'balance_' is read without holding 'mu_', which is declared to guard it
  // CHECK-FIXES: {{^}}  int peek() const { { std::lock_guard<std::mutex> lock(mu_); return balance_; } }{{$}}

private:
  mutable std::mutex mu_;
  int balance_ __attribute__((guarded_by(mu_))) = 0;
};

// --- Negatives -----------------------------------------------------------

// Constructors and destructors run before and after any sharing.
class NegativeCtorDtor {
public:
  NegativeCtorDtor() { size_ = 0; }
  ~NegativeCtorDtor() { size_ = -1; }
  void grow() {
    std::lock_guard<std::mutex> g(mu_);
    ++size_;
  }
  int size() {
    std::lock_guard<std::mutex> g(mu_);
    return size_;
  }

private:
  std::mutex mu_;
  int size_;
};

// An atomic field needs no lock.
class NegativeAtomicField {
public:
  void bump() {
    std::lock_guard<std::mutex> g(mu_);
    n_++;
  }
  int read() const { return n_; }

private:
  std::mutex mu_;
  std::atomic<int> n_{0};
};

// A const field never changes after construction.
class NegativeConstField {
public:
  explicit NegativeConstField(int l) : limit_(l) {}
  int room() {
    std::lock_guard<std::mutex> g(mu_);
    return limit_ - used_;
  }
  void use() {
    std::lock_guard<std::mutex> g(mu_);
    ++used_;
  }
  int limit() const { return limit_; }

private:
  std::mutex mu_;
  const int limit_;
  int used_ = 0;
};

// Never accessed under the lock: nothing says it is guarded.
class NegativeNeverLocked {
public:
  void set(int v) { v_ = v; }
  int get() const { return v_; }
  void other() { std::lock_guard<std::mutex> g(mu_); }

private:
  std::mutex mu_;
  int v_ = 0;
};

// Written bare, read under the lock: no write shows a guard.
class NegativeNoGuardedWrite {
public:
  void set(int v) { v_ = v; }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return v_;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// A private helper every caller calls with the lock held.
class NegativePrivateHelperCalledLocked {
public:
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    apply(n);
  }
  void sub(int n) {
    std::lock_guard<std::mutex> g(mu_);
    apply(-n);
  }

private:
  void apply(int n) { total_ += n; }
  std::mutex mu_;
  int total_ = 0;
};

// A public helper that every call in this file makes with the lock held
// (a struct's methods, all public): the doubt goes to the helper.
struct NegativePublicHelperCalledLocked {
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    if (!full())
      total_ += n;
  }
  void reset() {
    std::lock_guard<std::mutex> g(mu_);
    if (full())
      total_ = 0;
  }
  bool full() const { return total_ > 100; }
  mutable std::mutex mu_;
  int total_ = 0;
};

// One call of the public helper without the lock: the helper is reported.
struct PublicHelperOnceBare {
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    if (!full())
      total_ += n;
  }
  void reset() {
    std::lock_guard<std::mutex> g(mu_);
    total_ = 0;
  }
  bool report() const { return full(); }
  bool full() const { return total_ > 100; }
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'total_' is read without holding 'mu_', which is held at 2 of its 3 accesses
  mutable std::mutex mu_;
  int total_ = 0;
};

// A private helper nothing calls.
class NegativePrivateHelperNeverCalled {
public:
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += n;
  }

private:
  int peek() const { return total_; }
  std::mutex mu_;
  int total_ = 0;
};

// Named for a caller that holds the lock.
class NegativeNamedLocked {
public:
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += n;
  }
  void resetLocked() { total_ = 0; }
  int totalLocked() const { return total_; }

private:
  std::mutex mu_;
  int total_ = 0;
};

// Documented as called with the lock held (the usual `REQUIRES` followed by
// a colon, spelled here in lower case, is a directive to lit).
class NegativeRequiresComment {
public:
  void add(int n) {
    std::lock_guard<std::mutex> g(mu_);
    total_ += n;
  }
  // Requires: mu_ held
  int total() const { return total_; }
  // Caller must hold mu_.
  void clear() { total_ = 0; }

private:
  std::mutex mu_;
  int total_ = 0;
};

// Before the thread starts and after it is joined, only this thread runs.
class NegativeBeforeStartAfterJoin {
public:
  void start() {
    count_ = 0;
    worker_ = std::thread(&NegativeBeforeStartAfterJoin::run, this);
  }
  int stop() {
    worker_.join();
    return count_;
  }

private:
  void run() {
    std::lock_guard<std::mutex> g(mu_);
    ++count_;
  }
  std::thread worker_;
  std::mutex mu_;
  int count_ = 0;
};

// A mutex that is a local variable guards nothing shared.
class NegativeLocalMutex {
public:
  void set(int v) {
    std::mutex m;
    std::lock_guard<std::mutex> g(m);
    v_ = v;
  }
  int get() const { return v_; }

private:
  int v_ = 0;
};

// Reads under a shared lock, writes under the exclusive one.
class NegativeSharedReads {
public:
  void set(int v) {
    std::unique_lock<std::shared_mutex> l(mu_);
    v_ = v;
  }
  int get() const {
    std::shared_lock<std::shared_mutex> l(mu_);
    return v_;
  }

private:
  mutable std::shared_mutex mu_;
  int v_ = 0;
};

// A lambda that is never called reads nothing.
class NegativeLambdaNeverCalled {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  void unused() {
    auto f = [this] { return v_; };
    (void)f;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// A class that declares its guards is taken at its word: 'b_' has none.
class NegativeAnnotatedForOthers {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    a_ = v;
    b_ = v;
  }
  int getB() const { return b_; }

private:
  mutable std::mutex mu_;
  int a_ __attribute__((guarded_by(mu_))) = 0;
  int b_ = 0;
};

// The temporary lock is released at the end of the condition, and the
// field is never written under the lock.
class NegativeTemporaryLockInCondition {
public:
  int poll() {
    if (std::unique_lock<std::mutex>(mu_).owns_lock())
      return v_;
    return 0;
  }
  void set(int v) { v_ = v; }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return v_;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// A lambda called where it is written, or through its variable, while the
// lock is held, runs with the lock held.
class NegativeLambdaCalledUnderLock {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    auto next = [this] { return v_ + 1; };
    log(next());
    v_ = v;
  }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return [this] { return v_; }();
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// A condition variable calls its predicate with the lock held; a worker
// thread makes the accesses concurrent.
class NegativeWaitPredicate {
public:
  void start() { t_ = std::thread(&NegativeWaitPredicate::run, this); }
  void stop() { t_.join(); }
  void post() {
    std::lock_guard<std::mutex> g(mu_);
    ready_ = true;
    cv_.notify_one();
  }

private:
  void run() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return ready_; });
    ready_ = false;
    while (!cv_.wait_for(l, std::chrono::milliseconds(10),
                         [this] { return ready_; })) {
    }
  }
  std::thread t_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false;
};

// A wait loop keeps the lock around the wait.
class NegativeWaitLoop {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    data_ = v;
    ready_ = true;
    cv_.notify_one();
  }
  int take() {
    std::unique_lock<std::mutex> l(mu_);
    while (!ready_)
      cv_.wait(l);
    ready_ = false;
    return data_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int data_ = 0;
  bool ready_ = false;
};

// An algorithm calls its function object in place, under the lock.
class NegativeAlgorithmUnderLock {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
    total_ += v;
  }
  void dump() {
    std::lock_guard<std::mutex> g(mu_);
    std::for_each(items_.begin(), items_.end(),
                  [this](int i) { log(total_ + i); });
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
  int total_ = 0;
};

// Helpers that lock and unlock by hand: past their calls the lock state is
// not what the body shows, so the accesses are not judged.
class NegativeLockHelpers {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int get() {
    lockAll();
    int v = v_;
    unlockAll();
    return v;
  }

private:
  void lockAll() { mu_.lock(); }
  void unlockAll() { mu_.unlock(); }
  std::mutex mu_;
  int v_ = 0;
};

// A try-lock that returns when it fails: the access holds the lock.
class NegativeTryLockReturns {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int tryToLock() {
    std::unique_lock<std::mutex> l(mu_, std::try_to_lock);
    if (!l.owns_lock())
      return -1;
    return v_;
  }
  int tryLock() {
    if (!mu_.try_lock())
      return -1;
    int v = v_;
    mu_.unlock();
    return v;
  }
  int deferThenTry() {
    std::unique_lock<std::mutex> l(mu_, std::defer_lock);
    if (!l.try_lock())
      return -1;
    return v_;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// Unlocked for a call, locked again before the access.
class NegativeRelockedInLoop {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int sum() {
    std::unique_lock<std::mutex> l(mu_);
    int s = 0;
    for (int i = 0; i < 3; ++i) {
      l.unlock();
      log(i);
      l.lock();
      s += v_;
    }
    return s;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// The lock moved to another unique_lock is still held.
class NegativeMovedLock {
public:
  void set(int v) {
    std::unique_lock<std::mutex> a(mu_);
    std::unique_lock<std::mutex> b(std::move(a));
    v_ = v;
  }
  int get() {
    std::unique_lock<std::mutex> a(mu_);
    auto b = std::move(a);
    return v_;
  }

private:
  std::mutex mu_;
  int v_ = 0;
};

// Recursive and timed mutexes are mutexes too.
class NegativeRecursiveAndTimed {
public:
  void set(int v) {
    std::lock_guard<std::recursive_mutex> g(rmu_);
    v_ = v;
  }
  int get() {
    std::lock_guard<std::recursive_mutex> g(rmu_);
    return v_;
  }
  void setW(int w) {
    std::lock_guard<std::timed_mutex> g(tmu_);
    w_ = w;
  }
  int getW() {
    if (!tmu_.try_lock_for(std::chrono::milliseconds(5)))
      return 0;
    int w = w_;
    tmu_.unlock();
    return w;
  }

private:
  std::recursive_mutex rmu_;
  std::timed_mutex tmu_;
  int v_ = 0, w_ = 0;
};

// A mutex handed in by reference or pointer is its owner's: the callers may
// hold it around every call.
class NegativeHandedInMutex {
public:
  NegativeHandedInMutex(std::mutex &m, std::mutex *p) : mu_(m), pmu_(p) {}
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    x_ = v;
  }
  int get() { return x_; }
  void setY(int v) {
    std::lock_guard<std::mutex> g(*pmu_);
    y_ = v;
  }
  int getY() { return y_; }

private:
  std::mutex &mu_;
  std::mutex *pmu_;
  int x_ = 0, y_ = 0;
};

// A global reset before the threads start and read after they are joined.
std::mutex runs_mu;
int runs = 0;
void runOne() {
  std::lock_guard<std::mutex> g(runs_mu);
  ++runs;
}
void negativeGlobalBeforeSpawnAfterJoin() {
  runs = 0;
  std::thread a(runOne), b(runOne);
  a.join();
  b.join();
  log(runs);
}

// A member thread joined in the same function before the read.
class NegativeJoinedBeforeRead {
public:
  int runOnce() {
    std::thread t(&NegativeJoinedBeforeRead::work, this);
    t.join();
    return v_;
  }

private:
  void work() {
    std::lock_guard<std::mutex> g(mu_);
    v_ = 1;
  }
  std::mutex mu_;
  int v_ = 0;
};

// PT_GUARDED_BY guards what the pointer points to, not the pointer; and the
// class declares its guards, so none is inferred.
class NegativePointeeGuarded {
public:
  void set(int *p) {
    std::lock_guard<std::mutex> g(mu_);
    p_ = p;
  }
  int *get() const { return p_; }

private:
  mutable std::mutex mu_;
  int *p_ __attribute__((pt_guarded_by(mu_))) = nullptr;
};

// Silenced where the caller is known to be alone.
class NegativeNolint {
public:
  void set(int v) {
    std::lock_guard<std::mutex> g(mu_);
    v_ = v;
  }
  int get() { return v_; } // NOLINT(threadlint-inconsistent-locking)

private:
  std::mutex mu_;
  int v_ = 0;
};

// Built once, under the lock, by the one function that writes it, from
// nothing a caller hands in: with no thread in sight, the readers are taken
// to run after it (cpprest's is_ssl() reading the stream upgrade_to_ssl()
// makes).
class NegativeBuiltOnce {
public:
  void upgrade() {
    std::lock_guard<std::mutex> g(mu_);
    stream_ = std::make_unique<std::string>("tls");
  }
  void close() {
    std::lock_guard<std::mutex> g(mu_);
    closing_ = true;
  }
  bool secure() const { return stream_ != nullptr; }
  bool closing() const { return closing_; }

private:
  mutable std::mutex mu_;
  std::unique_ptr<std::string> stream_;
  bool closing_ = false;
};

// An entry made on first use, the only write: the same.
class NegativeEntryMadeOnFirstUse {
public:
  void touch(int id) {
    std::lock_guard<std::mutex> g(mu_);
    if (buffers_.find(id) == buffers_.end())
      buffers_.emplace(id, std::make_shared<std::string>());
  }
  size_t buffers() const { return buffers_.size(); }

private:
  mutable std::mutex mu_;
  std::map<int, std::shared_ptr<std::string>> buffers_;
};

// Two functions switch the flag under the lock: its state changes while the
// object is in use, and the bare getter is reported.
class OpenCloseSwitch {
public:
  void open() {
    std::lock_guard<std::mutex> g(mu_);
    open_ = true;
  }
  void close() {
    std::lock_guard<std::mutex> g(mu_);
    open_ = false;
  }
  bool isOpen() const { return open_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'open_' is read without holding 'mu_', which is held at 2 of its 3 accesses

private:
  mutable std::mutex mu_;
  bool open_ = false;
};

// Locked only where a friend records (gtest's TestResult): nothing in the
// class's own public interface takes the lock, so no caller of it is known
// to run alongside.
class NegativeLockedOnlyForFriend {
  friend class RecorderFriend;

public:
  int count() const { return static_cast<int>(items_.size()); }

private:
  void record(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void clear() {
    std::lock_guard<std::mutex> g(mu_);
    items_.clear();
  }
  mutable std::mutex mu_;
  std::vector<int> items_;
};
class RecorderFriend {
public:
  static void note(NegativeLockedOnlyForFriend &r, int v) {
    r.record(v);
    if (v < 0)
      r.clear();
  }
};

// Assertions (assert, a CHECK macro as glog's), and hooks named for tests:
// they check a state the author believes settled.
#define CHECK(c) ((c) ? (void)0 : __builtin_abort())
class NegativeAssertionsAndTestHooks {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void drop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.clear();
  }
  void checkEmpty() const { assert(items_.empty()); }
  void checkSmall() const { CHECK(items_.size() < 100); }
  size_t TEST_Size() const { return items_.size(); }
  size_t sizeForTesting() const { return items_.size(); }

private:
  mutable std::mutex mu_;
  std::vector<int> items_;
};

// A mutex the model names only by its spelling through another object
// (`owner_->lockRef()`; rocksdb's cache_bench `shared->GetMutex()`): the
// spelling is no identity, and the object's callers may hold it. Nothing
// is inferred from it.
struct Owner {
  std::mutex &lockRef();
};
class NegativeOwnersMutexThroughAccessor {
public:
  explicit NegativeOwnersMutexThroughAccessor(Owner *o) : owner_(o) {}
  void add() {
    std::lock_guard<std::mutex> g(owner_->lockRef());
    ++n_;
  }
  int get() const { return n_; }

private:
  Owner *owner_;
  int n_ = 0;
};
void ownerRun(NegativeOwnersMutexThroughAccessor *c) {
  std::thread t(&NegativeOwnersMutexThroughAccessor::add, c);
  (void)c->get();
  t.join();
}

// One writer that both resets and updates the counter (rocksdb's
// EnableFileDeletions): an update, so the bare getter is reported.
class ResetOrDecrement {
public:
  void enable(bool force) {
    std::lock_guard<std::mutex> g(mu_);
    if (force)
      disabled_ = 0;
    else if (disabled_ > 0)
      --disabled_;
  }
  bool enabled() const { return disabled_ == 0; }
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'disabled_' is read without holding 'mu_', which is held at 3 of its 4 accesses

private:
  mutable std::mutex mu_;
  int disabled_ = 0;
};

// A public helper called only by another helper that is called only under
// the lock (rocksdb's HasExcessiveThread, through IsLastExcessiveThread).
struct NegativeHelperOfHelperCalledLocked {
  void submit(int n) {
    std::lock_guard<std::mutex> g(mu_);
    limit_ = n;
    if (lastExcess(3))
      ++excess_;
  }
  void shrink() {
    std::lock_guard<std::mutex> g(mu_);
    --limit_;
  }
  bool excessive() const { return workers_ > limit_; }
  bool lastExcess(int id) const { return excessive() && id == workers_; }
  mutable std::mutex mu_;
  int limit_ = 0, workers_ = 0, excess_ = 0;
};
