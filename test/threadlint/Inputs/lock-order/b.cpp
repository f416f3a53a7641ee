#include "locks.h"
#include <thread>

void audit() {
  std::lock_guard<std::mutex> first(mu_b);
  std::lock_guard<std::mutex> second(mu_a);
}

void startAudit() {
  std::thread worker(audit);
  worker.join();
}
