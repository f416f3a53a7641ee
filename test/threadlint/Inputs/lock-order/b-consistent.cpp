#include "locks.h"
#include <thread>

void audit() {
  std::lock_guard<std::mutex> first(mu_a);
  std::lock_guard<std::mutex> second(mu_b);
}

void startAudit() {
  std::thread worker(audit);
  worker.join();
}
