// A worker thread parses records with std::stoi and nothing catches what it
// throws: the record "12x4" is fine for stoi ("12"), "n/a" is not, and
// std::invalid_argument leaves the thread, which calls std::terminate.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-exception-escapes-thread %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-exception-escapes-thread at every PROVE-WARN line
// CHECK: run: std::terminate (SIGABRT): terminate called after throwing an instance of 'std::invalid_argument'

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

int main() {
  const std::vector<std::string> records = {"17", "12x4", "n/a", "5"};
  long total = 0;
  std::thread parser([&] { // PROVE-WARN
    for (const std::string &r : records)
      total += std::stoi(r);
  });
  parser.join();
  std::printf("total: %ld\n", total);
  return 0;
}
