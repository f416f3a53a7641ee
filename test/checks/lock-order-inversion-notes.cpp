// RUN: %check_threadlint %s threadlint-lock-order-inversion %t -- -- -std=c++17 -pthread

// The notes: two per edge of the cycle (where the held lock was taken, where
// the next is taken, and through which callee), in the order the other
// threads take them, the closing edge last; a note at the call that names a
// callee's locks.

#include <mutex>
#include <thread>

std::mutex log_mu, conn_mu;
void logLine() { std::lock_guard<std::mutex> g(log_mu); }
void send() {
  std::lock_guard<std::mutex> g(conn_mu);
  logLine();
}
void rotate() {
  std::lock_guard<std::mutex> g(log_mu);
  std::lock_guard<std::mutex> c(conn_mu);
}
// CHECK-NOTES: :[[@LINE-2]]:3: warning: 'conn_mu' acquired while holding 'log_mu', the reverse of the order taken elsewhere ('conn_mu' -> 'log_mu'); threads taking both orders can deadlock [threadlint-lock-order-inversion]
// CHECK-NOTES: :[[@LINE-8]]:3: note: 'conn_mu' acquired here
// CHECK-NOTES: :[[@LINE-8]]:3: note: 'log_mu' acquired here while 'conn_mu' is held, in 'logLine'
// CHECK-NOTES: :[[@LINE-6]]:3: note: 'log_mu' acquired here
// CHECK-NOTES: :[[@LINE-6]]:3: note: 'conn_mu' acquired here while 'log_mu' is held

struct Account {
  std::mutex mu;
  long balance = 0;
};
void transfer(Account &from, Account &to, long n) {
  std::lock_guard<std::mutex> f(from.mu);
  std::lock_guard<std::mutex> t(to.mu);
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
// CHECK-NOTES: :[[@LINE-11]]:3: warning: 'a.mu' acquired while holding 'b.mu', the reverse of the order taken elsewhere ('a.mu' -> 'b.mu'); threads taking both orders can deadlock
// CHECK-NOTES: :[[@LINE-13]]:3: note: 'a.mu' acquired here
// CHECK-NOTES: :[[@LINE-13]]:3: note: 'b.mu' acquired here while 'a.mu' is held
// CHECK-NOTES: :[[@LINE-8]]:24: note: in this call to 'transfer', which takes 'a.mu' then 'b.mu'
// CHECK-NOTES: :[[@LINE-16]]:3: note: 'b.mu' acquired here
// CHECK-NOTES: :[[@LINE-16]]:3: note: 'a.mu' acquired here while 'b.mu' is held
// CHECK-NOTES: :[[@LINE-10]]:24: note: in this call to 'transfer', which takes 'b.mu' then 'a.mu'
