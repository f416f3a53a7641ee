// The order hidden in a callee: record() holds table_mu and calls log_line(),
// which takes log_mu; rotate() holds log_mu and takes table_mu.
// The warning goes on the call that takes log_mu while table_mu is held.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 2 mutexes, run finished

#include <mutex>
#include <string>
#include <thread>
#include <vector>

std::mutex table_mu;
std::mutex log_mu;
std::vector<int> table;
std::vector<std::string> log_lines;

void log_line(const std::string &line) {
  std::lock_guard<std::mutex> log(log_mu);
  log_lines.push_back(line);
}

void rotate() {
  std::lock_guard<std::mutex> log(log_mu);
  std::lock_guard<std::mutex> tables(table_mu);
  log_lines.clear();
  log_lines.push_back("rotated at " + std::to_string(table.size()));
}

void record(int value) {
  std::lock_guard<std::mutex> tables(table_mu);
  table.push_back(value);
  log_line("recorded " + std::to_string(value)); // PROVE-WARN
}

int main(int argc, char **) {
  // No argument (the proof): one thread after the other, no real deadlock,
  // both orders in ThreadSanitizer's graph. An argument lets them overlap.
  bool overlap = argc > 1;
  std::thread recorder([] { record(7); });
  if (!overlap)
    recorder.join();
  std::thread rotator(rotate);
  if (overlap)
    recorder.join();
  rotator.join();
  return table.size() == 1 ? 0 : 1;
}
