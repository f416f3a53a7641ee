//===--- LockModelTest.cpp - the lock model on its own --------------------===//
#include "model/LockModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::threadlint;

namespace {

// Just enough of the standard library and pthreads for the model.
const char Prelude[] = R"cpp(
namespace std {
template <class T> T &&move(T &t);
struct defer_lock_t {}; struct try_to_lock_t {}; struct adopt_lock_t {};
inline constexpr defer_lock_t defer_lock{};
inline constexpr try_to_lock_t try_to_lock{};
inline constexpr adopt_lock_t adopt_lock{};
class mutex { public: void lock(); void unlock(); bool try_lock(); };
class shared_mutex {
public:
  void lock(); void unlock(); void lock_shared(); void unlock_shared();
};
template <class M> class lock_guard {
public:
  explicit lock_guard(M &m); lock_guard(M &m, adopt_lock_t); ~lock_guard();
};
template <class... M> class scoped_lock {
public:
  explicit scoped_lock(M &...m); ~scoped_lock();
};
template <class M> class unique_lock {
public:
  explicit unique_lock(M &m); unique_lock(M &m, defer_lock_t);
  unique_lock(M &m, try_to_lock_t); unique_lock(M &m, adopt_lock_t);
  unique_lock(unique_lock &&); ~unique_lock();
  void lock(); void unlock(); M *release(); bool owns_lock() const;
};
template <class M> class shared_lock {
public:
  explicit shared_lock(M &m); ~shared_lock();
};
template <class A, class B> void lock(A &, B &);
} // namespace std
struct pthread_mutex_t { int x; };
extern "C" int pthread_mutex_lock(pthread_mutex_t *);
extern "C" int pthread_mutex_unlock(pthread_mutex_t *);
std::mutex a, b;
std::shared_mutex rw;
pthread_mutex_t pm;
void probe(int);
)cpp";

struct Fixture {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<LockModel> Model;
  const FunctionDecl *F = nullptr;
};

/// Parses Prelude + Code and builds the model of function f (or of the first
/// lambda in it when \p Lambda).
Fixture build(const std::string &Code, bool Lambda = false,
              const LockModelOptions &Options = {}) {
  Fixture X;
  X.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++17"});
  EXPECT_TRUE(X.AST);
  if (!X.AST)
    return X;
  EXPECT_FALSE(X.AST->getDiagnostics().hasErrorOccurred());
  ASTContext &Ctx = X.AST->getASTContext();
  auto All = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  EXPECT_EQ(All.size(), 1u);
  if (All.empty())
    return X;
  X.F = All.front().getNodeAs<FunctionDecl>("f");
  const FunctionDecl *Body = X.F;
  if (Lambda) {
    auto Ls = match(findAll(lambdaExpr().bind("l")), *X.F->getBody(), Ctx);
    EXPECT_FALSE(Ls.empty());
    if (Ls.empty())
      return X;
    Body = Ls.front().getNodeAs<LambdaExpr>("l")->getCallOperator();
  }
  X.Model = std::make_unique<LockModel>(Body->getBody(), Body, Ctx, Options);
  return X;
}

/// The names of the locks held at probe(N), sorted and joined by ',';
/// "?" when the model does not know.
std::string heldAtProbe(const Fixture &X, int N) {
  if (!X.Model)
    return "no model";
  ASTContext &Ctx = X.AST->getASTContext();
  auto Calls = match(
      findAll(callExpr(callee(functionDecl(hasName("probe"))),
                       hasArgument(0, integerLiteral(equals(N))))
                  .bind("c")),
      *X.F->getBody(), Ctx);
  if (Calls.size() != 1)
    return "probe " + std::to_string(N) + " found " +
           std::to_string(Calls.size()) + " times";
  const LockSet *Held = X.Model->heldAt(Calls.front().getNodeAs<Stmt>("c"));
  if (!Held)
    return "?";
  std::vector<std::string> Names;
  for (const HeldLock &L : *Held)
    Names.push_back(L.Name + (L.Shared ? "(shared)" : ""));
  llvm::sort(Names);
  return llvm::join(Names, ",");
}

