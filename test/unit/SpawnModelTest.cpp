//===--- SpawnModelTest.cpp - the spawn model on its own ------------------===//
#include "model/SpawnModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

// ASSERT_TRUE(S) guards each optional below; the analysis cannot see it.
// NOLINTBEGIN(bugprone-unchecked-optional-access)

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::threadlint;

namespace {

// Just enough of the standard library for the model: classes, not headers,
// so the tests do not depend on where libstdc++ lives.
const char Prelude[] = R"cpp(
namespace std {
template <class T> T &&move(T &t);
class thread {
public:
  thread() noexcept;
  template <class F, class... A> explicit thread(F &&f, A &&...a) {}
  thread(thread &&) noexcept;
  thread &operator=(thread &&) noexcept;
  ~thread();
  void join();
  void detach();
};
class jthread {
public:
  template <class F, class... A> explicit jthread(F &&f, A &&...a) {}
  ~jthread();
  void join();
};
template <class T> class future {
public:
  future();
  future(future &&);
  ~future();
  T get();
  void wait();
};
enum class launch { async = 1, deferred = 2 };
template <class F> future<int> async(F &&f) { return future<int>(); }
template <class F> future<int> async(launch, F &&f) { return future<int>(); }
template <class T> class vector {
public:
  void push_back(T &&);
  template <class... A> void emplace_back(A &&...) {}
  T &operator[](unsigned);
  T *begin();
  T *end();
};
} // namespace std
struct ThreadPool {
  template <class F> std::future<int> enqueue(F &&f) { return std::future<int>(); }
};
typedef unsigned long pthread_t;
extern "C" int pthread_create(pthread_t *, const void *, void *(*)(void *),
                              void *);
extern "C" int pthread_join(pthread_t, void **);
void *routine(void *);
)cpp";

struct Fixture {
  std::unique_ptr<ASTUnit> AST;
  std::vector<const Expr *> Sites;
  const Stmt *LoopBody = nullptr;
};

SpawnModel model() {
  return SpawnModel(
      {"ThreadPool::enqueue"});
}

// Parses Prelude + Code and collects the spawn candidates and the body of
// the first for/range-for loop.
Fixture parse(const std::string &Code) {
  Fixture F;
  F.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++20"});
  EXPECT_TRUE(F.AST);
  if (!F.AST)
    return F;
  SpawnModel M = model();
  for (const BoundNodes &N :
       match(findAll(M.candidateMatcher()), F.AST->getASTContext()))
    if (!llvm::is_contained(F.Sites, N.getNodeAs<Expr>("spawn")))
      F.Sites.push_back(N.getNodeAs<Expr>("spawn"));
  EXPECT_FALSE(F.AST->getDiagnostics().hasErrorOccurred());
  auto Loops = match(findAll(stmt(anyOf(forStmt(hasBody(stmt().bind("b"))),
                                        cxxForRangeStmt(
                                            hasBody(stmt().bind("b")))))),
                     F.AST->getASTContext());
  if (!Loops.empty())
    F.LoopBody = Loops.front().getNodeAs<Stmt>("b");
  return F;
}

std::optional<SpawnSite> onlySite(Fixture &F) {
  SpawnModel M = model();
  std::optional<SpawnSite> Found;
  int Count = 0;
  for (const Expr *E : F.Sites)
    if (auto S = M.classify(E, F.AST->getASTContext())) {
      Found = S;
      ++Count;
    }
  EXPECT_EQ(Count, 1);
  return Found;
}

LifetimeReason lifetimeOf(const std::string &Code) {
  Fixture F = parse(Code);
  std::optional<SpawnSite> S = onlySite(F);
  if (!S || !F.LoopBody)
    return LifetimeReason::Unknown;
  return model().lifetimeIn(*S, F.LoopBody, F.AST->getASTContext()).Reason;
}

