// The class shape: start() runs the member function loop() on a thread;
// loop() calls parse(), which throws ParseError on a bad line. Nothing on
// the thread catches it: std::terminate.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-exception-escapes-thread %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-exception-escapes-thread at every PROVE-WARN line
// CHECK: run: std::terminate (SIGABRT): terminate called after throwing an instance of 'ParseError'

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Ingest {
public:
  explicit Ingest(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  void start() { worker_ = std::thread(&Ingest::loop, this); } // PROVE-WARN
  void stop() { worker_.join(); }
  long total() const { return total_; }

private:
  long parse(const std::string &line) {
    long value = 0;
    for (char c : line) {
      if (c < '0' || c > '9')
        throw ParseError("not a number: " + line);
      value = value * 10 + (c - '0');
    }
    return value;
  }
  void loop() {
    for (const std::string &line : lines_)
      total_ += parse(line);
  }

  std::vector<std::string> lines_;
  long total_ = 0;
  std::thread worker_;
};

int main() {
  Ingest ingest({"10", "20", "3o", "40"});
  ingest.start();
  ingest.stop();
  std::printf("total: %ld\n", ingest.total());
  return 0;
}
