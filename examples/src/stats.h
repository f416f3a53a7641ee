#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace demo {

// Process-wide counters, updated from every thread without a lock.
class Stats {
public:
  Stats();
  // fine: '++' on a std::atomic is one atomic read-modify-write
  void job_done() { ++jobs_done_; }
  void miss() { misses_.fetch_add(1, std::memory_order_relaxed); }
  void add_bytes(std::uint64_t n);
  void add_latency(std::uint64_t us);
  void record_drop();
  std::uint64_t dropped() const;
  // Exactly one caller may win each of these.
  bool claim_report();
  bool claim_flush();
  bool try_begin_batch();
  void end_batch() { phase_.store(kIdle); }
  void reset();
  std::string summary() const;

private:
  enum Phase : int { kIdle, kBusy };
  std::atomic<std::uint64_t> jobs_done_{0}, misses_{0}, bytes_{0}, latency_us_{0};
  std::atomic<bool> report_claimed_{false}, flush_claimed_{false};
  std::atomic<int> phase_{kIdle};
  // A plain integer shared with a C API, updated through std::atomic_ref.
  alignas(std::atomic_ref<std::uint64_t>::required_alignment) std::uint64_t dropped_;
};

} // namespace demo
