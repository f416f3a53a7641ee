// RUN: %check_threadlint %s threadlint-exception-escapes-thread %t -- -- -std=c++20 -pthread
// The notes: at the throwing call or throw, and down the chain of calls.

#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

void consume(int);

void direct(const std::string &s) {
  std::thread t([&] { consume(std::stoi(s)); });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread started here, which calls 'std::terminate' [threadlint-exception-escapes-thread]
  // CHECK-NOTES: :[[@LINE-2]]:31: note: 'std::stoi' can throw 'std::invalid_argument' here and no handler in the thread catches it
  t.join();
}

struct BadRecord : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int field(const std::vector<int> &row, unsigned i) {
  if (i > 8)
    throw BadRecord("too many fields");
  return row[i];
}

int sum(const std::vector<int> &row) {
  int total = 0;
  for (unsigned i = 0; i < row.size(); ++i)
    total += field(row, i);
  return total;
}

void chain(const std::vector<int> &row) {
  std::thread t([&row] { consume(sum(row)); });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception of type 'BadRecord' can escape the thread started here, which calls 'std::terminate'
  // CHECK-NOTES: :[[@LINE-2]]:34: note: through this call to 'sum'
  // CHECK-NOTES: :[[@LINE-8]]:14: note: through this call to 'field'
  // CHECK-NOTES: :[[@LINE-16]]:5: note: 'BadRecord' is thrown here and no handler in the thread catches it
  t.join();
}

void rethrow(const std::vector<int> &v) {
  std::thread t([&v] {
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception rethrown by 'throw' can escape the thread started here
    try {
      consume(v.at(2));
    } catch (const std::exception &) {
      throw;
      // CHECK-NOTES: :[[@LINE-1]]:7: note: the exception is rethrown here and no handler in the thread catches it
    }
  });
  t.join();
}

void future(std::shared_future<int> f) {
  std::thread t([f] { consume(f.get()); });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::shared_future::get' can escape the thread
  // CHECK-NOTES: :[[@LINE-2]]:31: note: 'std::shared_future::get' rethrows the exception stored in the future here and no handler in the thread catches it
  t.join();
}

void promise(std::promise<int> &p, int v) {
  std::thread t([&p, v] {
    // CHECK-NOTES: :[[@LINE-1]]:17: warning: 'std::future_error' thrown by a second 'set_value' on one promise can escape the thread
    p.set_value(v);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: the promise is satisfied here first
    if (v > 0)
      consume(v);
    p.set_value(v + 1);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: 'set_value' throws 'std::future_error' here, on every path after the first, and no handler in the thread catches it
  });
  t.join();
}

// A recursion: the throw of the first level, found before the recursive call.
int depth_first(int n) {
  if (n == 0)
    throw std::runtime_error("bottom");
  return depth_first(n - 1);
}
void recursion() {
  std::thread t([] { consume(depth_first(3)); });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception of type 'std::runtime_error' can escape the thread started here, which calls 'std::terminate'
  // CHECK-NOTES: :[[@LINE-2]]:30: note: through this call to 'depth_first'
  // CHECK-NOTES: :[[@LINE-7]]:5: note: 'std::runtime_error' is thrown here and no handler in the thread catches it
  t.join();
}

// A recursion followed level by level: one note for the recursive call.
int walk(int n) {
  if (n > 0)
    return walk(n - 1);
  return std::stoi(std::to_string(n));
}
void recursion_first() {
  std::thread t([] { consume(walk(3)); });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread started here, which calls 'std::terminate'
  // CHECK-NOTES: :[[@LINE-2]]:30: note: through this call to 'walk'
  // CHECK-NOTES: :[[@LINE-7]]:12: note: through this call to 'walk'
  // CHECK-NOTES: :[[@LINE-7]]:10: note: 'std::stoi' can throw 'std::invalid_argument' here and no handler in the thread catches it
  t.join();
}
