// A pool-like batch: one worker walks its share of the jobs and lowers a
// pending counter after each; the submitter spins until the counter is
// zero. A job that fails validation is skipped with `continue` before the
// decrement, so the counter never reaches zero and the submitter spins
// forever. Run with no argument, job 3 is invalid and the program hangs;
// with `ok` every job is valid and it finishes.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-skipped-done --expect=timeout \
// RUN:   --std=c++20 %s %t | FileCheck %s
// CHECK: threadlint: threadlint-skipped-done at every PROVE-WARN line
// CHECK: timeout: hung, killed after {{[0-9.]+}} s; with 'ok' finished

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

struct Job {
  int id;
  bool valid;
};

static std::atomic<long> g_work{0};

static void runBatch(const std::vector<Job> &jobs) {
  std::atomic<int> pending{static_cast<int>(jobs.size())};
  std::thread worker([&] {
    for (const Job &job : jobs) {
      if (!job.valid)
        continue; // PROVE-WARN
      g_work += job.id;
      pending.fetch_sub(1);
    }
  });
  while (pending.load() != 0)
    std::this_thread::yield();
  worker.join();
}

int main(int argc, char **argv) {
  const bool ok = argc > 1 && std::strcmp(argv[1], "ok") == 0;
  std::vector<Job> jobs;
  for (int i = 0; i < 6; ++i)
    jobs.push_back({i, ok || i != 3});
  runBatch(jobs);
  std::printf("done %ld\n", g_work.load());
  return 0;
}
