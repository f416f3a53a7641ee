#include "cache.h"

#include "stats.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace demo {

namespace {
// Reads the backing file of one key (empty when there is none).
std::string load_from_disk(const std::string& key) {
  std::ifstream in("cache_data/" + key);
  std::string value;
  std::getline(in, value);
  return value;
}
} // namespace

Cache::Cache(Stats& stats) : stats_(stats) {
  // pitfall: threadlint-missing-stop (the jthread never reads its stop_token; only 'closing_' ends the loop)
  evictor_ = std::jthread([this](std::stop_token) {
    while (!closing_.load()) {
      // fine: a sleep pacing a loop that checks its exit condition
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      evict_cold();
    }
  });
}

// Past 1024 entries, drops those nobody read since the last pass.
void Cache::evict_cold() {
  std::lock_guard<std::mutex> lock(mu_);
  std::lock_guard<std::mutex> hits_lock(hits_mu_);
  if (entries_.size() <= 1024) return;
  std::erase_if(entries_, [this](const auto& entry) { return !hits_.contains(entry.first); });
  hits_.clear();
}

Cache::~Cache() {
  closing_ = true;
  std::unique_lock<std::mutex> lock(refresh_mu_);
  stopping_ = true;
  refresh_cv_.notify_all();
  lock.unlock();
  if (refresher_.joinable()) refresher_.join();
}

std::optional<std::string> Cache::get(const std::string& key) {
  {
    std::lock_guard<std::mutex> hits_lock(hits_mu_);
    ++hits_[key];
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  stats_.miss();
  return std::nullopt;
}

void Cache::put(const std::string& key, std::string value) {
  stats_.add_bytes(value.size());
  std::lock_guard<std::mutex> lock(mu_);
  entries_[key] = std::move(value);
}

void Cache::forget(const std::string& key) {
  // fine: std::scoped_lock takes both mutexes at once, whatever order the evictor uses
  std::scoped_lock lock(mu_, hits_mu_);
  entries_.erase(key);
  hits_.erase(key);
}

std::vector<std::pair<std::string, std::string>> Cache::hottest(std::size_t n) {
  std::lock_guard<std::mutex> hits_lock(hits_mu_);
  std::vector<std::pair<std::uint64_t, std::string>> ranked;
  for (const auto& [key, reads] : hits_) ranked.emplace_back(reads, key);
  std::sort(ranked.rbegin(), ranked.rend());
  if (ranked.size() > n) ranked.resize(n);
  // pitfall: threadlint-lock-order-inversion (takes 'mu_' while holding 'hits_mu_'; the evictor takes them the other way round)
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> hot;
  for (const auto& entry : ranked) {
    if (auto it = entries_.find(entry.second); it != entries_.end()) hot.emplace_back(*it);
  }
  return hot;
}

void Cache::reload(const std::string& key) {
  // fine: the file is read before the lock is taken
  std::string value = load_from_disk(key);
  std::lock_guard<std::mutex> lock(mu_);
  entries_[key] = std::move(value);
}

void Cache::refresh_all() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, value] : entries_) {
    // pitfall: threadlint-lock-across-blocking-call ('load_from_disk' reads a file while 'mu_' is held)
    value = load_from_disk(key);
  }
}

void Cache::start_refresher(std::chrono::milliseconds interval) {
  refresher_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(refresh_mu_);
    // fine: wait_for() releases 'refresh_mu_', the only lock held; the loop ends on 'stopping_'
    while (!refresh_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      refresh_all();
      lock.lock();
      ++generation_;
      refresh_cv_.notify_all();
    }
  });
}

// Blocks until the refresher has completed one more pass.
void Cache::wait_for_refresh() {
  std::lock_guard<std::mutex> hold(mu_); // keep the entries stable meanwhile
  std::unique_lock<std::mutex> lock(refresh_mu_);
  const std::uint64_t target = generation_ + 1;
  // fine: wait() reads 'generation_' in the predicate with 'refresh_mu_' held
  // pitfall: threadlint-lock-across-blocking-call (waits on 'refresh_cv_' while still holding 'mu_')
  refresh_cv_.wait(lock, [&] { return generation_ >= target || stopping_; });
}

// Reloads the keys with a non-negative priority in the background.
void Cache::reload_async(const std::map<std::string, int>& priorities) {
  std::vector<std::thread> loaders;
  for (auto [key, priority] : priorities) {
    if (priority < 0) continue;
    // pitfall: threadlint-loop-variable-capture (std::cref of 'key', part of a per-iteration copy)
    loaders.emplace_back(&Cache::reload, this, std::cref(key));
  }
  for (auto& loader : loaders) loader.detach();
}

// Loads the keys in the background while the caller marks the cache warm.
void Cache::warm_up(const std::vector<std::string>& keys) {
  std::thread loader([this, keys] {
    for (const auto& key : keys) reload(key);
  });
  // pitfall: threadlint-thread-not-joined (this return destroys the joinable 'loader': std::terminate)
  if (keys.empty()) return;
  put("__warm__", "1");
  loader.join();
}

// Loads the keys in parallel and returns once none is in flight.
void Cache::prefetch(const std::vector<std::string>& keys) {
  std::atomic<int> in_flight{0};
  for (const auto& key : keys) {
    std::thread([this, &in_flight, &key] {
      // pitfall: threadlint-add-inside-spawned-task (the loop below can see 0 before this increment)
      in_flight.fetch_add(1);
      reload(key);
      in_flight.fetch_sub(1);
    }).detach();
  }
  while (in_flight.load() != 0) std::this_thread::yield();
}

// Parses the TTL setting (seconds) while a first refresh pass runs.
int Cache::load_ttl(const std::string& ttl_text) {
  std::thread first_pass([this] { refresh_all(); });
  // pitfall: threadlint-thread-not-joined (this throw destroys the joinable 'first_pass')
  if (ttl_text.empty()) throw std::invalid_argument("empty ttl");
  // pitfall: threadlint-thread-not-joined (std::stoi can throw while 'first_pass' is joinable)
  const int ttl = std::stoi(ttl_text);
  first_pass.join();
  return ttl;
}

void Cache::dump(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  // pitfall: threadlint-lock-across-blocking-call (opens and writes a file while 'mu_' is held)
  std::ofstream out(path);
  for (const auto& [key, value] : entries_) out << key << '=' << value << '\n';
}

} // namespace demo