TEST(LockModel, GuardHoldsUntilItsScopeEnds) {
  Fixture X = build(R"cpp(
    void f() {
      probe(0);
      {
        std::lock_guard<std::mutex> g(a);
        probe(1);
      }
      probe(2);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 0), "");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "");
}

TEST(LockModel, ScopedLockOfSeveral) {
  Fixture X = build(R"cpp(
    void f() { std::scoped_lock l(a, b); probe(1); })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a,b");
}

TEST(LockModel, UniqueLockUnlockLockRelease) {
  Fixture X = build(R"cpp(
    void f() {
      std::unique_lock<std::mutex> lk(a);
      probe(1);
      lk.unlock();
      probe(2);
      lk.lock();
      probe(3);
      std::mutex *m = lk.release();
      probe(4);
      m->unlock();
      probe(5);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "");
  EXPECT_EQ(heldAtProbe(X, 3), "a");
  EXPECT_EQ(heldAtProbe(X, 4), "a");
  // The pointer release() returned names the same mutex.
  EXPECT_EQ(heldAtProbe(X, 5), "");
}

TEST(LockModel, DeferTryAndAdopt) {
  Fixture X = build(R"cpp(
    void f() {
      std::unique_lock<std::mutex> d(a, std::defer_lock);
      std::unique_lock<std::mutex> t(b, std::try_to_lock);
      probe(1);
      d.lock();
      probe(2);
      rw.lock();
      std::unique_lock<std::shared_mutex> ad(rw, std::adopt_lock);
      probe(3);
      ad.unlock();
      probe(4);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "");
  EXPECT_EQ(heldAtProbe(X, 2), "a");
  EXPECT_EQ(heldAtProbe(X, 3), "a,rw");
  EXPECT_EQ(heldAtProbe(X, 4), "a");
}

TEST(LockModel, ManualSharedPthreadAndStdLock) {
  Fixture X = build(R"cpp(
    void f() {
      a.lock();
      probe(1);
      a.unlock();
      rw.lock_shared();
      probe(2);
      rw.unlock_shared();
      pthread_mutex_lock(&pm);
      probe(3);
      pthread_mutex_unlock(&pm);
      std::lock(a, b);
      probe(4);
      { std::shared_lock<std::shared_mutex> r(rw); probe(5); }
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "rw(shared)");
  EXPECT_EQ(heldAtProbe(X, 3), "pm");
  EXPECT_EQ(heldAtProbe(X, 4), "a,b");
  EXPECT_EQ(heldAtProbe(X, 5), "a,b,rw(shared)");
}

TEST(LockModel, HeldOnlyWhenHeldOnEveryPath) {
  Fixture X = build(R"cpp(
    void f(bool c, int n) {
      std::unique_lock<std::mutex> lk(a);
      if (c)
        lk.unlock();
      probe(1);
      if (c) b.lock(); else b.lock();
      probe(2);
      b.unlock();
      for (int i = 0; i < n; ++i) {
        probe(3);
        if (i == 2) a.lock();
      }
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "");
  EXPECT_EQ(heldAtProbe(X, 2), "b");
  EXPECT_EQ(heldAtProbe(X, 3), "");
}

TEST(LockModel, EarlyReturnReleasesTheGuard) {
  Fixture X = build(R"cpp(
    void f(bool c) {
      {
        std::lock_guard<std::mutex> g(a);
        if (c)
          return;
        probe(1);
      }
      probe(2);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "");
}

TEST(LockModel, MovedGuardKeepsTheLock) {
  Fixture X = build(R"cpp(
    void f() {
      std::unique_lock<std::mutex> one(a);
      {
        std::unique_lock<std::mutex> two(std::move(one));
        probe(1);
      }
      probe(2);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "");
}

TEST(LockModel, LambdaBodyIsItsOwnFunction) {
  Fixture X = build(R"cpp(
    void f() {
      std::lock_guard<std::mutex> g(a);
      auto l = [] { probe(1); };
      l();
    })cpp",
                    /*Lambda=*/true);
  EXPECT_EQ(heldAtProbe(X, 1), "");
  // From the enclosing function the lambda's statements are unknown.
  Fixture Outer = build(R"cpp(
    void f() {
      std::lock_guard<std::mutex> g(a);
      auto l = [] { probe(1); };
      probe(2);
    })cpp");
  EXPECT_EQ(heldAtProbe(Outer, 1), "?");
  EXPECT_EQ(heldAtProbe(Outer, 2), "a");
}

TEST(LockModel, MembersThroughThisAreOneMutex) {
  Fixture X = build(R"cpp(
    struct S {
      std::mutex mu_;
      void g();
    };
    void S::g() {}
    void f() {}
    struct T {
      std::mutex mu_;
      void h() {
        this->mu_.lock();
        mu_.unlock();
      }
    };)cpp");
  ASTContext &Ctx = X.AST->getASTContext();
  auto Calls = match(cxxMemberCallExpr().bind("c"), Ctx);
  std::vector<std::string> Keys;
  for (const BoundNodes &N : Calls) {
    const auto *C = N.getNodeAs<CXXMemberCallExpr>("c");
    if (C->getMethodDecl()->getName() == "lock" ||
        C->getMethodDecl()->getName() == "unlock")
      Keys.push_back(
          LockModel::describeMutex(C->getImplicitObjectArgument(), Ctx).Key);
  }
  ASSERT_EQ(Keys.size(), 2u);
  EXPECT_EQ(Keys[0], Keys[1]);
}

TEST(LockModel, ProjectTypesThroughOptions) {
  LockModelOptions O;
  O.LockTypes = {"::base::Lock"};
  O.GuardTypes = {"::base::AutoLock"};
  Fixture X = build(R"cpp(
    namespace base {
    class Lock { public: void Lock_(); };
    class AutoLock { public: explicit AutoLock(Lock &); ~AutoLock(); };
    }
    base::Lock L;
    void f() { base::AutoLock g(L); probe(1); })cpp",
                    false, O);
  EXPECT_EQ(heldAtProbe(X, 1), "L");
  Fixture Without = build(R"cpp(
    namespace base {
    class Lock { public: void Lock_(); };
    class AutoLock { public: explicit AutoLock(Lock &); ~AutoLock(); };
    }
    base::Lock L;
    void f() { base::AutoLock g(L); probe(1); })cpp");
  EXPECT_EQ(heldAtProbe(Without, 1), "");
}

/// Whether the model says probe(N) runs after a caller's lock was released.
std::string releasedAtProbe(const Fixture &X, int N) {
  ASTContext &Ctx = X.AST->getASTContext();
  auto Calls = match(
      findAll(callExpr(callee(functionDecl(hasName("probe"))),
                       hasArgument(0, integerLiteral(equals(N))))
                  .bind("c")),
      *X.F->getBody(), Ctx);
  if (Calls.size() != 1)
    return "probe not found";
  return X.Model->releasedCallersLockBefore(Calls.front().getNodeAs<Stmt>("c"))
             ? "released"
             : "kept";
}

const char ProjectLocks[] = R"cpp(
    class Mutex { public: void Lock(); void Unlock(); };
    // leveldb's MutexLock: locks through the member it keeps.
    class MutexLock {
    public:
      explicit MutexLock(Mutex *mu) : mu_(mu) { mu_->Lock(); }
      ~MutexLock() { mu_->Unlock(); }
    private:
      Mutex *const mu_;
    };
    // A condition variable bound to a mutex: does not lock it.
    class CondVar {
    public:
      explicit CondVar(Mutex *mu) : mu_(mu) {}
      ~CondVar() {}
    private:
      Mutex *mu_;
    };
    // An unlocker: released until the destructor.
    class AutoUnlock {
    public:
      explicit AutoUnlock(Mutex *mu) : mu_(mu) { mu_->Unlock(); }
      ~AutoUnlock() { mu_->Lock(); }
    private:
      Mutex *mu_;
    };
    // Constructors not visible: judged by the class name.
    class SpinLockHolder { public: explicit SpinLockHolder(Mutex *); ~SpinLockHolder(); };
    class HiddenCondVar { public: explicit HiddenCondVar(Mutex *); ~HiddenCondVar(); };
    class ScopedUnlock { public: explicit ScopedUnlock(Mutex *); ~ScopedUnlock(); };
    Mutex m;
)cpp";

TEST(LockModel, ProjectGuardsByWhatTheirConstructorDoes) {
  Fixture X = build(std::string(ProjectLocks) + R"cpp(
    void f() {
      { CondVar cv(&m); probe(1); }
      { MutexLock l(&m); probe(2); }
      { HiddenCondVar cv(&m); probe(3); }
      { SpinLockHolder h(&m); probe(4); }
      { ScopedUnlock u(&m); probe(5); }
      { AutoUnlock u(&m); probe(6); }
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "");
  EXPECT_EQ(heldAtProbe(X, 2), "m");
  EXPECT_EQ(heldAtProbe(X, 3), "");
  EXPECT_EQ(heldAtProbe(X, 4), "m");
  EXPECT_EQ(heldAtProbe(X, 5), "");
  EXPECT_EQ(heldAtProbe(X, 6), "");
}

TEST(LockModel, UnlockerReleasesUntilItsScopeEnds) {
  Fixture X = build(std::string(ProjectLocks) + R"cpp(
    void f() {
      MutexLock l(&m);
      probe(1);
      {
        AutoUnlock u(&m);
        probe(2);
      }
      probe(3);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "m");
  EXPECT_EQ(heldAtProbe(X, 2), "");
  EXPECT_EQ(heldAtProbe(X, 3), "m");
  // Released and taken back what this body took: not the caller's.
  EXPECT_EQ(releasedAtProbe(X, 2), "kept");
}

TEST(LockModel, ReleasingTheCallersLock) {
  Fixture X = build(R"cpp(
    void f(std::mutex *mine, std::mutex *theirs,
           std::unique_lock<std::mutex> &handed, bool c) {
      probe(0);
      mine->lock();
      mine->unlock();
      probe(1);
      theirs->unlock();
      probe(2);
      theirs->lock();
      probe(3);
      handed.unlock();
      probe(4);
      handed.lock();
      probe(5);
      if (c)
        pthread_mutex_unlock(&pm);
      probe(6);
    })cpp");
  EXPECT_EQ(releasedAtProbe(X, 0), "kept");
  EXPECT_EQ(releasedAtProbe(X, 1), "kept");
  EXPECT_EQ(releasedAtProbe(X, 2), "released");
  EXPECT_EQ(releasedAtProbe(X, 3), "kept");
  EXPECT_EQ(releasedAtProbe(X, 4), "released");
  EXPECT_EQ(releasedAtProbe(X, 5), "kept");
  // On some path: enough to doubt that the caller's lock is held.
  EXPECT_EQ(releasedAtProbe(X, 6), "released");
  // Taking it back makes it this body's lock as far as holding goes.
  EXPECT_EQ(heldAtProbe(X, 3), "theirs");
}

// ------------------------------------------------------------ EntryLocks

struct EntryFixture {
  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<EntryLocks> Entry;
  LockModelOptions Options;
};

EntryFixture buildEntry(const std::string &Code) {
  EntryFixture X;
  X.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++17"});
  EXPECT_TRUE(X.AST);
  if (X.AST) {
    EXPECT_FALSE(X.AST->getDiagnostics().hasErrorOccurred());
    X.Entry = std::make_unique<EntryLocks>(X.AST->getASTContext(), X.Options);
  }
  return X;
}

/// The names of the locks held at the entry of the function called Name.
std::string entryOf(EntryFixture &X, const std::string &Name) {
  if (!X.Entry)
    return "no model";
  ASTContext &Ctx = X.AST->getASTContext();
  auto Found = match(
      functionDecl(hasName(Name), isDefinition()).bind("f"), Ctx);
  if (Found.size() != 1)
    return Name + " found " + std::to_string(Found.size()) + " times";
  std::vector<std::string> Names;
  for (const HeldLock &L :
       X.Entry->at(Found.front().getNodeAs<FunctionDecl>("f")))
    Names.push_back(L.Name + (L.Shared ? "(shared)" : ""));
  llvm::sort(Names);
  return llvm::join(Names, ",");
}

TEST(EntryLocks, ThreadSafetyAnnotations) {
  EntryFixture X = buildEntry(R"cpp(
    class __attribute__((capability("mutex"))) Mu {
    public:
      void lock(); void unlock();
    };
    Mu g;
    class C {
    public:
      void annotated() __attribute__((requires_capability(mu_)));
      void oldSpelling() __attribute__((exclusive_locks_required(mu_)));
      void reader() __attribute__((requires_shared_capability(mu_)));
      void global() __attribute__((requires_capability(g)));
      void none();
    private:
      Mu mu_;
    };
    void C::annotated() {}
    void C::oldSpelling() {}
    void C::reader() {}
    void C::global() {}
    void C::none() {}
  )cpp");
  EXPECT_EQ(entryOf(X, "annotated"), "mu_");
  EXPECT_EQ(entryOf(X, "oldSpelling"), "mu_");
  EXPECT_EQ(entryOf(X, "reader"), "mu_(shared)");
  EXPECT_EQ(entryOf(X, "global"), "g");
  EXPECT_EQ(entryOf(X, "none"), "");
}

TEST(EntryLocks, AssertedAtEntry) {
  EntryFixture X = buildEntry(R"cpp(
    class Mutex { public: void Lock(); void Unlock(); void AssertHeld(); };
    class C {
    public:
      void asserts() { mu_.AssertHeld(); probe(1); }
      void locksFirst() { mu_.Lock(); mu_.AssertHeld(); mu_.Unlock(); }
    private:
      Mutex mu_;
    };
  )cpp");
  EXPECT_EQ(entryOf(X, "asserts"), "mu_");
  // Asserted after taking it itself: not its callers'.
  EXPECT_EQ(entryOf(X, "locksFirst"), "");
}

TEST(EntryLocks, PrivateHelpersWhoseCallersAllHoldTheLock) {
  EntryFixture X = buildEntry(R"cpp(
    class C {
    public:
      void a() { std::lock_guard<std::mutex> g(mu_); helper(); twoDown(); }
      void b() { mu_.lock(); helper(); mu_.unlock(); }
      void c() { std::lock_guard<std::mutex> g(mu_); sometimes(); }
      void d() { sometimes(); }
      void e(C &other) {
        std::lock_guard<std::mutex> g(other.mu_);
        other.onOther();
      }
      void f() { std::lock_guard<std::mutex> g(mu_); publicHelper(); }
      void publicHelper() {}
    private:
      void helper() {}
      void twoDown() { innermost(); }
      void innermost() {}
      void sometimes() {}
      void onOther() {}
      void uncalled() {}
      std::mutex mu_;
    };
    static void fileHelper() {}
    static void escapes() {}
    void locked() {
      std::lock_guard<std::mutex> g(a);
      fileHelper();
      escapes();
    }
    void (*ptr)() = escapes;
    void external() {}
    void callsExternal() { std::lock_guard<std::mutex> g(a); external(); }
  )cpp");
  EXPECT_EQ(entryOf(X, "helper"), "mu_");
  EXPECT_EQ(entryOf(X, "innermost"), "mu_");
  EXPECT_EQ(entryOf(X, "sometimes"), "");
  // other.mu_ held around other.onOther(): onOther's own mu_.
  EXPECT_EQ(entryOf(X, "onOther"), "mu_");
  EXPECT_EQ(entryOf(X, "publicHelper"), "");
  EXPECT_EQ(entryOf(X, "uncalled"), "");
  EXPECT_EQ(entryOf(X, "fileHelper"), "a");
  EXPECT_EQ(entryOf(X, "escapes"), "");
  EXPECT_EQ(entryOf(X, "external"), "");
}

TEST(LockModel, MayLockIsACheapFilter) {
  Fixture X = build(R"cpp(
    int g(int x) { return x + 1; }
    void f() { std::lock_guard<std::mutex> l(a); })cpp");
  ASTContext &Ctx = X.AST->getASTContext();
  auto G = match(functionDecl(hasName("g"), isDefinition()).bind("g"), Ctx);
  ASSERT_EQ(G.size(), 1u);
  EXPECT_FALSE(LockModel::mayLock(G.front().getNodeAs<FunctionDecl>("g")->getBody(),
                                  {}));
  EXPECT_TRUE(LockModel::mayLock(X.F->getBody(), {}));
}

} // namespace

namespace {
/// The acquisitions of the model as "name<-held1+held2" (with [try],
/// [group], [retake]), in the order the model lists them.
std::string acquisitions(const Fixture &X) {
  if (!X.Model)
    return "no model";
  std::vector<std::string> Out;
  for (const LockAcquisition &A : X.Model->acquisitions()) {
    std::string S = A.Lock.Name + "<-";
    std::vector<std::string> Held;
    for (const HeldLock &H : A.HeldBefore)
      Held.push_back(H.Name);
    llvm::sort(Held);
    S += llvm::join(Held, "+");
    if (A.Try)
      S += "[try]";
    if (A.Group)
      S += "[group]";
    if (A.Retake)
      S += "[retake]";
    Out.push_back(S);
  }
  return llvm::join(Out, " ");
}

TEST(LockModel, AcquisitionsWithWhatWasHeld) {
  Fixture X = build(R"cpp(
    void f() {
      std::lock_guard<std::mutex> g(a);
      std::scoped_lock both(b, rw);
      pthread_mutex_lock(&pm);
      pthread_mutex_unlock(&pm);
    })cpp");
  EXPECT_EQ(acquisitions(X), "a<- b<-a[group] rw<-a[group] pm<-a+b+rw");
}

TEST(LockModel, TryLockHoldsOnTheBranchWhereItSucceeded) {
  Fixture X = build(R"cpp(
    extern "C" int pthread_mutex_trylock(pthread_mutex_t *);
    void f(bool c) {
      if (a.try_lock()) {
        probe(1);
        a.unlock();
      } else {
        probe(2);
      }
      if (pthread_mutex_trylock(&pm) == 0) {
        probe(3);
        pthread_mutex_unlock(&pm);
      }
      if (!pthread_mutex_trylock(&pm))
        probe(4);
      if (pthread_mutex_trylock(&pm))
        probe(5);
      if (c && a.try_lock())
        probe(6);
      probe(7);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
  EXPECT_EQ(heldAtProbe(X, 2), "");
  EXPECT_EQ(heldAtProbe(X, 3), "pm");
  EXPECT_EQ(heldAtProbe(X, 4), "pm");
  EXPECT_EQ(heldAtProbe(X, 5), "");
  EXPECT_EQ(heldAtProbe(X, 6), "a");
  EXPECT_EQ(heldAtProbe(X, 7), "");
  EXPECT_NE(acquisitions(X).find("a<-[try]"), std::string::npos);
}

TEST(LockModel, TryToLockGuardOwnsOnlyWhereItSaysSo) {
  Fixture X = build(R"cpp(
    void f() {
      std::unique_lock<std::mutex> lk(a, std::try_to_lock);
      probe(0);
      if (lk.owns_lock())
        probe(1);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 0), "");
  EXPECT_EQ(heldAtProbe(X, 1), "a");
}

TEST(LockModel, C11Mutexes) {
  Fixture X = build(R"cpp(
    struct mtx_t { int x; };
    enum { thrd_success = 0, thrd_busy = 1 };
    extern "C" int mtx_lock(mtx_t *);
    extern "C" int mtx_trylock(mtx_t *);
    extern "C" int mtx_unlock(mtx_t *);
    mtx_t cm;
    void f() {
      mtx_lock(&cm);
      probe(1);
      mtx_unlock(&cm);
      probe(2);
      if (mtx_trylock(&cm) == thrd_success)
        probe(3);
      if (mtx_trylock(&cm) != thrd_success)
        probe(4);
    })cpp");
  EXPECT_EQ(heldAtProbe(X, 1), "cm");
  EXPECT_EQ(heldAtProbe(X, 2), "");
  EXPECT_EQ(heldAtProbe(X, 3), "cm");
  EXPECT_EQ(heldAtProbe(X, 4), "");
}

TEST(LockModel, RetakingTheCallersLockIsMarked) {
  Fixture X = build(R"cpp(
    void f() {
      a.unlock();
      probe(1);
      a.lock();
    })cpp");
  EXPECT_EQ(acquisitions(X), "a<-[retake]");
}
} // namespace
