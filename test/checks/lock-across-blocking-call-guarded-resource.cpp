// RUN: %check_threadlint --check-suffixes=DEF,BOTH %s threadlint-lock-across-blocking-call %t -- -- -std=c++17 -pthread
// RUN: %check_threadlint --check-suffixes=ALL,BOTH %s threadlint-lock-across-blocking-call %t -- \
// RUN:   -config="{CheckOptions: {threadlint-lock-across-blocking-call.ReportGuardedResource: true}}" \
// RUN:   -- -std=c++17 -pthread
//
// RUN: %threadlint --checks=-*,threadlint-lock-across-blocking-call --dump-config --config={} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: threadlint-lock-across-blocking-call.ReportGuardedResource: 'false'
//
// I/O on the resource the held lock guards (the FILE *, descriptor or
// stream is a field or global whose guard, declared or inferred, is that
// lock) is what the lock is for: by default that lock does not count
// there (DEF). With ReportGuardedResource it is reported as any other
// blocking call (ALL). What both runs report is marked BOTH. One warning per
// kind of wait per critical section still holds: with the option, a second
// stdio call in a section is not reported again.

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <unistd.h>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))

// glog's LogFileObject: `lock_` guards `file_` (inferred: every write of
// `file_` outside the constructor holds it).
class LogFile {
public:
  void Open(const char *path) {
    std::lock_guard<std::mutex> l(lock_);
    file_ = fopen(path, "a");
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:13: warning: blocking call 'fopen' (stdio) while holding 'lock_'
  }
  void Write(const char *msg, size_t n) {
    std::lock_guard<std::mutex> l(lock_);
    fwrite(msg, 1, n, file_);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fwrite' (stdio) while holding 'lock_'
  }
  void Flush() {
    std::lock_guard<std::mutex> l(lock_);
    FlushUnlocked();
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: call to 'LogFile::FlushUnlocked' may block (stdio in 'fflush') while holding 'lock_'
  }
  void Close() {
    std::lock_guard<std::mutex> l(lock_);
    if (file_ != nullptr) {
      fclose(file_);
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: blocking call 'fclose' (stdio) while holding 'lock_'
      file_ = nullptr;
    }
  }
  // Unrelated waits under the same lock are reported either way.
  void WriteAndNap(const char *msg, size_t n) {
    std::lock_guard<std::mutex> l(lock_);
    fputs(msg, file_);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fputs' (stdio) while holding 'lock_'
    usleep(100);
    // CHECK-MESSAGES-BOTH: :[[@LINE-1]]:5: warning: blocking call 'usleep' (sleep) while holding 'lock_'
  }
  // Reading another file under the lock: reported by default even though a
  // guarded write came first in the section (it does not use up the
  // section's one stdio warning); with the option that write is the
  // section's stdio warning.
  void CopyFrom(FILE *in) {
    char buf[256];
    std::lock_guard<std::mutex> l(lock_);
    fputc('>', file_);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fputc' (stdio) while holding 'lock_'
    size_t n = fread(buf, 1, sizeof buf, in);
    // CHECK-MESSAGES-DEF: :[[@LINE-1]]:16: warning: blocking call 'fread' (stdio) while holding 'lock_'
    fwrite(buf, 1, n, file_);
  }
  // A file the lock does not guard: `trace_` is guarded by `trace_mu_`.
  void TraceUnderWrongLock(const char *msg) {
    std::lock_guard<std::mutex> l(lock_);
    fputs(msg, trace_);
    // CHECK-MESSAGES-BOTH: :[[@LINE-1]]:5: warning: blocking call 'fputs' (stdio) while holding 'lock_'
  }
  void Trace(const char *msg) {
    std::lock_guard<std::mutex> t(trace_mu_);
    fputs(msg, trace_);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fputs' (stdio) while holding 'trace_mu_'
  }
  void SetTrace(FILE *f) {
    std::lock_guard<std::mutex> t(trace_mu_);
    trace_ = f;
  }
  // Two locks held: only the one that guards `file_` is dropped.
  void WriteTraced(const char *msg) {
    std::lock_guard<std::mutex> t(trace_mu_);
    std::lock_guard<std::mutex> l(lock_);
    fputs(msg, file_);
    // CHECK-MESSAGES-DEF: :[[@LINE-1]]:5: warning: blocking call 'fputs' (stdio) while holding 'trace_mu_'
    // CHECK-MESSAGES-ALL: :[[@LINE-2]]:5: warning: blocking call 'fputs' (stdio) while holding 'trace_mu_' and 'lock_'
  }
  // The same helper on another object: its `file_` is not what this
  // object's lock guards.
  void FlushOther(LogFile &other) {
    std::lock_guard<std::mutex> l(lock_);
    other.FlushUnlocked();
    // CHECK-MESSAGES-BOTH: :[[@LINE-1]]:11: warning: call to 'LogFile::FlushUnlocked' may block (stdio in 'fflush') while holding 'lock_'
  }
  // A helper that also sleeps: not all it blocks on is guarded.
  void FlushSlowly() {
    std::lock_guard<std::mutex> l(lock_);
    FlushAndWait();
    // CHECK-MESSAGES-BOTH: :[[@LINE-1]]:5: warning: call to 'LogFile::FlushAndWait' may block (sleep in 'sleep') while holding 'lock_'
  }

private:
  void FlushUnlocked() {
    if (file_ != nullptr)
      fflush(file_);
  }
  void FlushAndWait() {
    FlushUnlocked();
    sleep(1);
  }
  std::mutex lock_;
  FILE *file_ = nullptr;
  std::mutex trace_mu_;
  FILE *trace_ = nullptr;
};

