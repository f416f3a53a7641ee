#include "bank.h"
#include <thread>

void Ledger::post() {
  std::lock_guard<std::mutex> held(mu);
  std::lock_guard<std::mutex> taken(bank->mu);
}

void runPost(Ledger &l) {
  std::thread worker(&Ledger::post, &l);
  worker.join();
}