TEST(SpawnModel, ThreadConstructionRunsItsLambda) {
  Fixture F = parse("void f() { int x; std::thread t([&] { (void)x; }); "
                    "t.join(); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, SpawnKind::Thread);
  EXPECT_TRUE(S->Lambda);
  EXPECT_TRUE(S->Body);
}

TEST(SpawnModel, EmplaceIntoThreadVector) {
  Fixture F = parse("void f(std::vector<std::thread> &v) { "
                    "v.emplace_back([] {}); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, SpawnKind::Thread);
}

TEST(SpawnModel, EmplaceIntoOtherVectorIsNoSpawn) {
  Fixture F = parse("struct Job { template <class F> Job(F); }; "
                    "void f(std::vector<Job> &v) { v.emplace_back([] {}); }");
  SpawnModel M = model();
  for (const Expr *E : F.Sites)
    EXPECT_FALSE(M.classify(E, F.AST->getASTContext()));
}

TEST(SpawnModel, DiscardedAsyncIsSynchronous) {
  Fixture F = parse("void f() { std::async([] {}); }");
  SpawnModel M = model();
  for (const Expr *E : F.Sites)
    EXPECT_FALSE(M.classify(E, F.AST->getASTContext()));
}

TEST(SpawnModel, KeptAsyncIsASpawnWithLaunchPolicySkipped) {
  Fixture F = parse("void f() { auto fu = std::async(std::launch::async, "
                    "[] {}); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, SpawnKind::Async);
  EXPECT_TRUE(S->Lambda);
}

TEST(SpawnModel, PthreadCreateForwardsItsArgument) {
  Fixture F = parse("void f() { pthread_t t; int x; "
                    "pthread_create(&t, nullptr, routine, &x); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, SpawnKind::PthreadCreate);
  ASSERT_EQ(S->Args.size(), 1u);
  EXPECT_TRUE(S->Body);
}

TEST(SpawnModel, SpawnFunctionOptionMatchesPoolMethods) {
  Fixture F = parse("void f(ThreadPool &p) { p.enqueue([] {}); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, SpawnKind::Function);
}

TEST(SpawnModel, NamedLambdaVariableIsFollowed) {
  Fixture F = parse("void f() { int x; auto task = [&] { (void)x; }; "
                    "std::thread t(task); t.join(); }");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_TRUE(S->Lambda);
}

TEST(SpawnModel, MemberFunctionPointerShiftsParameters) {
  Fixture F = parse("struct W { void run(int); void go() { "
                    "std::thread t(&W::run, this, 1); t.join(); } };");
  auto S = onlySite(F);
  ASSERT_TRUE(S);
  EXPECT_TRUE(S->MemberPointer);
  ASSERT_EQ(S->Args.size(), 2u);
  EXPECT_EQ(S->paramFor(0), nullptr);
  EXPECT_NE(S->paramFor(1), nullptr);
}

TEST(SpawnModelLifetime, DetachedOutlives) {
  EXPECT_EQ(lifetimeOf("void f() { for (int i = 0; i < 3; ++i) "
                       "std::thread([] {}).detach(); }"),
            LifetimeReason::Detached);
}

TEST(SpawnModelLifetime, ContainerOutsideOutlives) {
  EXPECT_EQ(lifetimeOf("void f() { std::vector<std::thread> v; "
                       "for (int i = 0; i < 3; ++i) v.emplace_back([] {}); }"),
            LifetimeReason::StoredOutside);
}

TEST(SpawnModelLifetime, ContainerInsideEndsInScope) {
  EXPECT_EQ(lifetimeOf("void f() { for (int i = 0; i < 3; ++i) { "
                       "std::vector<std::thread> v; v.emplace_back([] {}); "
                       "} }"),
            LifetimeReason::EndsInScope);
}

TEST(SpawnModelLifetime, JoinedInIterationEndsInScope) {
  EXPECT_EQ(lifetimeOf("void f() { for (int i = 0; i < 3; ++i) { "
                       "std::thread t([] {}); t.join(); } }"),
            LifetimeReason::EndsInScope);
}

TEST(SpawnModelLifetime, LocalThreadMovedOutOutlives) {
  EXPECT_EQ(lifetimeOf("void f() { std::vector<std::thread> v; "
                       "for (int i = 0; i < 3; ++i) { "
                       "v.push_back(std::thread([] {})); } }"),
            LifetimeReason::StoredOutside);
}

TEST(SpawnModelLifetime, LocalAsyncFutureBlocks) {
  EXPECT_EQ(lifetimeOf("void f() { for (int i = 0; i < 3; ++i) { "
                       "auto fu = std::async([] {}); } }"),
            LifetimeReason::EndsInScope);
}

TEST(SpawnModelLifetime, PoolTaskOutlives) {
  EXPECT_EQ(lifetimeOf("void f(ThreadPool &p) { for (int i = 0; i < 3; ++i) "
                       "p.enqueue([] {}); }"),
            LifetimeReason::HandedToPool);
}

TEST(SpawnModelLifetime, PoolFutureWaitedEndsInScope) {
  EXPECT_EQ(lifetimeOf("void f(ThreadPool &p) { for (int i = 0; i < 3; ++i) "
                       "{ auto fu = p.enqueue([] {}); fu.get(); } }"),
            LifetimeReason::EndsInScope);
}

TEST(SpawnModelLifetime, PthreadNotJoinedOutlives) {
  EXPECT_EQ(lifetimeOf("void f() { pthread_t t[3]; int x[3]; "
                       "for (int i = 0; i < 3; ++i) "
                       "pthread_create(&t[i], nullptr, routine, &x[i]); }"),
            LifetimeReason::NotJoined);
}

TEST(SpawnModelLifetime, PthreadJoinedEndsInScope) {
  EXPECT_EQ(lifetimeOf("void f() { for (int i = 0; i < 3; ++i) { "
                       "pthread_t t; pthread_create(&t, nullptr, routine, "
                       "nullptr); pthread_join(t, nullptr); } }"),
            LifetimeReason::EndsInScope);
}

} // namespace

// NOLINTEND(bugprone-unchecked-optional-access)
