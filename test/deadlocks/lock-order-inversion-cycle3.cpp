// A cycle of three: ingest() takes queue_mu then index_mu, reindex() takes
// index_mu then disk_mu, flush() takes disk_mu then queue_mu. No two of them
// disagree, but three threads running one each can deadlock.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 3 mutexes, run finished

#include <mutex>
#include <thread>

std::mutex queue_mu;
std::mutex index_mu;
std::mutex disk_mu;
int queued, indexed, written;

void ingest() {
  std::lock_guard<std::mutex> queue(queue_mu);
  std::lock_guard<std::mutex> index(index_mu);
  ++queued;
  ++indexed;
}

void reindex() {
  std::lock_guard<std::mutex> index(index_mu);
  std::lock_guard<std::mutex> disk(disk_mu);
  written += indexed;
}

void flush() {
  std::lock_guard<std::mutex> disk(disk_mu);
  std::lock_guard<std::mutex> queue(queue_mu); // PROVE-WARN
  queued = 0;
  ++written;
}

int main(int argc, char **) {
  // No argument (the proof): one thread after the other, no real deadlock,
  // the whole cycle in ThreadSanitizer's graph. An argument lets the three
  // overlap.
  bool overlap = argc > 1;
  std::thread t1(ingest);
  if (!overlap)
    t1.join();
  std::thread t2(reindex);
  if (!overlap)
    t2.join();
  std::thread t3(flush);
  if (overlap) {
    t1.join();
    t2.join();
  }
  t3.join();
  return queued == 0 && indexed == 1 && written == 2 ? 0 : 1;
}
