// RUN: %check_threadlint %s threadlint-unsafe-lazy-init %t -- -- -std=c++17 -pthread

// The protocol spread over a class: work started in start() or in the
// constructor, a member function as the thread's entry.

#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

struct Cache {
  void put(int) {}
};
struct Stats {
  void add(int) {}
};

// A worker thread runs run(), which calls the public getter cache(); the
// class's users call cache() on their own threads while it runs.
class Service {
public:
  void start() { Worker = std::thread(&Service::run, this); }
  void stop() { Worker.join(); }
  Cache *cache() {
    if (!CachePtr)
      CachePtr = new Cache;
    // CHECK-MESSAGES: :[[@LINE-2]]:10: warning: lazy initialization of 'CachePtr' is not thread-safe
    return CachePtr;
  }

private:
  void run() { cache()->put(1); }
  Cache *CachePtr = nullptr;
  std::thread Worker;
};

// Work started in the constructor, several threads: a private helper they
// all call creates the stats object.
class Pool {
public:
  Pool() {
    for (int I = 0; I < 4; ++I)
      Workers.emplace_back([this] { loop(); });
  }
  ~Pool() {
    for (std::thread &T : Workers)
      T.join();
  }

private:
  void loop() { stats().add(1); }
  Stats &stats() {
    if (!StatsPtr)
      StatsPtr = std::make_unique<Stats>();
    // CHECK-MESSAGES: :[[@LINE-2]]:10: warning: lazy initialization of 'StatsPtr' is not thread-safe
    return *StatsPtr;
  }
  std::unique_ptr<Stats> StatsPtr;
  std::vector<std::thread> Workers;
};

// A member mutex, double-checked on a plain optional.
class Lazy {
public:
  Cache &get() {
    if (!Value) {
      std::lock_guard<std::mutex> Lock(Mu);
      if (!Value)
        Value.emplace();
    }
    // CHECK-MESSAGES: :[[@LINE-5]]:10: warning: double-checked locking reads 'Value'
    return *Value;
  }

private:
  std::mutex Mu;
  std::optional<Cache> Value;
};

// --- Fine ----------------------------------------------------------------------

// A private helper only the one worker thread calls: one thread creates.
class OkOneWorker {
public:
  void start() { Worker = std::thread(&OkOneWorker::run, this); }
  void stop() { Worker.join(); }

private:
  void run() { buffer()->put(2); }
  Cache *buffer() {
    if (!Buf)
      Buf = new Cache;
    return Buf;
  }
  Cache *Buf = nullptr;
  std::thread Worker;
};

// The thread's own entry creates what only it uses.
class OkEntryCreates {
public:
  void start() { Worker = std::thread(&OkEntryCreates::run, this); }
  void stop() { Worker.join(); }
  void run() {
    if (!Scratch)
      Scratch = new Cache;
    Scratch->put(3);
  }

private:
  Cache *Scratch = nullptr;
  std::thread Worker;
};

// Created in the constructor, before any thread exists.
class OkConstructorCreates {
public:
  OkConstructorCreates() {
    if (!Shared)
      Shared = new Cache;
    Worker = std::thread([this] { Shared->put(4); });
  }
  ~OkConstructorCreates() { Worker.join(); }

private:
  Cache *Shared = nullptr;
  std::thread Worker;
};

// A public getter the work never calls: only the caller's thread creates
// (nothing shows two threads call it).
class OkGetterOnlyCallersThread {
public:
  void start() { Worker = std::thread(&OkGetterOnlyCallersThread::run, this); }
  void stop() { Worker.join(); }
  Cache *result() {
    if (!Res)
      Res = new Cache;
    return Res;
  }

private:
  void run() {}
  Cache *Res = nullptr;
  std::thread Worker;
};

void use_classes() {
  Service S;
  S.start();
  S.cache();
  S.stop();
  Pool P;
  Lazy L;
  L.get();
  OkOneWorker W;
  W.start();
  W.stop();
  OkEntryCreates E;
  E.start();
  E.stop();
  OkConstructorCreates C;
  OkGetterOnlyCallersThread G;
  G.start();
  G.result();
  G.stop();
}
