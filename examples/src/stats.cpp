#include "stats.h"

#include <sstream>

namespace demo {

// fine: plain initialisation in the constructor, before any thread exists
Stats::Stats() : dropped_(0) {}

void Stats::add_bytes(std::uint64_t n) {
  // pitfall: threadlint-non-atomic-rmw (a load then a separate store: concurrent adds are lost)
  bytes_ = bytes_ + n;
}

void Stats::add_latency(std::uint64_t us) {
  // pitfall: threadlint-non-atomic-rmw (another thread can store between load() and store())
  latency_us_.store(latency_us_.load() + us);
}

void Stats::record_drop() { std::atomic_ref<std::uint64_t>(dropped_).fetch_add(1); }

std::uint64_t Stats::dropped() const {
  // pitfall: threadlint-mixed-atomic-access (plain read of a field record_drop() updates atomically)
  return dropped_;
}

bool Stats::claim_report() {
  // pitfall: threadlint-non-atomic-rmw (two threads can both see false and both claim)
  if (!report_claimed_) {
    report_claimed_ = true;
    return true;
  }
  return false;
}

// fine: exchange() tests and sets in one atomic step
bool Stats::claim_flush() { return !flush_claimed_.exchange(true); }

bool Stats::try_begin_batch() {
  // pitfall: threadlint-non-atomic-rmw (check-then-act: two threads can both move idle to busy)
  if (phase_.load() == kIdle) {
    phase_.store(kBusy);
    return true;
  }
  return false;
}

void Stats::reset() {
  // pitfall: threadlint-mixed-atomic-access (plain write racing with record_drop())
  dropped_ = 0;
  // fine: a std::atomic, every access is atomic
  bytes_ = 0;
}

std::string Stats::summary() const {
  std::ostringstream out;
  out << "jobs=" << jobs_done_ << " misses=" << misses_ << " bytes=" << bytes_
      << " latency_us=" << latency_us_ << " dropped=" << dropped();
  return out.str();
}

} // namespace demo
