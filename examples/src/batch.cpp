// A batch uploader: one worker per chunk, a std::latch counts the chunks
// down, and upload() waits for it.
#include <cstdio>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace demo {

namespace {

bool send_chunk(const std::string& chunk) { return !chunk.empty(); }

// The C++ form of Go's `defer wg.Done()`: counts down however the scope ends.
class CountDownOnExit {
public:
  explicit CountDownOnExit(std::latch& latch) : latch_(latch) {}
  CountDownOnExit(const CountDownOnExit&) = delete;
  CountDownOnExit& operator=(const CountDownOnExit&) = delete;
  ~CountDownOnExit() { latch_.count_down(); }

private:
  std::latch& latch_;
};

} // namespace

// Uploads every chunk on its own thread; returns once all are done.
int upload_batch(const std::vector<std::string>& chunks) {
  std::latch done(static_cast<std::ptrdiff_t>(chunks.size()));
  std::vector<std::jthread> workers;
  int sent = 0;
  for (const std::string& chunk : chunks) {
    workers.emplace_back([&done, &chunk] {
      if (chunk.size() > 4096) {
        std::fprintf(stderr, "chunk too large, skipped\n");
        // pitfall: threadlint-skipped-done (the early return skips count_down; upload_batch waits forever)
        return;
      }
      send_chunk(chunk);
      done.count_down();
    });
  }
  done.wait();
  for (const std::string& chunk : chunks) sent += chunk.empty() ? 0 : 1;
  return sent;
}

// The same batch with the guard: every exit counts down.
int upload_batch_guarded(const std::vector<std::string>& chunks) {
  std::latch done(static_cast<std::ptrdiff_t>(chunks.size()));
  std::vector<std::jthread> workers;
  for (const std::string& chunk : chunks) {
    workers.emplace_back([&done, &chunk] {
      // fine: the guard counts down on every exit
      CountDownOnExit guard(done);
      if (chunk.size() > 4096) return;
      send_chunk(chunk);
    });
  }
  done.wait();
  return static_cast<int>(chunks.size());
}

} // namespace demo
