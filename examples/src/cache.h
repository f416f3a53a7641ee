#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace demo {

class Stats;

// A string cache backed by files under cache_data/, refreshed in the
// background and trimmed by an evictor thread.
class Cache {
public:
  explicit Cache(Stats& stats);
  ~Cache();
  std::optional<std::string> get(const std::string& key);
  void put(const std::string& key, std::string value);
  void forget(const std::string& key);
  // The most-read entries (at most n), to warm a replica with.
  std::vector<std::pair<std::string, std::string>> hottest(std::size_t n);
  void reload(const std::string& key);
  void refresh_all();
  void start_refresher(std::chrono::milliseconds interval);
  void wait_for_refresh();
  void reload_async(const std::map<std::string, int>& priorities);
  void warm_up(const std::vector<std::string>& keys);
  void prefetch(const std::vector<std::string>& keys);
  int load_ttl(const std::string& ttl_text);
  void dump(const std::string& path);

private:
  void evict_cold(); // one pass of the evictor thread

  Stats& stats_;
  std::mutex mu_; // guards entries_
  std::unordered_map<std::string, std::string> entries_;
  std::mutex hits_mu_; // guards hits_
  std::unordered_map<std::string, std::uint64_t> hits_; // reads per key since the last eviction
  std::mutex refresh_mu_; // guards stopping_ and generation_
  std::condition_variable refresh_cv_;
  bool stopping_ = false;
  std::uint64_t generation_ = 0;
  std::thread refresher_;
  std::atomic<bool> closing_{false};
  std::jthread evictor_;
};

} // namespace demo
