// RUN: %check_threadlint %s threadlint-skipped-done %t -- -- -std=c++20 -pthread
// Shapes the check must not report, each named for why it is fine.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

bool valid(int);
void process(int);

class WaitGroup {
public:
  void Add(int n);
  void Done();
  void Wait();
};

class ThreadPool {
public:
  template <class F> std::future<void> enqueue(F &&f) {
    return std::async(std::launch::async, static_cast<F &&>(f));
  }
};

// An RAII guard that counts down in its destructor: the C++ `defer
// wg.Done()`.
struct CountDownOnExit {
  std::latch &l;
  ~CountDownOnExit() { l.count_down(); }
};

void ok_raii_guard_signals_in_destructor(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      CountDownOnExit guard{done};
      if (!valid(i))
        return;
      process(i);
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}

// A scope-exit object holding a lambda that signals.
template <class F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F> ScopeExit<F> makeScopeExit(F f) { return {f}; }

void ok_scope_exit_lambda_signals(int n) {
  WaitGroup wg;
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i) {
    wg.Add(1);
    workers.emplace_back([&wg, i] {
      auto done = makeScopeExit([&wg] { wg.Done(); });
      if (!valid(i))
        return;
      process(i);
    });
  }
  wg.Wait();
  for (auto &w : workers)
    w.join();
}

// std::unique_ptr with a deleter that signals.
void ok_unique_ptr_deleter_signals(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      auto deleter = [](std::latch *l) { l->count_down(); };
      std::unique_ptr<std::latch, decltype(deleter)> guard(&done, deleter);
      if (!valid(i))
        return;
      process(i);
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}

// Every exit signals first.
void ok_signals_on_every_exit(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      if (!valid(i)) {
        done.count_down();
        return;
      }
      process(i);
      done.count_down();
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}

// A helper signals on the work's behalf before the early return.
void fail(std::latch &done) { done.count_down(); }

void ok_helper_signals_before_return(int n) {
  std::latch done(n);
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([&done, i] {
      if (!valid(i)) {
        fail(done);
        return;
      }
      process(i);
      done.count_down();
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}

// The promise is set in a catch-all handler: the throw reaches it.
void ok_promise_set_in_catch_all(ThreadPool &pool, int item) {
  std::promise<int> result;
  std::future<int> f = result.get_future();
  pool.enqueue([&result, item] {
    try {
      if (!valid(item))
        throw std::invalid_argument("bad");
      result.set_value(item);
    } catch (...) {
      result.set_exception(std::current_exception());
    }
  });
  process(f.get());
}

// A throw caught in the same body does not leave it.
void ok_throw_caught_in_body(ThreadPool &pool, int n) {
  WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.Add(1);
    pool.enqueue([&wg, i] {
      try {
        if (!valid(i))
          throw std::invalid_argument("bad");
        process(i);
      } catch (const std::exception &) {
      }
      wg.Done();
    });
  }
  wg.Wait();
}

// An exception leaving a std::thread terminates the process: no hang (the
// exception-escapes-thread pitfall, not this one).
void ok_throw_in_std_thread_terminates(int n) {
  WaitGroup wg;
  wg.Add(1);
  std::thread t([&wg, n] {
    if (!valid(n))
      throw std::invalid_argument("bad");
    wg.Done();
  });
  wg.Wait();
  t.join();
}

// The promise is moved into the work: returning destroys it unset, and the
// future's get() throws broken_promise instead of hanging.
void ok_promise_owned_by_the_work(int item) {
  std::promise<int> result;
  std::future<int> f = result.get_future();
  std::thread t(
      [item](std::promise<int> p) {
        if (!valid(item))
          return;
        p.set_value(item);
      },
      std::move(result));
  process(f.get());
  t.join();
}

// The signal follows the loop and `break` still reaches it.
void ok_break_reaches_signal_after_loop(const std::vector<int> &items) {
  std::latch done(1);
  std::thread t([&] {
    for (int item : items) {
      if (!valid(item))
        break;
      process(item);
    }
    done.count_down();
  });
  done.wait();
  t.join();
}

// `continue` in a loop whose signal is made once, after the loop.
void ok_continue_signal_not_per_iteration(const std::vector<int> &items) {
  std::latch done(1);
  std::thread t([&] {
    for (int item : items) {
      if (!valid(item))
        continue;
      process(item);
    }
    done.count_down();
  });
  done.wait();
  t.join();
}

// A `return` in a nested lambda returns from the lambda, not the work.
void ok_return_in_nested_lambda(const std::vector<int> &items) {
  std::latch done(1);
  std::thread t([&] {
    auto check = [](int item) {
      if (!valid(item))
        return false;
      return true;
    };
    for (int item : items)
      if (check(item))
        process(item);
    done.count_down();
  });
  done.wait();
  t.join();
}

// The work claims its own count: an exit before the Add owes no Done.
void ok_exit_before_claim(ThreadPool &pool, int n) {
  WaitGroup wg;
  for (int i = 0; i < n; ++i)
    pool.enqueue([&wg, i] {
      if (!valid(i))
        return;
      wg.Add(1);
      process(i);
      wg.Done();
    });
  wg.Wait();
}

// Nobody waits on the latch in this translation unit: not reported.
void ok_no_wait_found(std::latch &done, int n) {
  std::thread t([&done, n] {
    if (!valid(n))
      return;
    done.count_down();
  });
  t.detach();
}

// A worker loop on a queue: a while loop's exits (shutdown, an empty pop)
// are not judged.
void ok_worker_loop_while(std::atomic<int> &pending, std::atomic<bool> &stop) {
  std::thread t([&] {
    while (!stop) {
      int item = 0;
      if (!valid(item))
        continue;
      process(item);
      pending.fetch_sub(1);
    }
  });
  while (pending.load() > 0)
    std::this_thread::yield();
  stop = true;
  t.join();
}

// A thread left joinable on an early return of the spawner is
// thread-not-joined's finding, not this check's.
void ok_thread_not_joined_is_another_check(int n) {
  std::latch done(1);
  std::thread t([&done] { done.count_down(); });
  if (n < 0)
    return;
  done.wait();
  t.join();
}
