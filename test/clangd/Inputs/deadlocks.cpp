// Both deadlock checks in the editor: a lock-order inversion and a double
// lock in one file.
#include <mutex>

class Store {
public:
  int size() {
    std::lock_guard<std::mutex> l(data_mu_);
    return n_;
  }
  void add() {
    std::lock_guard<std::mutex> d(data_mu_);
    n_ += size();
  }
  void put() {
    std::lock_guard<std::mutex> d(data_mu_);
    std::lock_guard<std::mutex> i(index_mu_);
  }
  void compact() {
    std::lock_guard<std::mutex> i(index_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
  }

private:
  std::mutex data_mu_, index_mu_;
  int n_ = 0;
};
