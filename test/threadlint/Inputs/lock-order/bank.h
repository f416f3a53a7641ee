// Two classes whose member mutexes bank.cpp and ledger.cpp take in
// opposite orders.
#include <mutex>

struct Ledger;

struct Bank {
  std::mutex mu;
  Ledger *ledger = nullptr;
  void transfer();
};

struct Ledger {
  std::mutex mu;
  Bank *bank = nullptr;
  void post();
};
