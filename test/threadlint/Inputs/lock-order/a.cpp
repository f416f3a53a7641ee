#include "locks.h"
#include <thread>

std::mutex mu_a;
std::mutex mu_b;

void transfer() {
  std::lock_guard<std::mutex> first(mu_a);
  std::lock_guard<std::mutex> second(mu_b);
}

void startTransfer() {
  std::thread worker(transfer);
  worker.join();
}
