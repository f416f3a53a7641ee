//===--- BlockingModel.cpp - calls that block the calling thread ----------===//
#include "model/BlockingModel.h"
#include "model/AstHelpers.h"
#include "model/LockModel.h"
#include "model/SpawnModel.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::threadlint {

namespace {

/// One row of the table: a plain qualified name and the kind of wait.
/// Console rows block only when the IncludeConsoleOutput option is on.
struct Row {
  const char *Name;
  const char *Family;
  bool Console = false;
};

// The blocking table. Names are plain qualified names ("::" = exactly this
// function; class templates without arguments).
const Row Table[] = {
    // Sockets.
    {"::recv", "socket I/O"},
    {"::recvfrom", "socket I/O"},
    {"::recvmsg", "socket I/O"},
    {"::recvmmsg", "socket I/O"},
    {"::send", "socket I/O"},
    {"::sendto", "socket I/O"},
    {"::sendmsg", "socket I/O"},
    {"::sendmmsg", "socket I/O"},
    {"::accept", "socket I/O"},
    {"::accept4", "socket I/O"},
    {"::connect", "socket I/O"},
    // Waiting for descriptors.
    {"::poll", "I/O wait"},
    {"::ppoll", "I/O wait"},
    {"::select", "I/O wait"},
    {"::pselect", "I/O wait"},
    {"::epoll_wait", "I/O wait"},
    {"::epoll_pwait", "I/O wait"},
    // File descriptors.
    {"::read", "file I/O"},
    {"::write", "file I/O"},
    {"::pread", "file I/O"},
    {"::pwrite", "file I/O"},
    {"::pread64", "file I/O"},
    {"::pwrite64", "file I/O"},
    {"::readv", "file I/O"},
    {"::writev", "file I/O"},
    {"::open", "file I/O"},
    {"::open64", "file I/O"},
    {"::openat", "file I/O"},
    {"::creat", "file I/O"},
    {"::fsync", "file I/O"},
    {"::fdatasync", "file I/O"},
    {"::sync", "file I/O"},
    {"::flock", "file I/O"},
    {"::lockf", "file I/O"},
    // stdio (output to stdout/stderr counts as console output).
    {"::fopen", "stdio"},
    {"::fopen64", "stdio"},
    {"::fclose", "stdio"},
    {"::fread", "stdio"},
    {"::fwrite", "stdio"},
    {"::fgets", "stdio"},
    {"::fgetc", "stdio"},
    {"::getc", "stdio"},
    {"::getchar", "stdio"},
    {"::fscanf", "stdio"},
    {"::scanf", "stdio"},
    {"::getline", "stdio"},
    {"::getdelim", "stdio"},
    {"::fputs", "stdio"},
    {"::fputc", "stdio"},
    {"::putc", "stdio"},
    {"::fprintf", "stdio"},
    {"::vfprintf", "stdio"},
    {"::fflush", "stdio"},
    {"::printf", "console output", true},
    {"::vprintf", "console output", true},
    {"::puts", "console output", true},
    {"::putchar", "console output", true},
    // Sleeps.
    {"::sleep", "sleep"},
    {"::usleep", "sleep"},
    {"::nanosleep", "sleep"},
    {"::clock_nanosleep", "sleep"},
    {"::std::this_thread::sleep_for", "sleep"},
    {"::std::this_thread::sleep_until", "sleep"},
    {"::boost::this_thread::sleep_for", "sleep"},
    {"::boost::this_thread::sleep_until", "sleep"},
    // Threads and futures.
    {"::std::thread::join", "thread join"},
    {"::std::jthread::join", "thread join"},
    {"::boost::thread::join", "thread join"},
    {"::pthread_join", "thread join"},
    {"::std::future::get", "future wait"},
    {"::std::future::wait", "future wait"},
    {"::std::future::wait_for", "future wait"},
    {"::std::future::wait_until", "future wait"},
    {"::std::shared_future::get", "future wait"},
    {"::std::shared_future::wait", "future wait"},
    {"::std::shared_future::wait_for", "future wait"},
    {"::std::shared_future::wait_until", "future wait"},
    // libstdc++ declares the waits once, in the futures' common base.
    {"::std::__basic_future::wait", "future wait"},
    {"::std::__basic_future::wait_for", "future wait"},
    {"::std::__basic_future::wait_until", "future wait"},
    // Latches, barriers, semaphores.
    {"::std::latch::wait", "latch wait"},
    {"::std::latch::arrive_and_wait", "latch wait"},
    {"::std::barrier::wait", "barrier wait"},
    {"::std::barrier::arrive_and_wait", "barrier wait"},
    {"::pthread_barrier_wait", "barrier wait"},
    {"::std::counting_semaphore::acquire", "semaphore wait"},
    {"::std::counting_semaphore::try_acquire_for", "semaphore wait"},
    {"::std::counting_semaphore::try_acquire_until", "semaphore wait"},
    {"::sem_wait", "semaphore wait"},
    {"::sem_timedwait", "semaphore wait"},
    // Processes.
    {"::system", "process"},
    {"::popen", "process"},
    {"::pclose", "process"},
    {"::waitpid", "process"},
    {"::wait", "process"},
    {"::waitid", "process"},
    // Name resolution.
    {"::getaddrinfo", "DNS lookup"},
    {"::getnameinfo", "DNS lookup"},
    {"::gethostbyname", "DNS lookup"},
    {"::gethostbyname2", "DNS lookup"},
    {"::gethostbyaddr", "DNS lookup"},
};

const char *const FileStreams[] = {"::std::basic_ifstream",
                                   "::std::basic_ofstream",
                                   "::std::basic_fstream",
                                   "::std::basic_filebuf"};
const char *const ConsoleStreams[] = {"::std::cout", "::std::cerr",
                                      "::std::clog", "::std::wcout",
                                      "::std::wcerr", "::std::wclog"};

const Expr *strip(const Expr *E) {
  return E ? E->IgnoreParenImpCasts() : nullptr;
}

bool isFileStream(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  // std::ifstream is a typedef of a specialisation: ask for the template.
  static const std::vector<std::string> Names(std::begin(FileStreams),
                                              std::end(FileStreams));
  return matchesAnyName(RD, Names);
}

bool isConsoleStream(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E));
  if (!DRE)
    return false;
  static const std::vector<std::string> Names(std::begin(ConsoleStreams),
                                              std::end(ConsoleStreams));
  if (matchesAnyName(DRE->getDecl(), Names))
    return true;
  // stdout / stderr (glibc defines them as themselves).
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  return VD && VD->getIdentifier() &&
         (VD->getName() == "stdout" || VD->getName() == "stderr") &&
         VD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

