// RUN: %check_threadlint %s threadlint-unsafe-lazy-init %t -- -- -std=c++17 -pthread

// A translation unit that starts no thread: nothing shows that two threads
// reach a plain lazy getter, so it is not flagged. Double-checked locking
// is: the lock says the author expects concurrent callers.

#include <mutex>

struct Registry {};

Registry *g_registry = nullptr;
Registry *ok_no_thread_in_sight() {
  if (!g_registry)
    g_registry = new Registry;
  return g_registry;
}

class OkSingleton {
public:
  static OkSingleton &get() {
    if (!Inst)
      Inst = new OkSingleton;
    return *Inst;
  }

private:
  static OkSingleton *Inst;
};
OkSingleton *OkSingleton::Inst = nullptr;

std::mutex g_mu;
Registry *g_dcl = nullptr;
Registry *dcl_registry() {
  if (!g_dcl) {
    std::lock_guard<std::mutex> Lock(g_mu);
    if (!g_dcl)
      g_dcl = new Registry;
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:8: warning: double-checked locking reads 'g_dcl' outside the lock
  return g_dcl;
}

int main() {
  ok_no_thread_in_sight();
  OkSingleton::get();
  dcl_registry();
}
