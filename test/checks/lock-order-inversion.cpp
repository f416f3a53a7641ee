// RUN: %check_threadlint %s threadlint-lock-order-inversion %t -- -- -std=c++17 -pthread

#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <thread>

// --- Positives ---------------------------------------------------------

// Two globals in opposite orders, each order on a thread of its own.
std::mutex accounts_mu, ledger_mu;
void post() {
  std::lock_guard<std::mutex> a(accounts_mu);
  std::lock_guard<std::mutex> l(ledger_mu);
}
void audit() {
  std::lock_guard<std::mutex> l(ledger_mu);
  std::lock_guard<std::mutex> a(accounts_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'accounts_mu' acquired while holding 'ledger_mu', the reverse of the order taken elsewhere ('accounts_mu' -> 'ledger_mu'); threads taking both orders can deadlock [threadlint-lock-order-inversion]
}
void runBank() {
  std::thread t1(post), t2(audit);
  t1.join();
  t2.join();
}

// Member mutexes of one class, in two methods: the class's users (in other
// files) may call them on two threads.
class Store {
public:
  void put() {
    std::lock_guard<std::mutex> d(data_mu_);
    std::unique_lock<std::mutex> i(index_mu_);
  }
  void compact() {
    std::unique_lock<std::mutex> i(index_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'data_mu_' acquired while holding 'index_mu_', the reverse
  }

private:
  std::mutex data_mu_, index_mu_;
};

// The second lock hidden in a callee of the same file.
std::mutex log_mu, conn_mu;
void logLine() { std::lock_guard<std::mutex> g(log_mu); }
void send() {
  std::lock_guard<std::mutex> g(conn_mu);
  logLine();
}
void rotate() {
  std::lock_guard<std::mutex> g(log_mu);
  std::lock_guard<std::mutex> c(conn_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'conn_mu' acquired while holding 'log_mu', the reverse of the order taken elsewhere ('conn_mu' -> 'log_mu')
}

// Two objects of one class locked in argument order, called both ways.
struct Account {
  std::mutex mu;
  long balance = 0;
};
void transfer(Account &from, Account &to, long n) {
  std::lock_guard<std::mutex> f(from.mu);
  std::lock_guard<std::mutex> t(to.mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'a.mu' acquired while holding 'b.mu', the reverse of the order taken elsewhere ('a.mu' -> 'b.mu')
  from.balance -= n;
  to.balance += n;
}
void settle() {
  Account a, b;
  std::thread t1([&] { transfer(a, b, 1); });
  std::thread t2([&] { transfer(b, a, 2); });
  t1.join();
  t2.join();
}

// A cycle of three.
std::mutex queue_mu, disk_mu, stats_mu;
void enqueue() {
  std::lock_guard<std::mutex> q(queue_mu);
  std::lock_guard<std::mutex> d(disk_mu);
}
void persist() {
  std::lock_guard<std::mutex> d(disk_mu);
  std::lock_guard<std::mutex> s(stats_mu);
}
void report() {
  std::lock_guard<std::mutex> s(stats_mu);
  std::lock_guard<std::mutex> q(queue_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'queue_mu' acquired while holding 'stats_mu', the reverse of the order taken elsewhere ('queue_mu' -> 'disk_mu' -> 'stats_mu')
}

// The C API, manual lock and unlock.
pthread_mutex_t pa = PTHREAD_MUTEX_INITIALIZER, pb = PTHREAD_MUTEX_INITIALIZER;
void *first(void *) {
  pthread_mutex_lock(&pa);
  pthread_mutex_lock(&pb);
  pthread_mutex_unlock(&pb);
  pthread_mutex_unlock(&pa);
  return nullptr;
}
void *second(void *) {
  pthread_mutex_lock(&pb);
  pthread_mutex_lock(&pa);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pa' acquired while holding 'pb', the reverse
  pthread_mutex_unlock(&pa);
  pthread_mutex_unlock(&pb);
  return nullptr;
}

// A class template, instantiated.
template <class M> class Pair {
public:
  void left() {
    std::lock_guard<M> a(a_);
    b_.lock();
    b_.unlock();
  }
  void right() {
    std::lock_guard<M> b(b_);
    a_.lock();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'a_' acquired while holding 'b_', the reverse
    a_.unlock();
  }

private:
  M a_, b_;
};
template class Pair<std::mutex>;

// Through a macro.
#define LOCKED(m) std::lock_guard<std::mutex> guard_##m(m)
std::mutex cfg_mu, net_mu;
void reload() {
  LOCKED(cfg_mu);
  LOCKED(net_mu);
}
void reconnect() {
  LOCKED(net_mu);
  LOCKED(cfg_mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'cfg_mu' acquired while holding 'net_mu', the reverse
}

// --- Negatives ---------------------------------------------------------

// One order everywhere.
std::mutex one_mu, two_mu;
void oneOrderHere() {
  std::lock_guard<std::mutex> a(one_mu);
  std::lock_guard<std::mutex> b(two_mu);
}
void oneOrderThere() {
  std::lock_guard<std::mutex> a(one_mu);
  std::lock_guard<std::mutex> b(two_mu);
}

// std::scoped_lock and std::lock take both at once, in a deadlock-free way.
std::mutex left_mu, right_mu;
void scopedLockTakesBothAtOnce() {
  std::scoped_lock both(left_mu, right_mu);
}
void stdLockTakesBothAtOnce() {
  std::lock(right_mu, left_mu);
  std::lock_guard<std::mutex> a(right_mu, std::adopt_lock);
  std::lock_guard<std::mutex> b(left_mu, std::adopt_lock);
}

// A try-lock backs off instead of waiting.
std::mutex cache_mu, evict_mu;
void evictTakesInOrder() {
  std::lock_guard<std::mutex> c(cache_mu);
  std::lock_guard<std::mutex> e(evict_mu);
}
void tryLockBacksOff() {
  std::lock_guard<std::mutex> e(evict_mu);
  if (cache_mu.try_lock()) {
    cache_mu.unlock();
  }
}
void uniqueLockTryToLockBacksOff() {
  std::lock_guard<std::mutex> e(evict_mu);
  std::unique_lock<std::mutex> c(cache_mu, std::try_to_lock);
  if (c.owns_lock()) {
  }
}

// The first lock is released before the second is taken.
std::mutex src_mu, dst_mu;
void copyHoldingBoth() {
  std::lock_guard<std::mutex> s(src_mu);
  std::lock_guard<std::mutex> d(dst_mu);
}
void releasedBeforeTheNext() {
  std::unique_lock<std::mutex> d(dst_mu);
  d.unlock();
  std::lock_guard<std::mutex> s(src_mu);
}

// The reverse order is taken only before any thread exists.
std::mutex boot_a, boot_b;
void worker() {
  std::lock_guard<std::mutex> b(boot_b);
  std::lock_guard<std::mutex> a(boot_a);
}
void onlyBeforeAnyThreadExists() {
  {
    std::lock_guard<std::mutex> a(boot_a);
    std::lock_guard<std::mutex> b(boot_b);
  }
  std::thread t(worker);
  t.join();
}

// Both orders run under one gate lock: never at the same time.
std::mutex gate_mu, p_mu, q_mu;
void gatedOneWay() {
  std::lock_guard<std::mutex> g(gate_mu);
  std::lock_guard<std::mutex> p(p_mu);
  std::lock_guard<std::mutex> q(q_mu);
}
void gatedOtherWay() {
  std::lock_guard<std::mutex> g(gate_mu);
  std::lock_guard<std::mutex> q(q_mu);
  std::lock_guard<std::mutex> p(p_mu);
}
void runGated() {
  std::thread t1(gatedOneWay), t2(gatedOtherWay);
  t1.join();
  t2.join();
}

// Different objects: x's lock then y's, and z's then w's.
struct Node {
  std::mutex mu;
};
Node nx, ny, nz, nw;
void differentObjectsHere() {
  std::lock_guard<std::mutex> a(nx.mu);
  std::lock_guard<std::mutex> b(ny.mu);
}
void differentObjectsThere() {
  std::lock_guard<std::mutex> a(nz.mu);
  std::lock_guard<std::mutex> b(nw.mu);
}

// transfer called in one order only.
void transferOneWayOnly() {
  Account a, b;
  std::thread t1([&] { transfer(a, b, 1); });
  std::thread t2([&] { transfer(a, b, 1); });
  t1.join();
  t2.join();
}

// main runs once: both orders on its one thread.
std::mutex m1, m2;
int main() {
  {
    std::lock_guard<std::mutex> a(m1);
    std::lock_guard<std::mutex> b(m2);
  }
  {
    std::lock_guard<std::mutex> b(m2);
    std::lock_guard<std::mutex> a(m1);
  }
  runBank();
  settle();
  runGated();
}

// NOLINT silences it.
std::mutex quiet_a, quiet_b;
void quietOneWay() {
  std::lock_guard<std::mutex> a(quiet_a);
  std::lock_guard<std::mutex> b(quiet_b);
}
void quietOtherWay() {
  std::lock_guard<std::mutex> b(quiet_b);
  std::lock_guard<std::mutex> a(quiet_a); // NOLINT(threadlint-lock-order-inversion)
}
