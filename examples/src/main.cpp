// threadlint_examples: a small service (job runner, cache, logger, stats)
// with deliberate concurrency pitfalls for threadlint's demo. See README.md.
#include "cache.h"
#include "ingest.h"
#include "job_runner.h"
#include "logger.h"
#include "stats.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>

namespace {

// Counts the words of every line, one thread per line.
std::map<std::string, int> count_words(const std::vector<std::string>& lines) {
  std::map<std::string, int> counts;
  std::size_t longest = 0;
  std::mutex longest_mu;
  std::vector<std::thread> counters;
  for (const auto& line : lines) {
    // fine: 'line' is a reference to an element of 'lines', not a per-iteration copy
    counters.emplace_back([&counts, &longest, &longest_mu, &line] {
      std::istringstream words(line);
      // pitfall: threadlint-unsynchronized-capture-write (every thread inserts into the shared map)
      for (std::string word; words >> word;) ++counts[word];
      std::lock_guard<std::mutex> lock(longest_mu);
      // fine: written under 'longest_mu'
      longest = std::max(longest, line.size());
    });
  }
  for (auto& counter : counters) counter.join();
  return counts;
}

// Dumps the cache once per replica, in parallel.
void dump_replicas(demo::Cache& cache, int replicas) {
  std::vector<std::thread> writers;
  for (int r = 0; r < replicas; ++r) {
    const std::string path = "replica-" + std::to_string(r) + ".dump";
    // pitfall: threadlint-loop-variable-capture ('path' is a loop-body local that dies with the iteration)
    writers.emplace_back([&cache, &path] { cache.dump(path); });
  }
  for (auto& writer : writers) writer.join();
}

} // namespace

int main(int argc, char** argv) {
  // What runs under --unsafe crashes, hangs or aborts by design.
  const bool unsafe = argc > 1 && std::string_view(argv[1]) == "--unsafe";

  demo::Stats stats;
  demo::Logger& log = demo::Logger::instance();
  demo::Cache cache(stats);
  cache.start_refresher(std::chrono::milliseconds(10));
  cache.put("alpha", "1");
  cache.warm_up({"alpha", "beta"});
  const int ttl = cache.load_ttl("30");

  demo::JobRunner runner(4, stats);
  std::vector<demo::Job> jobs;
  for (int i = 0; i < 8; ++i) {
    jobs.push_back({"job-" + std::to_string(i), [&cache, i] {
                      // fine: a sleep inside the worker simulates work
                      std::this_thread::sleep_for(std::chrono::milliseconds(1));
                      (void)cache.get("key-" + std::to_string(i % 3));
                    }});
  }
  for (const auto& job : jobs) runner.submit(job);
  std::printf("queued: %zu\n", runner.queued());
  runner.drain();
  runner.run_all(jobs);
  const std::vector<std::vector<int>> shards = {{1, 2, 3}, {3, 1, 2}, {4, 5, 6}};
  const std::vector<long> sums = runner.parallel_sum(shards);
  const long latency_us = runner.probe_latency_us();

  stats.record_drop();
  if (stats.try_begin_batch()) stats.end_batch();
  if (stats.claim_report()) log.log(stats.summary());
  cache.dump("cache.dump");
  cache.forget("__warm__");

  const long counted = demo::sum_counts({"alpha=2", "beta=3"});

  if (unsafe) {
    runner.run_detached(jobs);
    runner.run_batch(jobs);
    runner.warm_cpus(4);
    std::printf("sorted shards: %d\n", runner.count_sorted(shards));
    std::printf("distinct words: %zu\n", count_words({"a b a", "c a", "b"}).size());
    cache.reload_async({{"alpha", 1}, {"beta", 0}});
    cache.prefetch({"alpha", "beta"});
    dump_replicas(cache, 3);
    // Can deadlock with the evictor thread (opposite lock orders).
    std::size_t hot = 0;
    for (int i = 0; i < 1000; ++i) hot = cache.hottest(3).size();
    std::printf("hot entries: %zu\n", hot);
    // Hangs its thread for good (it locks the logger's mutex twice).
    std::thread(&demo::Logger::log_backlog, &log).detach();
    cache.wait_for_refresh();
    // std::stoi throws on "n/a" on the ingest worker: std::terminate.
    demo::Ingest ingest;
    ingest.start();
    ingest.push("alpha=2");
    ingest.push("beta=n/a");
    ingest.stop();
  }

  std::printf("ttl=%d sums=%ld,%ld,%ld latency_us=%ld lines=%zu\n", ttl, sums[0], sums[1], sums[2],
              latency_us, demo::lines_written());
  std::printf("%s backlog=%zu counted=%ld\n", stats.summary().c_str(), log.backlog(), counted);
  stats.reset();
  if (stats.claim_flush()) log.shutdown();
  return 0;
}
