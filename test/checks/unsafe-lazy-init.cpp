// RUN: %check_threadlint %s threadlint-unsafe-lazy-init %t -- -- -std=c++17 -pthread

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>
#include <vector>

struct Config {
  explicit Config(int V) : V(V) {}
  int value() const { return V; }
  int V;
};

// --- Check-then-create reached by several threads -----------------------------

// A getter the work runs, spawned in a loop.
Config *g_config = nullptr;
Config *config() {
  if (!g_config)
    g_config = new Config(1);
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_config' is not thread-safe: two threads can both see it unset and both create it; use a function-local static or std::call_once [threadlint-unsafe-lazy-init]
  return g_config;
}

void many_workers() {
  std::vector<std::thread> Workers;
  for (int I = 0; I < 4; ++I)
    Workers.emplace_back([] { config()->value(); });
  for (std::thread &T : Workers)
    T.join();
}

// A function-local static pointer, set by the exact simple pattern: the
// fix-it makes it a static initialised in its declaration.
Config *instance() {
  static Config *Inst = nullptr;
  if (!Inst) Inst = new Config(2);
  return Inst;
}
// CHECK-MESSAGES: :[[@LINE-3]]:8: warning: lazy initialization of 'Inst' is not thread-safe
// CHECK-FIXES: {{^}}  static Config *Inst = new Config(2);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return Inst;{{$}}

// No initialiser, braces around the assignment: the same fix-it.
Config *braced_instance(int V) {
  static Config *Inst;
  if (Inst == nullptr) {
    Inst = new Config(V);
  }
  return Inst;
}
// CHECK-MESSAGES: :[[@LINE-5]]:7: warning: lazy initialization of 'Inst' is not thread-safe
// CHECK-FIXES: {{^}}  static Config *Inst = new Config(V);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return Inst;{{$}}

// Used after the creation in a way the fix-it cannot keep (reset later):
// the warning alone.
Config *resettable() {
  static Config *Inst = nullptr;
  if (!Inst)
    Inst = new Config(3);
  Config *Result = Inst;
  Inst = nullptr;
  return Result;
}
// CHECK-MESSAGES: :[[@LINE-6]]:8: warning: lazy initialization of 'Inst' is not thread-safe

void two_threads() {
  std::thread A([] { instance(); braced_instance(1); });
  std::thread B([] { instance(); braced_instance(2); resettable(); });
  std::thread C([] { resettable(); });
  A.join();
  B.join();
  C.join();
}

// Smart pointers, an optional and a flag.
std::unique_ptr<Config> g_unique;
std::shared_ptr<Config> g_shared;
std::optional<Config> g_optional;
bool g_ready = false;
int g_loaded = 0;
void load_tables();

Config &unique_config() {
  if (g_unique == nullptr) {
    g_unique = std::make_unique<Config>(4);
  }
  // CHECK-MESSAGES: :[[@LINE-3]]:7: warning: lazy initialization of 'g_unique' is not thread-safe
  return *g_unique;
}

Config &shared_config() {
  if (!g_shared)
    g_shared.reset(new Config(5));
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_shared' is not thread-safe
  return *g_shared;
}

Config &optional_config() {
  if (!g_optional.has_value())
    g_optional.emplace(6);
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_optional' is not thread-safe
  return *g_optional;
}

