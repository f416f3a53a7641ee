#include "job_runner.h"

#include "stats.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <numeric>

namespace demo {

namespace {
// Body of a per-CPU warm-up thread: touches a page of scratch memory.
void* warm_cpu(void* arg) {
  std::vector<char> scratch(4096, static_cast<char>(*static_cast<int*>(arg)));
  return nullptr;
}
} // namespace

JobRunner::JobRunner(int num_workers, Stats& stats) : stats_(stats) {
  for (int w = 0; w < num_workers; ++w)
    workers_.emplace_back(&JobRunner::worker_loop, this, stop_.get_token());
}

JobRunner::~JobRunner() {
  std::unique_lock<std::mutex> lock(mu_);
  closed_ = true;
  lock.unlock();
  cv_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void JobRunner::submit(Job job) {
  // fine: Add() runs in the submitter, before any worker can run the job
  pending_.Add(1);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(std::move(job));
  lock.unlock();
  cv_.notify_one();
}

void JobRunner::drain() { pending_.Wait(); }

std::size_t JobRunner::queued() const {
  // pitfall: threadlint-inconsistent-locking (reads 'queue_' without 'mu_', which submit() and the workers hold to change it)
  return queue_.size();
}

void JobRunner::worker_loop(std::stop_token token) {
  while (!token.stop_requested()) {
    std::unique_lock<std::mutex> lock(mu_);
    // fine: wait() calls the predicate with 'mu_' held
    cv_.wait(lock, [this] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return; // closed and drained
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job.fn();
    stats_.job_done();
    pending_.Done();
  }
}

// Runs every job on its own thread and returns when all have finished.
void JobRunner::run_all(const std::vector<Job>& jobs) {
  WaitGroup wg;
  for (auto& job : jobs) {
    // fine: Add() in the parent, before the spawn
    wg.Add(1);
    // fine: 'job' is a reference to an element of 'jobs', which outlives the threads
    std::thread([&wg, &job] {
      job.fn();
      wg.Done();
    }).detach();
  }
  wg.Wait();
}

// Same contract as run_all(): runs every job on its own thread, waits for all.
void JobRunner::run_batch(const std::vector<Job>& jobs) {
  WaitGroup wg;
  for (auto& job : jobs) {
    std::thread([&wg, &job] {
      // pitfall: threadlint-add-inside-spawned-task (Wait() below can return before this Add() runs)
      wg.Add(1);
      job.fn();
      wg.Done();
    }).detach();
  }
  wg.Wait();
}

// Starts every job on its own thread and does not wait for them.
void JobRunner::run_detached(const std::vector<Job>& jobs) {
  for (auto job : jobs) {
    // pitfall: threadlint-loop-variable-capture ('job' is a per-iteration copy, gone while the thread runs)
    std::thread([&job] { job.fn(); }).detach();
  }
}

std::vector<long> JobRunner::parallel_sum(const std::vector<std::vector<int>>& shards) {
  std::vector<long> sums(shards.size());
  std::vector<std::thread> workers;
  for (int i = 0; i < static_cast<int>(shards.size()); ++i) {
    // fine: 'i' is copied; each thread writes its own slot of 'sums', which is never resized
    workers.emplace_back([i, &sums, &shards] {
      sums[i] = std::accumulate(shards[i].begin(), shards[i].end(), 0L);
    });
  }
  for (auto& worker : workers) worker.join();
  return sums;
}

int JobRunner::count_sorted(const std::vector<std::vector<int>>& shards) {
  const int n = static_cast<int>(shards.size());
  // fine: a std::atomic, incremented from every thread
  std::atomic<int> sorted{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i) {
    // pitfall: threadlint-loop-variable-capture ('[&]' shares the one 'i' with every thread)
    workers.emplace_back([&] {
      if (std::is_sorted(shards[i].begin(), shards[i].end())) ++sorted;
    });
  }
  for (auto& worker : workers) worker.join();
  return sorted.load();
}

// Starts one short thread per CPU so that every core has touched the heap.
void JobRunner::warm_cpus(int num_cpus) {
  std::vector<pthread_t> threads(static_cast<std::size_t>(num_cpus));
  for (int cpu = 0; cpu < num_cpus; ++cpu) {
    // pitfall: threadlint-loop-variable-capture ('&cpu' is the loop counter itself, read later by the thread)
    pthread_create(&threads[static_cast<std::size_t>(cpu)], nullptr, &warm_cpu, &cpu);
  }
  for (pthread_t thread : threads) pthread_join(thread, nullptr);
}

// Measures how long a fresh thread takes to start.
long JobRunner::probe_latency_us() {
  long elapsed_us = -1;
  const auto start = std::chrono::steady_clock::now();
  std::thread probe([&elapsed_us, start] {
    const auto took = std::chrono::steady_clock::now() - start;
    // pitfall: threadlint-unsynchronized-capture-write (the parent reads 'elapsed_us' before joining)
    elapsed_us = static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
  });
  // pitfall: threadlint-sleep-as-sync (reads 'elapsed_us' after a sleep instead of a join)
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const long result = elapsed_us;
  probe.join();
  stats_.add_latency(static_cast<std::uint64_t>(std::max(result, 0L)));
  return result;
}

} // namespace demo