// std::cin and std::wcin: reading them waits for whoever types.
bool isStandardInput(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E));
  return DRE && matchesAnyName(DRE->getDecl(), {"::std::cin", "::std::wcin"});
}

bool annotatedBlocking(const FunctionDecl *FD) {
  for (const FunctionDecl *R : FD->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == "threadlint::blocking")
        return true;
  return false;
}

} // namespace

std::string displayName(const Expr *E, const FunctionDecl *FD) {
  PrintingPolicy Policy(FD->getASTContext().getLangOpts());
  Policy.SuppressTagKeyword = true;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    return Construct->getType().getUnqualifiedType().getAsString(Policy);
  if (FD->isOverloadedOperator())
    return FD->getNameAsString();
  // Members by the type they are called on: 'std::shared_future<void>::wait'
  // rather than the library's base class that declares it.
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E))
    if (const Expr *Object = Member->getImplicitObjectArgument()) {
      QualType T = Object->IgnoreParenImpCasts()->getType();
      if (const auto *P = T->getAs<PointerType>())
        T = P->getPointeeType();
      return T.getNonReferenceType().getUnqualifiedType().getAsString(Policy) +
             "::" + FD->getNameAsString();
    }
  return FD->getQualifiedNameAsString();
}

const FunctionDecl *calleeOf(const Expr *E) {
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
    return Call->getDirectCallee();
  if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(E))
    return Construct->getConstructor();
  return nullptr;
}