void ensure_ready() {
  if (!g_ready) {
    load_tables();
    g_ready = true;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:8: warning: lazy initialization of 'g_ready' is not thread-safe
}

void ensure_loaded() {
  if (g_loaded == 0) {
    load_tables();
    g_loaded = 1;
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:7: warning: lazy initialization of 'g_loaded' is not thread-safe
}

void pool_of_readers() {
  std::vector<std::thread> Readers;
  for (int I = 0; I < 3; ++I)
    Readers.emplace_back([] {
      unique_config();
      shared_config();
      optional_config();
      ensure_ready();
      ensure_loaded();
    });
  for (std::thread &T : Readers)
    T.join();
}

// The spawner calls the getter itself while the thread runs.
Config *g_main_config = nullptr;
Config *main_config() {
  if (!g_main_config)
    g_main_config = new Config(7);
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'g_main_config' is not thread-safe
  return g_main_config;
}

void spawner_also_calls() {
  std::thread T([] { main_config(); });
  main_config();
  T.join();
}

// pthread_create in a loop, a static data member.
struct Registry {
  static Registry *Instance;
  static Registry *get() {
    if (!Instance)
      Instance = new Registry;
    // CHECK-MESSAGES: :[[@LINE-2]]:10: warning: lazy initialization of 'Instance' is not thread-safe
    return Instance;
  }
};
Registry *Registry::Instance = nullptr;

void *registry_worker(void *) {
  Registry::get();
  return nullptr;
}

void pthread_workers() {
  pthread_t Ids[4];
  for (pthread_t &Id : Ids)
    pthread_create(&Id, nullptr, registry_worker, nullptr);
  for (pthread_t &Id : Ids)
    pthread_join(Id, nullptr);
}

// --- Double-checked locking on a plain variable: no spawn needed ----------------

std::mutex g_mu;
pthread_mutex_t g_pmu = PTHREAD_MUTEX_INITIALIZER;

Config *g_dcl = nullptr;
Config *dcl_config() {
  if (!g_dcl) {
    std::lock_guard<std::mutex> Lock(g_mu);
    if (!g_dcl)
      g_dcl = new Config(8);
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:8: warning: double-checked locking reads 'g_dcl' outside the lock while another thread may be creating it under the lock; make it std::atomic with acquire/release or use std::call_once [threadlint-unsafe-lazy-init]
  return g_dcl;
}

std::shared_ptr<Config> g_dcl_shared;
std::shared_ptr<Config> dcl_unique_lock() {
  if (g_dcl_shared == nullptr) {
    std::unique_lock<std::mutex> Lock(g_mu);
    if (g_dcl_shared == nullptr)
      g_dcl_shared = std::make_shared<Config>(9);
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:7: warning: double-checked locking reads 'g_dcl_shared'
  return g_dcl_shared;
}

Config *g_dcl_scoped = nullptr;
Config *dcl_scoped_lock() {
  if (!g_dcl_scoped) {
    std::scoped_lock Lock(g_mu);
    if (!g_dcl_scoped)
      g_dcl_scoped = new Config(10);
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:8: warning: double-checked locking reads 'g_dcl_scoped'
  return g_dcl_scoped;
}

bool g_dcl_flag = false;
void dcl_manual_lock() {
  if (!g_dcl_flag) {
    g_mu.lock();
    if (!g_dcl_flag) {
      load_tables();
      g_dcl_flag = true;
    }
    g_mu.unlock();
  }
  // CHECK-MESSAGES: :[[@LINE-8]]:8: warning: double-checked locking reads 'g_dcl_flag'
}

Config *g_dcl_pthread = nullptr;
Config *dcl_pthread() {
  if (g_dcl_pthread == NULL) {
    pthread_mutex_lock(&g_pmu);
    if (g_dcl_pthread == NULL)
      g_dcl_pthread = new Config(11);
    pthread_mutex_unlock(&g_pmu);
  }
  // CHECK-MESSAGES: :[[@LINE-6]]:7: warning: double-checked locking reads 'g_dcl_pthread'
  return g_dcl_pthread;
}

// Checked outside the lock, created under it without a second check.
Config *g_half = nullptr;
Config *half_locked() {
  if (!g_half) {
    std::lock_guard<std::mutex> Lock(g_mu);
    g_half = new Config(12);
  }
  // CHECK-MESSAGES: :[[@LINE-4]]:8: warning: 'g_half' is checked outside the lock and created under it: two threads can both see it unset and both create it [threadlint-unsafe-lazy-init]
  return g_half;
}

// --- Templates: one warning per pattern ------------------------------------------

struct Other {
  explicit Other(int) {}
};

template <typename T> struct Holder {
  static T *Inst;
  static T *get() {
    if (!Inst) {
      std::lock_guard<std::mutex> Lock(g_mu);
      if (!Inst)
        Inst = new T(13);
    }
    // CHECK-MESSAGES: :[[@LINE-5]]:10: warning: double-checked locking reads 'Inst'
    return Inst;
  }
};
template <typename T> T *Holder<T>::Inst = nullptr;

template <typename T> T *lazy_global() {
  static T *Inst = nullptr;
  if (!Inst)
    Inst = new T(14);
  // CHECK-MESSAGES: :[[@LINE-2]]:8: warning: lazy initialization of 'Inst' is not thread-safe
  // CHECK-FIXES: {{^}}  static T *Inst = new T(14);{{$}}
  return Inst;
}

void use_templates() {
  Holder<Config>::get();
  Holder<Other>::get();
  std::vector<std::thread> Workers;
  for (int I = 0; I < 2; ++I)
    Workers.emplace_back([] {
      lazy_global<Config>();
      lazy_global<Other>();
    });
  for (std::thread &T : Workers)
    T.join();
}

// --- Macros and NOLINT -----------------------------------------------------------------

#define LAZY_NEW(P, V) if (!P) P = new Config(V)

Config *g_macro = nullptr;
Config *macro_config() {
  LAZY_NEW(g_macro, 15);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: lazy initialization of 'g_macro' is not thread-safe
  return g_macro;
}

Config *g_nolint = nullptr;
Config *nolint_config() {
  if (!g_nolint) // NOLINT(threadlint-unsafe-lazy-init): created once by design
    g_nolint = new Config(16);
  return g_nolint;
}

void macro_and_nolint_workers() {
  std::vector<std::thread> Workers;
  for (int I = 0; I < 2; ++I)
    Workers.emplace_back([] {
      macro_config();
      nolint_config();
    });
  for (std::thread &T : Workers)
    T.join();
}

// --- Fine: not flagged ----------------------------------------------------------------

// Function-local statics initialised in their declaration: thread-safe since
// C++11.
Config &ok_function_local_static() {
  static Config Inst(20);
  return Inst;
}
Config *ok_static_pointer_initialised() {
  static Config *Inst = new Config(21);
  return Inst;
}

// std::call_once and pthread_once run the creation once.
std::once_flag g_once;
Config *g_once_config = nullptr;
Config *ok_call_once() {
  std::call_once(g_once, [] {
    if (!g_once_config)
      g_once_config = new Config(22);
  });
  return g_once_config;
}

pthread_once_t g_pthread_once = PTHREAD_ONCE_INIT;
Config *g_pthread_once_config = nullptr;
void ok_pthread_once_init() { g_pthread_once_config = new Config(23); }
Config *ok_pthread_once() {
  pthread_once(&g_pthread_once, ok_pthread_once_init);
  return g_pthread_once_config;
}

// Double-checked locking on std::atomic: acquire/release, and seq_cst.
std::atomic<Config *> g_atomic{nullptr};
Config *ok_atomic_acquire_release() {
  Config *P = g_atomic.load(std::memory_order_acquire);
  if (!P) {
    std::lock_guard<std::mutex> Lock(g_mu);
    P = g_atomic.load(std::memory_order_relaxed);
    if (!P) {
      P = new Config(24);
      g_atomic.store(P, std::memory_order_release);
    }
  }
  return P;
}

std::atomic<Config *> g_atomic_seq{nullptr};
Config *ok_atomic_seq_cst() {
  if (!g_atomic_seq) {
    std::lock_guard<std::mutex> Lock(g_mu);
    if (!g_atomic_seq)
      g_atomic_seq = new Config(25);
  }
  return g_atomic_seq;
}

// The whole check-then-create under the lock.
Config *g_locked = nullptr;
Config *ok_all_under_lock() {
  std::lock_guard<std::mutex> Lock(g_mu);
  if (!g_locked)
    g_locked = new Config(26);
  return g_locked;
}

// A thread_local, and a local: each thread has its own.
thread_local Config *t_config = nullptr;
Config *ok_thread_local() {
  if (!t_config)
    t_config = new Config(27);
  return t_config;
}
int ok_local(bool Again) {
  Config *Local = nullptr;
  if (!Local)
    Local = new Config(28);
  int V = Local->value();
  delete Local;
  return V;
}

// Reset to null, and a set that creates nothing: not creation.
Config *g_reset = nullptr;
void ok_reset_to_null() {
  if (!g_reset)
    return;
  delete g_reset;
  g_reset = nullptr;
}
Config *g_fallback_target = nullptr;
Config g_fallback(29);
void ok_not_a_creation() {
  if (!g_fallback_target)
    g_fallback_target = &g_fallback;
}

// One thread only runs it; the spawner created it before the spawn and
// reads it after the join.
Config *g_one = nullptr;
Config *ok_one_thread_getter() {
  if (!g_one)
    g_one = new Config(30);
  return g_one;
}
Config *g_before = nullptr;
Config *ok_before_spawn_getter() {
  if (!g_before)
    g_before = new Config(31);
  return g_before;
}
void ok_before_spawn_and_after_join() {
  ok_before_spawn_getter();
  std::thread T([] {
    ok_one_thread_getter();
    ok_before_spawn_getter();
  });
  T.join();
  ok_one_thread_getter();
}

// A helper only called under a lock.
Config *g_helper = nullptr;
static Config *ok_locked_helper() {
  if (!g_helper)
    g_helper = new Config(32);
  return g_helper;
}

void workers_of_the_fine() {
  std::vector<std::thread> Workers;
  for (int I = 0; I < 2; ++I)
    Workers.emplace_back([I] {
      ok_function_local_static();
      ok_static_pointer_initialised();
      ok_call_once();
      ok_pthread_once();
      ok_atomic_acquire_release();
      ok_atomic_seq_cst();
      ok_all_under_lock();
      ok_thread_local();
      ok_local(I > 0);
      ok_reset_to_null();
      ok_not_a_creation();
      std::lock_guard<std::mutex> Lock(g_mu);
      ok_locked_helper();
    });
  for (std::thread &T : Workers)
    T.join();
}

void load_tables() {}
