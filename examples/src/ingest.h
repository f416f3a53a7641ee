#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace demo {

// Ingests "name=count" records: push() queues them, a worker thread parses
// them and adds up the counts.
class Ingest {
public:
  ~Ingest();
  void start();
  void stop(); // waits until the queued records are parsed
  void push(std::string record);
  long total();

  static int parse_count(const std::string& record);

private:
  void run();

  std::mutex mu_; // guards queue_, closed_ and total_
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  long total_ = 0;
  std::thread worker_;
};

// Adds up the counts of the records on a helper thread; a bad record is
// rethrown here, in the caller.
long sum_counts(const std::vector<std::string>& records);

} // namespace demo