BlockingModel::BlockingModel(std::vector<std::string> ExtraNames,
                             bool IncludeConsoleOutput)
    : Extra(std::move(ExtraNames)), IncludeConsole(IncludeConsoleOutput) {
  auto Add = [&](llvm::StringRef Name, llvm::StringRef Family) {
    llvm::StringRef Last = Name.rsplit("::").second;
    if (Last.empty())
      Last = Name;
    ByLast[Last].emplace_back(Name.str(), Family);
  };
  for (const Row &R : Table)
    if (!R.Console || IncludeConsole)
      Add(R.Name, R.Family);
  for (const std::string &Name : Extra)
    Add(Name, "blocking function");
}

const BlockingModel &BlockingModel::builtin() {
  static const BlockingModel Table({}, false);
  return Table;
}

std::vector<std::string> BlockingModel::tableNames() {
  std::vector<std::string> Names;
  for (const Row &R : Table)
    Names.push_back(R.Name);
  return Names;
}

std::optional<BlockingCall> BlockingModel::blocks(const Expr *E) const {
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return std::nullopt;
  BlockingCall Result;
  Result.Callee = FD;
  Result.Name = displayName(E, FD);

  // File streams: construction with a file name, operators and members
  // called on an object whose static type is a file stream.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() > 0 && isFileStream(Construct->getType()) &&
        !Construct->getConstructor()->isCopyOrMoveConstructor()) {
      Result.Family = "file stream";
      return Result;
    }
    return std::nullopt;
  }
  const auto *Call = cast<CallExpr>(E);
  const Expr *Object = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if ((Op->getOperator() == OO_LessLess ||
         Op->getOperator() == OO_GreaterGreater) &&
        Op->getNumArgs() == 2)
      Object = Op->getArg(0);
  } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXRecordDecl *Parent = Member->getMethodDecl()
                                      ? Member->getMethodDecl()->getParent()
                                      : nullptr;
    if (Parent && Parent->isInStdNamespace() && Parent->getIdentifier() &&
        (Parent->getName().ends_with("stream") ||
         Parent->getName().ends_with("filebuf") ||
         Parent->getName() == "basic_ios"))
      Object = Member->getImplicitObjectArgument();
  } else if (FD->isInStdNamespace() && FD->getIdentifier() &&
             FD->getName() == "getline" && Call->getNumArgs() >= 2) {
    Object = Call->getArg(0);
  }
  if (Object) {
    if (isFileStream(strip(Object)->getType())) {
      Result.Family = "file stream";
      return Result;
    }
    if (isStandardInput(Object)) {
      Result.Family = "stdio";
      return Result;
    }
    if (IncludeConsole && isConsoleStream(Object)) {
      Result.Family = "console output";
      return Result;
    }
    if (isa<CXXOperatorCallExpr>(Call) || FD->isInStdNamespace())
      return std::nullopt;
  }

  if (annotatedBlocking(FD)) {
    Result.Family = "annotated blocking";
    return Result;
  }
  if (!FD->getIdentifier())
    return std::nullopt;
  auto It = ByLast.find(FD->getName());
  if (It == ByLast.end())
    return std::nullopt;
  for (const auto &[Name, Family] : It->second) {
    if (!matchesAnyName(FD, {Name}))
      continue;
    // stdio output to stdout / stderr is console output.
    if (Family == "stdio" && !IncludeConsole)
      for (const Expr *Arg : Call->arguments())
        if (isConsoleStream(Arg))
          return std::nullopt;
    Result.Family = Family;
    return Result;
  }
  return std::nullopt;
}

const Expr *BlockingModel::conditionWaitLock(const Expr *E) {
  if (const auto *Member = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    if (!MD || !MD->getIdentifier() || Member->getNumArgs() == 0)
      return nullptr;
    llvm::StringRef N = MD->getName();
    if (N != "wait" && N != "wait_for" && N != "wait_until")
      return nullptr;
    const CXXRecordDecl *RD = MD->getParent();
    if (!RD->isInStdNamespace() || !RD->getIdentifier() ||
        (RD->getName() != "condition_variable" &&
         RD->getName() != "condition_variable_any"))
      return nullptr;
    return Member->getArg(0);
  }
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getIdentifier() && Call->getNumArgs() >= 2 &&
        (FD->getName() == "pthread_cond_wait" ||
         FD->getName() == "pthread_cond_timedwait"))
      return Call->getArg(1);
  }
  return nullptr;
}

