// Two global mutexes taken in opposite orders by two threads: a deposit
// takes accounts_mu then audit_mu, an audit takes audit_mu then
// accounts_mu. Threads running both can each hold one and wait for the other.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 2 mutexes, run finished

#include <mutex>
#include <thread>

std::mutex accounts_mu;
std::mutex audit_mu;
long balance;
long audited;

void deposit() {
  std::lock_guard<std::mutex> accounts(accounts_mu);
  std::lock_guard<std::mutex> audit(audit_mu);
  balance += 10;
  ++audited;
}

void audit() {
  std::lock_guard<std::mutex> audit(audit_mu);
  std::lock_guard<std::mutex> accounts(accounts_mu); // PROVE-WARN
  audited += balance > 0 ? 1 : 0;
}

int main(int argc, char **) {
  // Run with no argument (as the proof does), the second thread starts after
  // the first is joined: the run cannot deadlock, and ThreadSanitizer's
  // lock-order graph sees both orders all the same. With an argument the
  // threads overlap and may deadlock for real.
  bool overlap = argc > 1;
  std::thread first(deposit);
  if (!overlap)
    first.join();
  std::thread second(audit);
  if (overlap)
    first.join();
  second.join();
  return balance == 10 && audited == 2 ? 0 : 1;
}
