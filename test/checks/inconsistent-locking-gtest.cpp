// RUN: %check_threadlint %s threadlint-inconsistent-locking %t -- -- -std=c++17 -pthread

// In a googletest program the callers of a helper class are the tests, in
// view: they run one after another, and show the threads they start. The
// public-method rule (no thread in sight) does not apply; a thread the
// model sees still does.

#include <mutex>
#include <thread>
#include <vector>

// What <gtest/gtest.h> declares, reduced to what TEST_F expands to.
namespace testing {
class Test {
public:
  virtual ~Test() = default;
  virtual void TestBody() = 0;
};
} // namespace testing

// A listener the library calls back; the test reads what it recorded after
// the work it waited for (rocksdb's CompactionJobStatsChecker).
class NegativeCheckerReadByTheTest {
public:
  void expect(int v) {
    std::lock_guard<std::mutex> g(mu_);
    expected_.push_back(v);
  }
  void onDone() {
    std::lock_guard<std::mutex> g(mu_);
    if (!expected_.empty())
      expected_.pop_back();
  }
  size_t unverified() { return expected_.size(); }

private:
  std::mutex mu_;
  std::vector<int> expected_;
};

// A test started a thread that writes under the lock while the test reads.
class Counter {
public:
  void run() {
    std::lock_guard<std::mutex> g(mu_);
    ++n_;
  }
  int value() { return n_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'n_' is read without holding 'mu_', which is held at 1 of its 2 accesses

private:
  std::mutex mu_;
  int n_ = 0;
};

// The library that calls the listener back, in another file.
void registerListener(NegativeCheckerReadByTheTest *l);
void compactAndWait();

class DBTestBase : public testing::Test {};
class StatsTest : public DBTestBase {};
struct StatsTest_Compaction_Test : StatsTest {
  void TestBody() override {
    NegativeCheckerReadByTheTest checker;
    registerListener(&checker);
    compactAndWait();
    (void)checker.unverified();
  }
};
struct StatsTest_Counter_Test : StatsTest {
  void TestBody() override {
    Counter c;
    std::thread t(&Counter::run, &c);
    (void)c.value();
    t.join();
  }
};
