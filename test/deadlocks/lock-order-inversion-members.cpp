// Two member mutexes of one class taken in opposite orders by two methods
// that run on two threads: put() locks index_mu_ then data_mu_, compact()
// locks data_mu_ then index_mu_.
// RUN: %python %tools/prove_finding.py --threadlint=%threadlint --clangxx=%clangxx \
// RUN:   --resource-dir=%resource_dir --check=threadlint-lock-order-inversion %s %t \
// RUN:   | FileCheck %s
// CHECK: threadlint: threadlint-lock-order-inversion at every PROVE-WARN line
// CHECK: tsan: lock-order-inversion (potential deadlock) reported, a cycle of 2 mutexes, run finished

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class Store {
public:
  void put(const std::string &key, int value) {
    std::lock_guard<std::mutex> index(index_mu_);
    std::lock_guard<std::mutex> data(data_mu_);
    index_[key] = data_.size();
    data_.push_back(value);
  }

  void compact() {
    std::lock_guard<std::mutex> data(data_mu_);
    std::lock_guard<std::mutex> index(index_mu_); // PROVE-WARN
    std::vector<int> kept;
    for (auto &entry : index_) {
      kept.push_back(data_[entry.second]);
      entry.second = kept.size() - 1;
    }
    data_.swap(kept);
  }

  size_t size() {
    std::lock_guard<std::mutex> data(data_mu_);
    return data_.size();
  }

private:
  std::mutex index_mu_;
  std::mutex data_mu_;
  std::map<std::string, size_t> index_;
  std::vector<int> data_;
};

int main(int argc, char **) {
  Store store;
  // No argument (the proof): one thread after the other, no real deadlock,
  // both orders in ThreadSanitizer's graph. An argument lets them overlap.
  bool overlap = argc > 1;
  std::thread writer([&store] {
    store.put("a", 1);
    store.put("a", 2);
  });
  if (!overlap)
    writer.join();
  std::thread compactor([&store] { store.compact(); });
  if (overlap)
    writer.join();
  compactor.join();
  return store.size() == 1 ? 0 : 1;
}
