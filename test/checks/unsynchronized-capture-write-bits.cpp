// RUN: %check_threadlint %s threadlint-unsynchronized-capture-write %t -- -- -std=c++20 -pthread
// One slot per task is disjoint for a std::vector<int> or <char>, but not
// for a std::vector<bool> or a std::bitset: their elements are bits packed
// into shared words, so setting one reads and writes its neighbours.

#include <bitset>
#include <mutex>
#include <thread>
#include <vector>

// ---------------------------------------------------------- free functions

void positiveVectorBoolSlots(int n) {
  std::vector<bool> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] { done[i] = true; });
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: unsynchronized write to an element of 'done', captured by reference: several instances of this task run at once, and the elements of a std::vector<bool> are bits that share storage words, so writes to different elements race; protect it with a lock, or give each element its own byte (e.g. std::vector<char>) [threadlint-unsynchronized-capture-write]
  for (auto &w : workers)
    w.join();
}

void positiveVectorBoolAt(int n) {
  std::vector<bool> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] { done.at(i) = true; });
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: unsynchronized write to an element of 'done', captured by reference: several instances of this task run at once, and the elements of a std::vector<bool>
  for (auto &w : workers)
    w.join();
}

void positiveVectorBoolFlip(int n) {
  std::vector<bool> seen(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&seen, i] { seen[i].flip(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: unsynchronized write to an element of 'seen'
  for (auto &w : workers)
    w.join();
}

void positiveBitsetSet() {
  std::bitset<64> ready;
  std::vector<std::thread> workers;
  for (int i = 0; i < 64; ++i)
    workers.emplace_back([&ready, i] { ready.set(i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: unsynchronized write to an element of 'ready', captured by reference: several instances of this task run at once, and the elements of a std::bitset are bits
  for (auto &w : workers)
    w.join();
}

void positiveBitsetSubscript() {
  std::bitset<64> ready;
  std::vector<std::thread> workers;
  for (int i = 0; i < 64; ++i)
    workers.emplace_back([&ready, i] { ready[i] = true; });
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: unsynchronized write to an element of 'ready'
  for (auto &w : workers)
    w.join();
}

// The spawning function reads a neighbouring bit before it joins.
bool positiveParentReadsNeighbourBit() {
  std::vector<bool> flags(2);
  std::thread t([&flags] { flags[1] = true; });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: unsynchronized write to an element of 'flags', captured by reference: the spawning function uses it before joining, and the elements of a std::vector<bool>
  bool first = flags[0];
  t.join();
  return first;
}

// One byte (or int) per task: disjoint slots.
void negativeVectorCharSlots(int n) {
  std::vector<char> done(n);
  std::vector<int> results(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, &results, i] {
      results[i] = i * i;
      done[i] = 1;
    });
  for (auto &w : workers)
    w.join();
}

void negativeVectorBoolUnderLock(int n) {
  std::vector<bool> done(n);
  std::mutex m;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&, i] {
      std::lock_guard<std::mutex> g(m);
      done[i] = true;
    });
  for (auto &w : workers)
    w.join();
}

// Joined inside the iteration: one writer at a time.
void negativeVectorBoolJoinedInIteration(int n) {
  std::vector<bool> done(n);
  for (int i = 0; i < n; ++i) {
    std::thread t([&done, i] { done[i] = true; });
    t.join();
  }
}

// The tasks only read the bits.
int negativeVectorBoolReadOnly(const std::vector<bool> &input, int n) {
  std::vector<int> counts(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&input, &counts, i] {
      if (input[i])
        counts[i] = 1;
    });
  for (auto &w : workers)
    w.join();
  return counts[0];
}

// Each task has its own copy.
void negativeVectorBoolCopied(int n) {
  std::vector<bool> mask(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([mask, i]() mutable { mask[i] = true; });
  for (auto &w : workers)
    w.join();
}

// --------------------------------------------------------------- class form

std::vector<bool> shardReady(16);
std::vector<char> shardReadyBytes(16);

class Loader {
public:
  void start() {
    for (int i = 0; i < 16; ++i)
      workers_.emplace_back(&Loader::load, this, i);
  }
  void wait() {
    for (auto &w : workers_)
      w.join();
  }

private:
  // Started in start(), joined in wait(): the bits of one word race.
  void load(int shard) {
    shardReadyBytes[shard] = 1;
    shardReady[shard] = true;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: unsynchronized write to an element of 'shardReady', a global: several instances of this task run at once, and the elements of a std::vector<bool>
  }
  std::vector<std::thread> workers_;
};

class Marker {
public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this, i] { shardReadyBytes[i] = step_; });
  }
  void wait() {
    for (auto &w : workers_)
      w.join();
  }

private:
  // A `[this]` task writing its own byte: disjoint.
  char step_ = 1;
  std::vector<std::thread> workers_;
};

// ---------------------------------------------------------------- templates

template <typename Flag> void markAll(int n) {
  std::vector<Flag> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] { done[i] = Flag(1); });
  // Only the std::vector<bool> instantiation races.
  // CHECK-MESSAGES: :[[@LINE-2]]:39: warning: unsynchronized write to an element of 'done', captured by reference: several instances
  for (auto &w : workers)
    w.join();
}
template void markAll<bool>(int);
template void markAll<char>(int);

// ------------------------------------------------------------------- macros

#define MARK(v, i) v[i] = true

void positiveMarkMacro(int n) {
  std::vector<bool> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] { MARK(done, i); });
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: unsynchronized write to an element of 'done'
  for (auto &w : workers)
    w.join();
}

void negativeMarkMacroOnBytes(int n) {
  std::vector<char> done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] { MARK(done, i); });
  for (auto &w : workers)
    w.join();
}
