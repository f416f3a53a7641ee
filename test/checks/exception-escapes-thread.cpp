// RUN: %check_threadlint %s threadlint-exception-escapes-thread %t -- -- -std=c++20 -pthread -I%S
//
// Thread bodies that let an exception escape (std::terminate), and the
// negatives named for why they are fine.

#include <any>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

void consume(int);
std::string next_record();

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Unrelated {};

// ---- positives --------------------------------------------------------------

void stoi_in_lambda(const std::string &s) {
  std::thread t([&] { consume(std::stoi(s)); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread started here, which calls 'std::terminate' [threadlint-exception-escapes-thread]
  t.join();
}

void throw_in_lambda(int n) {
  std::jthread t([n] {
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: an exception of type 'ParseError' can escape the thread started here
    if (n < 0)
      throw ParseError("negative");
    consume(n);
  });
}

void worker_at(std::vector<int> v) { consume(v.at(3)); }

void free_function_body() {
  std::thread t(worker_at, std::vector<int>{1, 2});
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::vector::at' can escape the thread
  t.join();
}

void map_at(const std::map<std::string, int> &m) {
  std::thread t([&m] { consume(m.at("key")); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::map::at' can escape the thread
  t.join();
}

void future_get(std::future<int> f) {
  std::thread t([f = std::move(f)]() mutable { consume(f.get()); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::future::get' can escape the thread
  t.join();
}

void optional_value(std::optional<int> o) {
  std::thread t([o] { consume(o.value()); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::optional::value' can escape the thread
  t.join();
}

void any_cast_value(std::any a) {
  std::thread t([a] { consume(std::any_cast<int>(a)); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::any_cast' can escape the thread
  t.join();
}

void variant_get(std::variant<int, std::string> v) {
  std::thread t([v] { consume(std::get<int>(v)); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::get' can escape the thread
  t.join();
}

void promise_twice() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread t([&p] {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'std::future_error' thrown by a second 'set_value' on one promise can escape the thread
    p.set_value(1);
    p.set_value(2);
  });
  t.join();
  consume(f.get());
}

// The handler catches another type: the exception still leaves.
void wrong_handler(const std::string &s) {
  std::thread t([&] {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
    try {
      consume(std::stoi(s));
    } catch (const Unrelated &) {
    }
  });
  t.join();
}

// invalid_argument is caught; out_of_range ("99999999999") is not.
void half_handled(const std::string &s) {
  std::thread t([&] {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
    try {
      consume(std::stoi(s));
    } catch (const std::invalid_argument &) {
    }
  });
  t.join();
}

// A handler that rethrows what its try block throws.
void rethrow_in_handler(const std::string &s) {
  std::thread t([&s] {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception rethrown by 'throw' can escape the thread
    try {
      consume(std::stoi(s));
    } catch (...) {
      throw;
    }
  });
  t.join();
}

// A throw of a non-class type.
void throw_int() {
  std::thread t([] { throw 42; });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception of type 'int' can escape the thread
  t.join();
}

// Through a callee of the translation unit.
int parse(const std::string &s) { return std::stoi(s); }
int parse_twice(const std::string &s) { return parse(s) + parse(s); }

void through_callees() {
  std::thread t([] { consume(parse_twice(next_record())); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  t.join();
}

// A lambda defined in the body and called there.
void local_lambda_called(const std::string &s) {
  std::thread t([&] {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception of type 'std::runtime_error' can escape the thread
    auto check = [](int v) {
      if (v < 0)
        throw std::runtime_error("negative");
    };
    check(static_cast<int>(s.size()) - 5);
  });
  t.join();
}

// A functor and std::bind.
struct Loader {
  std::string path;
  void operator()() const { consume(std::stoi(path)); }
};

void functor_body() {
  std::thread t(Loader{"x"});
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  t.join();
}

void load(const std::string &path) { consume(std::stoi(path)); }

void bind_body() {
  std::thread t(std::bind(load, std::string("x")));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  t.join();
}

// pthread_create's start routine.
void *pthread_routine(void *arg) {
  consume(static_cast<std::vector<int> *>(arg)->at(0));
  return nullptr;
}

void pthread_body(std::vector<int> &v) {
  pthread_t id;
  pthread_create(&id, nullptr, pthread_routine, &v);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: an exception thrown by 'std::vector::at' can escape the thread
  pthread_join(id, nullptr);
}

// A member function as the entry.
class Ingest {
public:
  void start() { worker_ = std::thread(&Ingest::run, this); }
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: an exception thrown by 'std::stoi' can escape the thread
  ~Ingest() { worker_.join(); }

private:
  void run() { consume(std::stoi(next_record())); }
  std::thread worker_;
};

// Templates: one warning for the pattern, not one per instantiation.
template <typename T> void spawn_template(T value) {
  std::thread t([value] { consume(std::stoi(std::to_string(value))); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception thrown by 'std::stoi' can escape the thread
  t.join();
}
template void spawn_template<int>(int);
template void spawn_template<long>(long);

// Macros: the spawn is written in the macro's argument.
#define RUN_THREAD(body) std::thread(body).join()
void macro_spawn(const std::string &s) {
  RUN_THREAD([&] { consume(std::stoi(s)); });
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: an exception thrown by 'std::stoi' can escape the thread
}

#define REQUIRE(cond) \
  do { if (!(cond)) throw std::logic_error(#cond); } while (0)
void macro_throw(int n) {
  std::thread t([n] { REQUIRE(n > 0); consume(n); });
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: an exception of type 'std::logic_error' can escape the thread
  t.join();
}

// NOLINT silences it.
void silenced(const std::string &s) {
  std::thread t([&] { consume(std::stoi(s)); }); // NOLINT(threadlint-exception-escapes-thread)
  t.join();
}

// ---- negatives ---------------------------------------------------------------

// The future keeps the exception; get() rethrows it in the caller.
void ok_async_stores_exception(const std::string &s) {
  auto f = std::async(std::launch::async, [&] { return std::stoi(s); });
  try {
    consume(f.get());
  } catch (...) {
  }
}

// A packaged_task stores the exception in its future, even on a thread.
void ok_packaged_task_on_thread(const std::string &s) {
  std::packaged_task<int()> task([&] { return std::stoi(s); });
  std::future<int> f = task.get_future();
  std::thread t(std::move(task));
  t.join();
  try {
    consume(f.get());
  } catch (...) {
  }
}

// The whole body in a try with a catch-all.
void ok_catch_all(const std::string &s) {
  std::thread t([&] {
    try {
      consume(std::stoi(s));
      throw ParseError("x");
    } catch (...) {
    }
  });
  t.join();
}

// A function-try-block.
void ok_function_try_block_entry(const std::string &s) try {
  consume(std::stoi(s));
} catch (const std::exception &) {
}

void ok_function_try_block() {
  std::thread t(ok_function_try_block_entry, std::string("1"));
  t.join();
}

// Handlers that match: the class, a base, the std hierarchy.
void ok_matching_handlers(const std::string &s, const std::vector<int> &v) {
  std::thread t([&] {
    try {
      consume(std::stoi(s));
    } catch (const std::logic_error &) { // invalid_argument, out_of_range
    }
    try {
      consume(v.at(1));
    } catch (const std::out_of_range &) {
    }
    try {
      throw ParseError("x");
    } catch (const std::runtime_error &e) { // a base of ParseError
      consume(static_cast<int>(e.what()[0]));
    }
    try {
      throw 42;
    } catch (int) {
    }
  });
  t.join();
}

// A noexcept callee terminates on its own: not this check's finding.
int ok_parse_noexcept(const std::string &s) noexcept { return std::stoi(s); }

void ok_noexcept_callee(const std::string &s) {
  std::thread t([&] { consume(ok_parse_noexcept(s)); });
  t.join();
}

// A lambda defined in the body but never called there.
void ok_lambda_not_called(std::function<void()> &out) {
  std::thread t([&out] { out = [] { throw std::runtime_error("later"); }; });
  t.join();
}

// Calling a std::function may throw bad_function_call only if it is empty:
// not certain.
void ok_std_function_call(std::function<void()> f) {
  std::thread t([f] { f(); });
  t.join();
}

// Pool tasks: whether the pool catches is not known.
struct ThreadPool {
  void enqueue(std::function<void()> f);
};
void ok_pool_task(ThreadPool &pool, const std::string &s) {
  pool.enqueue([s] { consume(std::stoi(s)); });
}

// Allocation is not reported by default (option ReportAllocation).
void ok_new_by_default() {
  std::thread t([] { consume(*new int(1)); });
  t.join();
}

// One set_value on each path.
void ok_promise_once_per_path(bool fail) {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread t([&p, fail] {
    if (fail) {
      p.set_exception(std::make_exception_ptr(std::runtime_error("x")));
      return;
    }
    p.set_value(1);
  });
  t.join();
}

// One promise per element.
void ok_promise_per_element(std::vector<std::promise<int>> &ps) {
  std::thread t([&ps] {
    for (auto &p : ps)
      p.set_value(1);
  });
  t.join();
}

// A bare `throw;` outside a handler rethrows what its caller handles.
void ok_dispatch() {
  try {
    throw;
  } catch (const std::exception &) {
  }
}
void ok_bare_rethrow_outside_handler() {
  std::thread t([] {
    try {
      next_record();
    } catch (...) {
      ok_dispatch();
    }
  });
  t.join();
}

// `catch (...) { throw; }` around calls that are not known to throw: what
// could it rethrow? (spdlog's logger does this after catching
// std::exception.)
void ok_rethrow_of_unknown_origin() {
  std::thread t([] {
    try {
      consume(static_cast<int>(next_record().size()));
    } catch (const std::exception &) {
    } catch (...) {
      throw;
    }
  });
  t.join();
}

// The handler rethrows, and an outer handler catches it.
void ok_rethrow_caught_outside(const std::string &s) {
  std::thread t([&s] {
    try {
      try {
        consume(std::stoi(s));
      } catch (const std::invalid_argument &) {
        throw;
      }
    } catch (const std::logic_error &) {
    }
  });
  t.join();
}

// A test framework's assertion in a thread throws only once the test has
// failed, to report it.
#include "Inputs/throwing-assert.h"
void ok_test_assertion_in_thread(int n) {
  std::thread t([n] { REQUIRE_THAT(n > 0); });
  t.join();
}

// An allocator's own std::bad_alloc is an allocation failure: reported only
// with ReportAllocation, as `new` is.
struct Arena {
  char *allocate(unsigned n) {
    if (n > 4096)
      throw std::bad_alloc();
    return buffer;
  }
  char buffer[4096];
};
void ok_allocator_bad_alloc(Arena &arena) {
  std::thread t([&arena] { consume(*arena.allocate(16)); });
  t.join();
}

// Lookups the function checks first (rocksdb's compaction thread tests
// has_value() before value()).
void ok_checked_lookups(std::optional<int> o, std::map<std::string, int> m,
                        std::vector<int> v, std::variant<int, long> var) {
  std::thread t([&] {
    if (o.has_value())
      consume(o.value());
    if (m.count("key"))
      consume(m.at("key"));
    if (v.size() > 3)
      consume(v.at(3));
    if (std::holds_alternative<int>(var))
      consume(std::get<int>(var));
  });
  t.join();
}

// std::get of a tuple, any_cast of a pointer, at() of a user class.
struct Table {
  int at(int i) const;
};
void ok_non_throwing_lookalikes(std::tuple<int> tu, std::any a, Table tb) {
  std::thread t([=] {
    consume(std::get<0>(tu));
    consume(*std::any_cast<int>(&a));
    consume(tb.at(1));
  });
  t.join();
}

// A throw inside sizeof / decltype / noexcept is never evaluated.
void ok_unevaluated() {
  std::thread t([] {
    consume(sizeof(std::stoi(std::string())));
    consume(noexcept(throw 1));
  });
  t.join();
}

// The thread body is itself noexcept: it terminates on its own.
void ok_noexcept_body(const std::string &s) {
  std::thread t([&]() noexcept { consume(std::stoi(s)); });
  t.join();
}

// Virtual calls may go to an override elsewhere: not followed.
struct Source {
  virtual int read() { throw std::runtime_error("not implemented"); }
  virtual ~Source() = default;
};
void ok_virtual_call(Source &src) {
  std::thread t([&src] { consume(src.read()); });
  t.join();
}