// A descriptor with a declared guard; `stats_fd_` has none (a class that
// declares guards is taken at its word).
class Journal {
public:
  void Open(const char *path) {
    std::lock_guard<std::mutex> l(mu_);
    fd_ = ::open(path, O_WRONLY | O_APPEND);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:11: warning: blocking call 'open' (file I/O) while holding 'mu_'
  }
  void Append(const char *buf, size_t n) {
    std::lock_guard<std::mutex> l(mu_);
    ::write(fd_, buf, n);
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'write' (file I/O) while holding 'mu_'
  }
  void Sync() {
    std::lock_guard<std::mutex> l(mu_);
    SyncLocked();
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: call to 'Journal::SyncLocked' may block (file I/O in 'fsync') while holding 'mu_'
  }
  void Stats(const char *buf, size_t n) {
    std::lock_guard<std::mutex> l(mu_);
    ::write(stats_fd_, buf, n);
    // CHECK-MESSAGES-BOTH: :[[@LINE-1]]:5: warning: blocking call 'write' (file I/O) while holding 'mu_'
  }

private:
  void SyncLocked() { fsync(fd_); }
  std::mutex mu_;
  int fd_ GUARDED_BY(mu_) = -1;
  int stats_fd_ = 2;
};

// A FILE owned by a std::unique_ptr: `get()`, `reset(fopen(...))` and
// `fileno()` name the field.
struct FileCloser {
  void operator()(FILE *f) const { fclose(f); }
};
class OwnedFile {
public:
  void Open(const char *path) {
    std::lock_guard<std::mutex> l(mu_);
    file_.reset(fopen(path, "a"));
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:17: warning: blocking call 'fopen' (stdio) while holding 'mu_'
  }
  void Put(const char *s) {
    std::lock_guard<std::mutex> l(mu_);
    fputs(s, file_.get());
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fputs' (stdio) while holding 'mu_'
  }
  void Sync() {
    std::lock_guard<std::mutex> l(mu_);
    fsync(fileno(file_.get()));
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: blocking call 'fsync' (file I/O) while holding 'mu_'
  }

private:
  std::mutex mu_;
  std::unique_ptr<FILE, FileCloser> file_;
};

// A call on the object the lock guards: what it writes is part of it.
class Sink {
public:
  explicit Sink(FILE *f) : fp_(f) {}
  void Flush() { fflush(fp_); }

private:
  FILE *fp_;
};

class Logger {
public:
  void Reset(Sink *s) {
    std::lock_guard<std::mutex> l(mu_);
    sink_ = s;
  }
  void Flush() {
    std::lock_guard<std::mutex> l(mu_);
    sink_->Flush();
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:12: warning: call to 'Sink::Flush' may block (stdio in 'fflush') while holding 'mu_'
  }

private:
  std::mutex mu_;
  Sink *sink_ = nullptr;
};

// A global file and the global mutex that guards it, directly and through
// a free function.
FILE *g_log = nullptr;
std::mutex g_log_mu;

static void flushLog() { fflush(g_log); }

void logLine(const char *line) {
  std::lock_guard<std::mutex> l(g_log_mu);
  fputs(line, g_log);
  // CHECK-MESSAGES-ALL: :[[@LINE-1]]:3: warning: blocking call 'fputs' (stdio) while holding 'g_log_mu'
}

void rotateLog(const char *path) {
  std::lock_guard<std::mutex> l(g_log_mu);
  flushLog();
  // CHECK-MESSAGES-ALL: :[[@LINE-1]]:3: warning: call to 'flushLog' may block (stdio in 'fflush') while holding 'g_log_mu'
  g_log = nullptr;
}

// A file stream member under the lock declared to guard it: a declared
// guard stands without any counted access (the guard model does not
// classify stream operations), so the stream I/O on `out_` is the lock's
// purpose and is reported only with the option.
class Report {
public:
  void Reopen(const char *path) {
    std::lock_guard<std::mutex> l(mu_);
    lines_ = 0;
  }
  void Line(const char *s) {
    std::lock_guard<std::mutex> l(mu_);
    out_ << s << '\n';
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:10: warning: blocking call 'operator<<' (file stream) while holding 'mu_'
    ++lines_;
  }
  void Flush() {
    std::lock_guard<std::mutex> l(mu_);
    out_.flush();
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:10: warning: blocking call 'std::ofstream::flush' (file stream) while holding 'mu_'
  }

private:
  std::mutex mu_;
  std::ofstream out_ GUARDED_BY(mu_);
  int lines_ GUARDED_BY(mu_) = 0;
};