namespace {
// Whether V is a number zero, or a struct whose only value is one (a
// std::chrono::duration holds just its count).
bool isZeroValue(const APValue &V) {
  if (V.isInt())
    return V.getInt().isZero();
  if (V.isFloat())
    return V.getFloat().isZero();
  if (V.isStruct() && V.getStructNumBases() == 0 &&
      V.getStructNumFields() == 1)
    return isZeroValue(V.getStructField(0));
  return false;
}

bool isStdDuration(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == "duration" &&
         RD->getQualifiedNameAsString() == "std::chrono::duration";
}

// Whether E is a constant zero (a number or a duration).
bool isConstantZero(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreImplicit();
  if (E->isValueDependent() || E->isTypeDependent() || E->containsErrors())
    return false;
  Expr::EvalResult R;
  if (!E->EvaluateAsRValue(R, Ctx) || R.HasSideEffects)
    return false;
  return isZeroValue(R.Val);
}
} // namespace

bool BlockingModel::hasZeroTimeout(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  ASTContext &Ctx = FD->getASTContext();
  llvm::StringRef N = FD->getName();
  // poll(fds, n, timeout); epoll_wait / epoll_pwait(fd, events, n, timeout).
  unsigned Timeout = N == "poll" ? 2
                     : N == "epoll_wait" || N == "epoll_pwait" ? 3
                                                               : ~0u;
  if (Timeout != ~0u)
    return FD->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
           Call->getNumArgs() > Timeout &&
           isConstantZero(Call->getArg(Timeout), Ctx);
  // Standard timed waits: their duration argument.
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  bool Std = MD ? MD->getParent()->isInStdNamespace() : FD->isInStdNamespace();
  if (!Std ||
      (N != "wait_for" && N != "try_acquire_for" && N != "try_lock_for"))
    return false;
  for (const Expr *Arg : Call->arguments())
    if (isStdDuration(Arg->getType()))
      return isConstantZero(Arg, Ctx);
  return false;
}

std::optional<std::string>
BlockingModel::globalMutexWaitedOn(const Expr *Wait, ASTContext &Ctx) {
  const Expr *Lock = conditionWaitLock(Wait);
  if (!Lock)
    return std::nullopt;
  const Expr *Mutex = Lock->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Mutex))
    Mutex = U->getSubExpr()->IgnoreParenImpCasts();
  // Through a local guard: the mutex it was constructed on.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Mutex))
    if (const auto *Guard = dyn_cast<VarDecl>(DRE->getDecl());
        Guard && Guard->isLocalVarDecl() && Guard->getInit())
      if (const auto *CE = dyn_cast<CXXConstructExpr>(
              Guard->getInit()->IgnoreImplicit());
          CE && CE->getNumArgs() >= 1)
        Mutex = CE->getArg(0)->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(Mutex);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasGlobalStorage() || VD->isStaticLocal())
    return std::nullopt;
  return LockModel::describeMutex(Mutex, Ctx).Key;
}

const std::vector<BlockingStep> *
BlockingSummary::mayBlock(const FunctionDecl *FD, ASTContext &Ctx) {
  Visits = 0;
  Truncated = false;
  Scratch.clear();
  return compute(FD, Ctx, 0);
}

const LockModel *BlockingSummary::releasesIn(const FunctionDecl *FD,
                                             ASTContext &Ctx) {
  auto [It, New] = Models.try_emplace(FD);
  if (!New)
    return It->second.get();
  const Stmt *Body = FD->getBody();
  if (!Body || !LockModel::mayRelease(Body, LockOptions))
    return nullptr;
  auto M = std::make_unique<LockModel>(Body, FD, Ctx, LockOptions);
  if (M->analysed())
    It->second = std::move(M);
  return It->second.get();
}

