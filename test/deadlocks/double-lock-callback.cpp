// A callback invoked under the lock that re-enters a locking method:
// forEach() calls f() while it holds mu_, and the callback passed to it
// calls size(), which locks mu_.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-double-lock %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-double-lock at every PROVE-WARN line
// CHECK: tsan: double-lock: {{reported|hung}}

#include <cstddef>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

class Sessions {
public:
  void add(int id) {
    std::lock_guard<std::mutex> lock(mu_);
    ids_.insert(id);
  }

  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.size();
  }

  template <typename F> void forEach(F f) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int id : ids_)
      f(id); // PROVE-WARN
  }

private:
  std::mutex mu_;
  std::set<int> ids_;
};

int main() {
  Sessions sessions;
  sessions.add(1);
  sessions.add(2);
  size_t done = 0;
  std::thread pinger([&sessions, &done] {
    sessions.forEach([&sessions, &done](int id) {
      size_t total = sessions.size();
      std::printf("ping %d (%zu of %zu)\n", id, ++done, total);
    });
  });
  pinger.join();
  return done == 2 ? 0 : 1;
}
