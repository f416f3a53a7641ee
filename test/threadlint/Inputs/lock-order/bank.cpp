#include "bank.h"
#include <thread>

void Bank::transfer() {
  std::lock_guard<std::mutex> held(mu);
  std::lock_guard<std::mutex> taken(ledger->mu);
}

void runTransfer(Bank &b) {
  std::thread worker(&Bank::transfer, &b);
  worker.join();
}
