// RUN: %check_threadlint %s threadlint-sleep-as-sync %t -- -- -std=c++20 -pthread
//
// Which calls wait for other threads is the model's one answer
// (mayWaitForOtherThreads): a string join or closing a file between the
// spawn and the sleep waits for no one and tells the work nothing, so the
// sleep is still what the read relies on. A join of threads, a project's
// own wait and a semaphore's acquire still count as waits.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

int compute();
std::string join(const std::vector<std::string> &parts, const char *sep);

int positiveStringJoinWaitsForNoOne(const std::vector<std::string> &parts) {
  int result = -1;
  std::thread worker([&result] { result = compute(); });
  const std::string label = join(parts, ",");
  std::this_thread::sleep_for(50ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'result' is read while the work started earlier may still write it; join the thread instead
  const int seen = result + static_cast<int>(label.size());
  worker.join();
  return seen;
}
// CHECK-FIXES: {{^}}  worker.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  const int seen = result + static_cast<int>(label.size());{{$}}
// CHECK-FIXES-NEXT: {{^}}  return seen;{{$}}

int positiveClosingAFileSignalsNoOne(std::FILE *log) {
  int result = -1;
  std::thread worker([&result] { result = compute(); });
  std::fclose(log);
  std::this_thread::sleep_for(50ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'result' is read while the work started earlier may still write it; join the thread instead
  const int seen = result;
  worker.join();
  return seen;
}
// CHECK-FIXES: {{^}}  worker.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  const int seen = result;{{$}}
// CHECK-FIXES-NEXT: {{^}}  return seen;{{$}}

int positiveClosingAFileStreamSignalsNoOne(std::ofstream &out) {
  int result = -1;
  std::thread worker([&result] { result = compute(); });
  out.close();
  std::this_thread::sleep_for(50ms);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: sleep used as synchronisation: 'result' is read while the work started earlier may still write it; join the thread instead
  const int seen = result;
  worker.join();
  return seen;
}
// CHECK-FIXES: {{^}}  worker.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  //{{$}}
// CHECK-FIXES-NEXT: {{^}}  const int seen = result;{{$}}
// CHECK-FIXES-NEXT: {{^}}  return seen;{{$}}

// --- Negatives: these calls may wait for the work --------------------------

struct Workers {
  void JoinAll();
};

int negativeJoinOfAThreadGroupWaits(Workers &group) {
  int result = -1;
  std::thread worker([&result] { result = compute(); });
  group.JoinAll();
  std::this_thread::sleep_for(50ms);
  const int seen = result;
  worker.join();
  return seen;
}

void WaitForJobs();

int negativeAProjectsOwnWaitWaits() {
  int result = -1;
  std::thread worker([&result] { result = compute(); });
  WaitForJobs();
  std::this_thread::sleep_for(50ms);
  const int seen = result;
  worker.join();
  return seen;
}

int negativeASemaphoreAcquireWaits(std::binary_semaphore &done) {
  int result = -1;
  std::thread worker([&result, &done] {
    result = compute();
    done.release();
  });
  done.acquire();
  std::this_thread::sleep_for(50ms);
  const int seen = result;
  worker.join();
  return seen;
}
