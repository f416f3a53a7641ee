// RUN: %check_threadlint %s threadlint-unsafe-lazy-init %t -- -- -std=c++17 -pthread

#include <mutex>
#include <thread>
#include <vector>

struct Config {};

Config *g_config = nullptr;
Config *config() {
  if (!g_config)
    g_config = new Config;
  // CHECK-NOTES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_config' is not thread-safe
  // CHECK-NOTES: :[[@LINE-2]]:5: note: 'g_config' is created here
  return g_config;
}

void many() {
  std::vector<std::thread> Workers;
  for (int I = 0; I < 2; ++I)
    Workers.emplace_back([] { config(); });
  // CHECK-NOTES: :[[@LINE-1]]:5: note: this code runs in work started here, several instances of which run at once
  for (std::thread &T : Workers)
    T.join();
}

Config *g_two = nullptr;
Config *two() {
  if (g_two == nullptr)
    g_two = new Config;
  // CHECK-NOTES: :[[@LINE-2]]:7: warning: lazy initialization of 'g_two' is not thread-safe
  // CHECK-NOTES: :[[@LINE-2]]:5: note: 'g_two' is created here
  return g_two;
}

void two_spawns() {
  std::thread A([] { two(); });
  // CHECK-NOTES: :[[@LINE-1]]:15: note: this code runs on the thread started here
  std::thread B([] { two(); });
  // CHECK-NOTES: :[[@LINE-1]]:15: note: and on the thread started here, at the same time
  A.join();
  B.join();
}

Config *g_main = nullptr;
Config *main_config() {
  if (!g_main)
    g_main = new Config;
  // CHECK-NOTES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_main' is not thread-safe
  // CHECK-NOTES: :[[@LINE-2]]:5: note: 'g_main' is created here
  return g_main;
}

void spawner_calls() {
  std::thread T([] { main_config(); });
  // CHECK-NOTES: :[[@LINE-1]]:15: note: this code runs on the thread started here
  main_config();
  // CHECK-NOTES: :[[@LINE-1]]:3: note: and is called here while that thread may run
  T.join();
}

class Service {
public:
  void start() { Worker = std::thread(&Service::run, this); }
  void stop() { Worker.join(); }
  Config *config() {
    if (!Cfg)
      Cfg = new Config;
    // CHECK-NOTES: :[[@LINE-2]]:10: warning: lazy initialization of 'Cfg' is not thread-safe
    // CHECK-NOTES: :[[@LINE-2]]:7: note: 'Cfg' is created here
    // CHECK-NOTES: :[[@LINE-7]]:27: note: this code runs on the thread started here
    // CHECK-NOTES: :[[@LINE-6]]:11: note: 'config' is public: other threads may call it while that thread runs
    return Cfg;
  }

private:
  void run() { config(); }
  Config *Cfg = nullptr;
  std::thread Worker;
};

std::mutex g_mu;
Config *g_dcl = nullptr;
Config *dcl() {
  if (!g_dcl) {
    std::lock_guard<std::mutex> Lock(g_mu);
    if (!g_dcl)
      g_dcl = new Config;
  }
  // CHECK-NOTES: :[[@LINE-5]]:8: warning: double-checked locking reads 'g_dcl' outside the lock
  // CHECK-NOTES: :[[@LINE-3]]:7: note: 'g_dcl' is created here, with 'g_mu' held
  return g_dcl;
}

Config *g_half = nullptr;
Config *half() {
  if (!g_half) {
    g_mu.lock();
    g_half = new Config;
    g_mu.unlock();
  }
  // CHECK-NOTES: :[[@LINE-5]]:8: warning: 'g_half' is checked outside the lock and created under it
  // CHECK-NOTES: :[[@LINE-4]]:5: note: 'g_half' is created here, with 'g_mu' held
  return g_half;
}
