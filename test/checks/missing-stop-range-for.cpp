// RUN: %check_threadlint %s threadlint-missing-stop %t -- -- -std=c++20 -pthread
// (b) A std::jthread task that takes a std::stop_token and walks a container
// of any length without consulting the token.

#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

struct Item {};
void process(const Item &);
void process(int);
bool processOne(const Item &, std::stop_token);

void positiveWalksAVectorIgnoringTheToken(const std::vector<Item> &items) {
  std::jthread worker([&items](std::stop_token token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: the std::jthread task takes a std::stop_token but never consults it, so request_stop() cannot end its loop; the jthread's destructor will wait until the loop has walked its whole range [threadlint-missing-stop]
    for (const Item &item : items)
      process(item);
  });
}

void positiveUnnamedToken(const std::map<int, std::string> &jobs) {
  std::jthread worker([&jobs](std::stop_token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:46: warning: the std::jthread task takes a std::stop_token but never consults it
    for (const auto &[id, job] : jobs)
      process(id);
  });
}

class Indexer {
public:
  Indexer() : worker_([this](std::stop_token token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:46: warning: the std::jthread task takes a std::stop_token but never consults it
                  for (auto &doc : documents_)
                    process(doc);
                }) {}

private:
  std::vector<Item> documents_;
  std::jthread worker_;
};

template <typename Container> void positiveInTemplate(const Container &c) {
  std::jthread worker([&c](std::stop_token token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: the std::jthread task takes a std::stop_token but never consults it
    for (const auto &x : c)
      process(x);
  });
}
template void positiveInTemplate(const std::vector<int> &);

#define FOR_EACH(x, c) for (const auto &x : c)

void positiveLoopFromAMacro(const std::vector<Item> &items) {
  std::jthread worker([&items](std::stop_token token) {
    // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: the std::jthread task takes a std::stop_token but never consults it
    FOR_EACH(item, items)
      process(item);
  });
}

// ---------------------------------------------------------------- negatives

void negativeTokenCheckedInTheLoop(const std::vector<Item> &items) {
  std::jthread worker([&items](std::stop_token token) {
    for (const Item &item : items) {
      if (token.stop_requested())
        return;
      process(item);
    }
  });
}

void negativeTokenPassedOn(const std::vector<Item> &items) {
  std::jthread worker([&items](std::stop_token token) {
    for (const Item &item : items)
      if (!processOne(item, token))
        break;
  });
}

void negativeStopCallback(const std::vector<Item> &items) {
  std::jthread worker([&items](std::stop_token token) {
    std::stop_callback onStop(token, [] {});
    for (const Item &item : items)
      process(item);
  });
}

void negativeConditionVariableAnyWait(std::mutex &mu,
                                      std::condition_variable_any &cv,
                                      const std::vector<Item> &items) {
  std::jthread worker([&](std::stop_token token) {
    for (const Item &item : items) {
      std::unique_lock lock(mu);
      cv.wait(lock, token, [] { return true; });
      process(item);
    }
  });
}

// A fixed, small range: nothing long to interrupt.
void negativeFixedArray() {
  std::jthread worker([](std::stop_token) {
    int steps[] = {1, 2, 3};
    for (int s : steps)
      process(s);
  });
  std::jthread other([](std::stop_token) {
    std::array<int, 3> steps = {1, 2, 3};
    for (int s : steps)
      process(s);
  });
  std::jthread braced([](std::stop_token) {
    for (int s : {1, 2, 3})
      process(s);
  });
}

// No work in the loop body.
void negativeCheapLoop(const std::vector<int> &values, int &sum) {
  std::jthread worker([&](std::stop_token) {
    for (int v : values)
      sum += v;
  });
}

// No stop_token parameter: std::jthread cannot ask it to stop, and a walk
// over a container ends by itself.
void negativeNoTokenParameter(const std::vector<Item> &items) {
  std::jthread worker([&items] {
    for (const Item &item : items)
      process(item);
  });
}

// A member jthread whose task checks its token while it walks the range.
class NegativeIndexerChecksTheToken {
public:
  NegativeIndexerChecksTheToken()
      : worker_([this](std::stop_token token) {
          for (auto &doc : documents_) {
            if (token.stop_requested())
              break;
            process(doc);
          }
        }) {}

private:
  std::vector<Item> documents_;
  std::jthread worker_;
};
