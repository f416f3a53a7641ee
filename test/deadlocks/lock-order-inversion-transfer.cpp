// Two objects of one class locked in argument order: transfer(from, to)
// locks from.mu then to.mu, so transfer(a, b) and transfer(b, a) on two
// threads take the two Accounts' mutexes in opposite orders.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 2 mutexes, run finished

#include <mutex>
#include <thread>

struct Account {
  std::mutex mu;
  long balance = 100;
};

void transfer(Account &from, Account &to, long amount) {
  std::lock_guard<std::mutex> debit(from.mu);
  std::lock_guard<std::mutex> credit(to.mu); // PROVE-WARN
  from.balance -= amount;
  to.balance += amount;
}

int main(int argc, char **) {
  Account a, b;
  // No argument (the proof): one transfer after the other, no real
  // deadlock, both orders in ThreadSanitizer's graph. An argument lets the
  // two transfers overlap.
  bool overlap = argc > 1;
  std::thread ab([&a, &b] { transfer(a, b, 30); });
  if (!overlap)
    ab.join();
  std::thread ba([&a, &b] { transfer(b, a, 10); });
  if (overlap)
    ab.join();
  ba.join();
  return a.balance == 80 && b.balance == 120 ? 0 : 1;
}
