#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace demo {

class Stats;

// Counts outstanding tasks; Wait() blocks until the count is back to zero.
class WaitGroup {
public:
  void Add(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    count_ += n;
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0) cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

struct Job {
  std::string name;
  std::function<void()> fn;
};

// A pool of workers draining a job queue, plus helpers that start their own
// threads for one-off batches.
class JobRunner {
public:
  JobRunner(int num_workers, Stats& stats);
  ~JobRunner();
  void submit(Job job);
  void drain(); // waits until every submitted job has run
  std::size_t queued() const; // jobs waiting for a worker
  void run_all(const std::vector<Job>& jobs);
  void run_batch(const std::vector<Job>& jobs);
  void run_detached(const std::vector<Job>& jobs);
  std::vector<long> parallel_sum(const std::vector<std::vector<int>>& shards);
  int count_sorted(const std::vector<std::vector<int>>& shards);
  void warm_cpus(int num_cpus);
  long probe_latency_us();

private:
  void worker_loop(std::stop_token token);

  Stats& stats_;
  std::mutex mu_; // guards queue_ and closed_
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool closed_ = false;
  WaitGroup pending_;
  // pitfall: threadlint-missing-stop (its tokens reach the workers, request_stop() is never called)
  std::stop_source stop_;
  std::vector<std::thread> workers_;
};

} // namespace demo
