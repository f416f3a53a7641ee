// threadlint-inconsistent-locking in the editor: a worker thread counts
// under the mutex, a public getter reads the count bare; a helper whose
// comment says the caller holds the lock reads it bare too, and is fine.
#include <mutex>
#include <thread>

class Meter {
public:
  ~Meter() {
    if (worker_.joinable())
      worker_.join();
  }
  void start() { worker_ = std::thread(&Meter::run, this); }
  void stop() { worker_.join(); }
  long ticks() const { return ticks_; }
  // REQUIRES: mu_ held
  long ticks_so_far() const { return ticks_; }

private:
  void run() {
    for (int i = 0; i < 100; ++i) {
      std::lock_guard<std::mutex> lock(mu_);
      ++ticks_;
    }
  }

  mutable std::mutex mu_;
  std::thread worker_;
  long ticks_ = 0;
};
