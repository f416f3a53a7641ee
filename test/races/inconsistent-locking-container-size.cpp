// A container mutated under the lock by one thread, its size() read bare by
// another: add() inserts into the map with mu_ held, size() asks the same
// map for its count without it.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-inconsistent-locking --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-inconsistent-locking at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

class Registry {
public:
  void add(int id, const std::string &name) {
    std::lock_guard<std::mutex> lock(mu_);
    names_[id] = name;
  }

  bool contains(int id) const {
    std::lock_guard<std::mutex> lock(mu_);
    return names_.count(id) != 0;
  }

  std::size_t size() const {
    return names_.size(); // PROVE-WARN
  }

private:
  mutable std::mutex mu_;
  std::map<int, std::string> names_;
};

int main() {
  Registry registry;
  // The loader stays alive until the reporter has read: ThreadSanitizer
  // reuses a finished thread's slot, and a busy machine could otherwise
  // finish the loader before the reporter starts and hide the race.
  std::atomic<bool> seen{false};
  std::thread loader([&registry, &seen] {
    for (int id = 0; id < 1000; ++id)
      registry.add(id, "node-" + std::to_string(id));
    while (!seen.load())
      std::this_thread::yield();
  });
  std::thread reporter([&registry, &seen] {
    while (registry.size() == 0)
      std::this_thread::yield();
    std::printf("first size seen: %zu\n", registry.size());
    seen.store(true);
  });
  loader.join();
  reporter.join();
  return registry.contains(999) ? 0 : 1;
}
