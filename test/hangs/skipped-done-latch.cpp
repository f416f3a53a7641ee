// An uploader's workers count a std::latch down when their chunk is done;
// a worker that meets a bad chunk returns early and skips count_down(), so
// upload() waits on the latch forever. Run with no argument, chunk 2 is bad
// and the program hangs; with `ok` every chunk is good and it finishes.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-skipped-done --expect=timeout \
// RUN:   --std=c++20 %s %t | FileCheck %s
// CHECK: threadlint: threadlint-skipped-done at every PROVE-WARN line
// CHECK: timeout: hung, killed after {{[0-9.]+}} s; with 'ok' finished

#include <atomic>
#include <cstdio>
#include <cstring>
#include <latch>
#include <string>
#include <thread>
#include <vector>

static std::atomic<std::size_t> g_bytes{0};

static void upload(const std::vector<std::string> &chunks) {
  std::latch done(static_cast<std::ptrdiff_t>(chunks.size()));
  std::vector<std::thread> workers;
  for (const std::string &chunk : chunks)
    workers.emplace_back([&done, &chunk] {
      if (chunk.empty()) {
        std::fprintf(stderr, "bad chunk\n");
        return; // PROVE-WARN
      }
      g_bytes += chunk.size(); // the upload itself
      done.count_down();
    });
  done.wait();
  for (std::thread &w : workers)
    w.join();
}

int main(int argc, char **argv) {
  const bool ok = argc > 1 && std::strcmp(argv[1], "ok") == 0;
  std::vector<std::string> chunks = {"a", "b", ok ? "c" : "", "d"};
  upload(chunks);
  std::printf("uploaded %zu bytes\n", g_bytes.load());
  return 0;
}