const std::vector<BlockingStep> *
BlockingSummary::compute(const FunctionDecl *FD, ASTContext &Ctx,
                         unsigned Depth) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return nullptr;
  FD = Def;
  // The answer is a function of (FD, depth left) alone: the depth bound
  // ends recursive cycles, and no function on the current path is treated
  // differently from any other. So it can be remembered per depth left.
  if (Depth >= MaxDepth)
    return nullptr;
  const auto Key = std::make_pair(FD, MaxDepth - Depth);
  if (auto It = Memo.find(Key); It != Memo.end())
    return It->second.empty() ? nullptr : &It->second;
  if (++Visits > MaxVisits) {
    Truncated = true;
    return nullptr;
  }
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(FD->getLocation()) || FD->isInvalidDecl())
    return nullptr;
  // Whether this function's own search was cut short by the visit budget,
  // apart from what the caller's search already was.
  bool OuterTruncated = Truncated;
  Truncated = false;

  // The calls of the body, in order, not entering lambdas (their bodies run
  // when called, not here).
  struct Calls : RecursiveASTVisitor<Calls> {
    std::vector<const Expr *> Found;
    bool shouldVisitLambdaBody() const { return false; }
    bool VisitCallExpr(CallExpr *E) {
      Found.push_back(E);
      return Found.size() < 2000;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *E) {
      Found.push_back(E);
      return Found.size() < 2000;
    }
  } V;
  V.TraverseStmt(FD->getBody());

  // Whether FD has released its caller's lock before Call.
  const LockModel *Releases = releasesIn(FD, Ctx);
  auto AfterRelease = [&](const Expr *Call) {
    return Releases && Releases->releasedCallersLockBefore(Call);
  };

  // The best chain: one that keeps the caller's locks over one that
  // releases them, then the shortest, then the first in source order.
  std::vector<BlockingStep> Chain;
  auto Better = [&](const std::vector<BlockingStep> &C) {
    if (Chain.empty())
      return true;
    bool Keeps = !releasesCallersLock(C), Kept = !releasesCallersLock(Chain);
    if (Keeps != Kept)
      return Keeps;
    return C.size() < Chain.size();
  };
  // A direct blocking call first: the shortest chains.
  for (const Expr *Call : V.Found) {
    // A condition-variable wait releases the mutex it waits with. In a
    // helper, that mutex may well be the caller's (a wrapper class that
    // keeps a pointer to it): the wait counts only when it is a global the
    // caller can be compared against.
    bool Blocks = (Model.blocks(Call).has_value() ||
                   BlockingModel::globalMutexWaitedOn(Call, Ctx).has_value()) &&
                  !BlockingModel::hasZeroTimeout(Call);
    if (!Blocks)
      continue;
    std::vector<BlockingStep> Candidate{
        {FD, Call, calleeOf(Call), AfterRelease(Call)}};
    if (Better(Candidate))
      Chain = std::move(Candidate);
    if (!releasesCallersLock(Chain))
      break;
  }
  // Then through callees, unless a direct call that keeps the lock was
  // found (nothing can be better).
  if (Chain.empty() || releasesCallersLock(Chain))
    for (const Expr *Call : V.Found) {
      const FunctionDecl *Callee = calleeOf(Call);
      // A library macro's helper (a test framework's assertion that reads
      // source files to report a failure) is the library's business.
      if (!Callee || Callee == FD || inForeignMacro(Call->getBeginLoc(), SM))
        continue;
      const std::vector<BlockingStep> *Inner = compute(Callee, Ctx, Depth + 1);
      if (!Inner)
        continue;
      std::vector<BlockingStep> Candidate{
          {FD, Call, Callee, AfterRelease(Call)}};
      Candidate.insert(Candidate.end(), Inner->begin(), Inner->end());
      if (Better(Candidate))
        Chain = std::move(Candidate);
      // Two steps, keeping the lock: no callee can do better.
      if (Chain.size() == 2 && !releasesCallersLock(Chain))
        break;
    }
  bool WasTruncated = Truncated;
  Truncated = Truncated || OuterTruncated;
  // A search the visit budget cut depends on what earlier queries already
  // remembered: its answer is used once and not remembered.
  if (WasTruncated) {
    if (Chain.empty())
      return nullptr;
    Scratch.push_back(std::move(Chain));
    return &Scratch.back();
  }
  std::vector<BlockingStep> &Slot = Memo[Key];
  Slot = std::move(Chain);
  return Slot.empty() ? nullptr : &Slot;
}

} // namespace clang::tidy::threadlint
