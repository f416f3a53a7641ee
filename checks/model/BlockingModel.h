//===--- BlockingModel.h - calls that block the calling thread --*- C++ -*-===//
//
// The shared blocking model (see the catalogue's shared vocabulary): a data
// table of functions that may block for an unbounded or long time (I/O,
// sleeps, joins, waits on futures, latches and semaphores, processes, DNS),
// extended by the BlockingFunctions option and by
// [[clang::annotate("threadlint::blocking")]] on a declaration; and a
// per-translation-unit summary of the functions that block indirectly,
// through calls to functions whose bodies are in the translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_BLOCKINGMODEL_H
#define THREADLINT_CHECKS_MODEL_BLOCKINGMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// A call that blocks by itself.
struct BlockingCall {
  const FunctionDecl *Callee = nullptr;
  /// "recv", "std::this_thread::sleep_for", "operator<<" on a file stream.
  std::string Name;
  /// What kind of wait: "socket I/O", "sleep", "thread join", ...
  llvm::StringRef Family;
};

class BlockingModel {
public:
  /// \p Extra: qualified names from the BlockingFunctions option.
  BlockingModel(std::vector<std::string> Extra, bool IncludeConsoleOutput);

  /// Whether the call or construction \p E blocks by itself. Condition
  /// variable waits are not included: whether they block depends on the
  /// locks held (see conditionWaitLock).
  std::optional<BlockingCall> blocks(const Expr *E) const;

  /// For `cv.wait(lk, ...)`, `cv.wait_for(lk, ...)`, `pthread_cond_wait(&c,
  /// &m)`: the lock or guard expression the wait releases. Null otherwise.
  static const Expr *conditionWaitLock(const Expr *E);

  /// For a condition-variable wait whose mutex is a global variable (waited
  /// with directly or through a local guard constructed on it): that
  /// mutex's LockModel key. Such a wait in a helper blocks a caller holding
  /// any other lock.
  static std::optional<std::string> globalMutexWaitedOn(const Expr *Wait,
                                                        ASTContext &Ctx);

  /// Whether the wait \p E cannot wait: a timed wait whose timeout is a
  /// constant zero (`f.wait_for(0s)`, `cv.wait_for(lk, 0ms)`,
  /// `poll(fds, n, 0)`, `epoll_wait(fd, ev, n, 0)`): a poll of the state.
  static bool hasZeroTimeout(const Expr *E);

  /// Every name of the built-in table (for documentation and tests).
  static std::vector<std::string> tableNames();

  const std::vector<std::string> &extraFunctions() const { return Extra; }
  bool includeConsoleOutput() const { return IncludeConsole; }

private:
  std::vector<std::string> Extra;
  bool IncludeConsole;
  /// Last name component → table rows (indices) and option entries.
  llvm::StringMap<std::vector<std::pair<std::string, llvm::StringRef>>> ByLast;
};

/// One step of a chain from a call down to the call that blocks.
struct BlockingStep {
  /// The function the step's call is in.
  const FunctionDecl *Caller = nullptr;
  /// The call inside Caller.
  const Expr *Call = nullptr;
  /// Its callee.
  const FunctionDecl *Callee = nullptr;
};

/// Which functions of a translation unit may block, transitively. Computed
/// lazily and memoised; bounded in depth; bodies in system headers are not
/// entered (the table speaks for them); a recursive cycle does not block.
class BlockingSummary {
public:
  BlockingSummary(const BlockingModel &Model, unsigned MaxDepth)
      : Model(Model), MaxDepth(MaxDepth) {}

  /// If calling \p FD may block: the chain of calls from inside FD down to a
  /// blocking call (its last step's Call blocks by itself). Null otherwise.
  const std::vector<BlockingStep> *mayBlock(const FunctionDecl *FD,
                                            ASTContext &Ctx);

  /// The blocking call at the end of \p Chain.
  std::optional<BlockingCall> blockingEnd(
      const std::vector<BlockingStep> &Chain) const {
    return Model.blocks(Chain.back().Call);
  }

  void clear() { Memo.clear(); }

private:
  const std::vector<BlockingStep> *compute(const FunctionDecl *FD,
                                           ASTContext &Ctx, unsigned Depth);

  const BlockingModel &Model;
  unsigned MaxDepth;
  /// Finished functions: their chain (empty = does not block).
  /// (A std::map: callers keep pointers to chains across later queries.)
  std::map<const FunctionDecl *, std::vector<BlockingStep>> Memo;
  llvm::DenseMap<const FunctionDecl *, bool> InProgress;
  /// Bodies entered by the current query, and its limit.
  unsigned Visits = 0;
  static constexpr unsigned MaxVisits = 400;
  /// The current search was cut short somewhere below.
  bool Truncated = false;
};

/// How to name the callee of \p E in a message: the member by the type it
/// is called on, an operator by itself, a construction by its type.
std::string displayName(const Expr *E, const FunctionDecl *FD);

/// The callee of a call or construction, if known.
const FunctionDecl *calleeOf(const Expr *E);

} // namespace clang::tidy::threadlint

#endif
