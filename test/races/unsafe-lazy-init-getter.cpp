// A plain lazy getter (the shape of the doc's first example): every worker
// of a pool asks for the registry, and two of them can both see the pointer
// unset and both create it. The check and the creation are one line, so
// whichever of the two accesses ThreadSanitizer catches first is on it.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-unsafe-lazy-init --expect=race %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-unsafe-lazy-init at every PROVE-WARN line
// CHECK: tsan: data race reported ({{[0-9]+ reports?}}), at PROVE-WARN line {{[0-9]+}}, run finished

#include <atomic>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

class Registry {
public:
  int lookup(const std::string &Name) const {
    auto It = Codecs.find(Name);
    return It == Codecs.end() ? -1 : It->second;
  }

private:
  std::map<std::string, int> Codecs{{"gzip", 1}, {"zstd", 2}};
};

Registry *g_registry = nullptr;

Registry &registry() {
  if (!g_registry) g_registry = new Registry; // PROVE-WARN
  return *g_registry;
}

std::atomic<bool> g_go{false};

int main() {
  std::vector<std::thread> Workers;
  std::atomic<int> Found{0};
  for (int I = 0; I < 4; ++I)
    Workers.emplace_back([&Found] {
      while (!g_go.load())
        std::this_thread::yield();
      if (registry().lookup("zstd") == 2)
        ++Found;
    });
  g_go.store(true);
  for (std::thread &T : Workers)
    T.join();
  std::printf("found by %d workers\n", Found.load());
  return Found.load() == 4 ? 0 : 1;
}
