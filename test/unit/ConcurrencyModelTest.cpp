//===--- ConcurrencyModelTest.cpp - the concurrency model on its own ------===//
#include "model/ConcurrencyModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::threadlint;

namespace {

// Just enough of the standard library, as declarations.
const char Prelude[] = R"cpp(
namespace std {
template <class T> struct remove_reference { typedef T type; };
template <class T> T &&move(T &t);
class thread {
public:
  thread() noexcept;
  template <class F, class... A> explicit thread(F &&f, A &&...a) {}
  thread(thread &&) noexcept;
  thread &operator=(thread &&) noexcept;
  ~thread();
  bool joinable() const;
  void join();
  void detach();
};
template <class T> class future {
public:
  future();
  future(future &&);
  ~future();
  T get();
  void wait();
};
template <class F> future<int> async(F &&f) { return future<int>(); }
template <class T> class vector {
public:
  void push_back(T &&);
  template <class... A> void emplace_back(A &&...) {}
  T &operator[](unsigned);
  T *begin();
  T *end();
};
template <class T> class deque {
public:
  void push_back(T &&);
  T &front();
  void pop_front();
  bool empty() const;
};
template <class Sig> class function;
template <class R> class function<R()> {
public:
  function();
  template <class F> function(F f) {}
  function(const function &);
  function(function &&);
  R operator()() const;
};
class mutex { public: void lock(); void unlock(); };
template <class M> class unique_lock {
public:
  explicit unique_lock(M &);
  ~unique_lock();
};
class condition_variable {
public:
  void wait(unique_lock<mutex> &);
  void notify_all();
};
} // namespace std
typedef unsigned long pthread_t;
extern "C" int pthread_create(pthread_t *, const void *, void *(*)(void *),
                              void *);
extern "C" int pthread_join(pthread_t, void **);
void mark(int);
)cpp";

struct Fixture {
  std::unique_ptr<ASTUnit> AST;
  std::shared_ptr<ConcurrencyModel> Handle;
  ConcurrencyModel *Model = nullptr;

  // The call `mark(N)`.
  const Stmt *at(int N) {
    for (const BoundNodes &B : match(
             findAll(callExpr(callee(functionDecl(hasName("mark"))),
                              hasArgument(0, integerLiteral().bind("n")))
                         .bind("call")),
             AST->getASTContext()))
      if (B.getNodeAs<IntegerLiteral>("n")->getValue() == N)
        return B.getNodeAs<Stmt>("call");
    ADD_FAILURE() << "no mark(" << N << ")";
    return nullptr;
  }
  const FunctionDecl *function(const std::string &Name) {
    auto Found = match(findAll(functionDecl(hasName(Name), isDefinition())
                                   .bind("f")),
                       AST->getASTContext());
    return Found.empty() ? nullptr : Found.front().getNodeAs<FunctionDecl>("f");
  }
  bool concurrent(int A, int B) {
    const Stmt *SA = at(A), *SB = at(B);
    return SA && SB && Model->mayRunConcurrently(SA, SB);
  }
};

Fixture parse(const std::string &Code) {
  Fixture F;
  F.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                            {"-std=c++20"});
  EXPECT_TRUE(F.AST);
  EXPECT_FALSE(F.AST->getDiagnostics().hasErrorOccurred());
  ModelOptions O;
  F.Model = &ConcurrencyModel::get(F.AST->getASTContext(), O, F.Handle);
  return F;
}

TEST(ConcurrencyModel, SpawnAndJoinOrderThePthreadSpawner) {
  Fixture F = parse(R"cpp(
long counter;
void *work(void *) { mark(1); return nullptr; }
void run() {
  pthread_t tids[4];
  mark(2);
  for (int i = 0; i < 4; ++i)
    pthread_create(&tids[i], nullptr, work, nullptr);
  mark(3);
  for (int i = 0; i < 4; ++i)
    pthread_join(tids[i], nullptr);
  mark(4);
}
)cpp");
  EXPECT_FALSE(F.concurrent(1, 2)) << "before every spawn";
  EXPECT_TRUE(F.concurrent(1, 3)) << "between spawn and join";
  EXPECT_FALSE(F.concurrent(1, 4)) << "after joining every worker";
  EXPECT_TRUE(F.Model->mayRunConcurrentlyWithItself(F.at(1)));
  EXPECT_TRUE(F.Model->orderedWithAllWorkOf(F.at(4)));
  EXPECT_FALSE(F.Model->orderedWithAllWorkOf(F.at(3)));
}

TEST(ConcurrencyModel, MemberFunctionEntryAndClassProtocol) {
  Fixture F = parse(R"cpp(
class Worker {
public:
  void start() { t_ = std::thread(&Worker::run, this); mark(5); }
  int get() { mark(2); return 0; }
  void stop() { t_.join(); mark(3); }
  void report() { stop(); mark(4); }
  ~Worker() { if (t_.joinable()) t_.join(); mark(6); }
private:
  void run() { step(); }
  void step() { mark(1); }
  std::thread t_;
};
)cpp");
  EXPECT_TRUE(F.Model->isThreadEntry(F.function("run")));
  EXPECT_TRUE(F.Model->isThreadEntry(F.function("step")));
  EXPECT_FALSE(F.Model->isThreadEntry(F.function("get")));
  EXPECT_TRUE(F.concurrent(1, 2)) << "a public method runs with the work";
  EXPECT_FALSE(F.concurrent(1, 3)) << "after the join in stop()";
  EXPECT_FALSE(F.concurrent(1, 4)) << "after stop(), which joins";
  EXPECT_TRUE(F.concurrent(1, 5)) << "the spawner after the spawn";
  EXPECT_FALSE(F.concurrent(1, 6)) << "the destructor";
  const auto *RD = llvm::cast<CXXMethodDecl>(F.function("run"))->getParent();
  const ClassProtocol *P = F.Model->protocolOf(RD);
  ASSERT_TRUE(P);
  EXPECT_EQ(P->StartMethods.size(), 1u);
  EXPECT_TRUE(P->DestructorWaits);
  EXPECT_TRUE(P->waitIn(F.function("report")));
}

TEST(ConcurrencyModel, LambdaCapturingThisCallsMembers) {
  Fixture F = parse(R"cpp(
struct Service {
  void start() { worker_ = std::thread([this] { loop(); }); }
  void loop() { mark(1); }
  int size() const { mark(2); return 0; }
  std::thread worker_;
};
)cpp");
  EXPECT_TRUE(F.Model->isThreadEntry(F.function("loop")));
  EXPECT_TRUE(F.concurrent(1, 2));
}

TEST(ConcurrencyModel, InferredPoolSubmit) {
  Fixture F = parse(R"cpp(
class Pool {
public:
  Pool() { workers_.emplace_back([this] { drain(); }); }
  void post(std::function<void()> task) { queue_.push_back(std::move(task)); }
private:
  void drain() {
    std::function<void()> task = queue_.front();
    queue_.pop_front();
    task();
  }
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
};
void user(Pool &pool) {
  for (int i = 0; i < 3; ++i)
    pool.post([] { mark(1); });
  mark(2);
}
)cpp");
  EXPECT_TRUE(F.Model->isInferredSpawnFunction(F.function("post")));
  const Stmt *Task = F.at(1);
  ASSERT_TRUE(Task);
  EXPECT_TRUE(F.Model->mayRunConcurrentlyWithItself(Task));
  EXPECT_TRUE(F.concurrent(1, 2));
}

TEST(ConcurrencyModel, ConditionWaitIsNotAWaitForTheWork) {
  Fixture F = parse(R"cpp(
std::mutex mu;
std::condition_variable cv;
void run() {
  std::thread t([] { mark(1); cv.notify_all(); });
  std::unique_lock<std::mutex> lk(mu);
  cv.wait(lk);
  mark(2);
  t.join();
  mark(3);
}
)cpp");
  EXPECT_TRUE(F.concurrent(1, 2));
  EXPECT_FALSE(F.Model->orderedWithAllWorkOf(F.at(2)));
  EXPECT_FALSE(F.concurrent(1, 3));
}

TEST(ConcurrencyModel, FuturesGotInALoop) {
  Fixture F = parse(R"cpp(
void run() {
  std::vector<std::future<int>> results;
  for (int i = 0; i < 4; ++i)
    results.push_back(std::async([] { mark(1); return 0; }));
  mark(2);
  for (auto &r : results)
    r.get();
  mark(3);
}
)cpp");
  EXPECT_TRUE(F.concurrent(1, 2));
  EXPECT_FALSE(F.concurrent(1, 3));
}

TEST(ConcurrencyModel, OneModelPerTranslationUnit) {
  Fixture F = parse("void f() {}");
  std::shared_ptr<ConcurrencyModel> Other;
  ModelOptions O;
  EXPECT_EQ(&ConcurrencyModel::get(F.AST->getASTContext(), O, Other), F.Model);
  O.SpawnFunctions.push_back("MyPool::run");
  std::shared_ptr<ConcurrencyModel> Third;
  EXPECT_NE(&ConcurrencyModel::get(F.AST->getASTContext(), O, Third), F.Model);
}

} // namespace

TEST(ConcurrencyModel, OrderIsThreeWayAndSeesHandOffsAndLocks) {
  Fixture F = parse(R"cpp(
std::mutex mu;
std::condition_variable cv;
bool ready;
void handOff() {
  std::thread t([] {
    mark(1);
    { std::unique_lock<std::mutex> lock(mu); ready = true; }
    cv.notify_all();
    mark(2);
  });
  mark(3);
  { std::unique_lock<std::mutex> lock(mu); while (!ready) cv.wait(lock); }
  mark(4);
  { std::unique_lock<std::mutex> lock(mu); mark(5); }
  t.join();
}
void lockedWork() {
  std::thread t([] { std::unique_lock<std::mutex> lock(mu); mark(6); });
  { std::unique_lock<std::mutex> lock(mu); mark(7); }
  mark(8);
  t.join();
}
void noWorkHere() { mark(9); }
void noWorkEither() { mark(10); }
)cpp");
  using Order = ConcurrencyModel::Order;
  auto order = [&](int A, int B) { return F.Model->order(F.at(A), F.at(B)); };
  EXPECT_EQ(order(1, 3), Order::Concurrent) << "before the receipt";
  EXPECT_EQ(order(1, 4), Order::Ordered) << "published, then received";
  EXPECT_EQ(order(4, 1), Order::Ordered) << "either way round";
  EXPECT_EQ(order(2, 4), Order::Concurrent) << "after the work published";
  EXPECT_EQ(order(6, 7), Order::Ordered) << "one lock held at both";
  EXPECT_EQ(order(6, 8), Order::Concurrent) << "the lock held at one only";
  EXPECT_EQ(order(9, 10), Order::Unknown) << "no work the model knows";
  EXPECT_EQ(order(1, 9), Order::Unknown) << "not the spawner, not the class";
  EXPECT_TRUE(F.Model->mayRunConcurrently(F.at(2), F.at(4)));
  EXPECT_FALSE(F.Model->mayRunConcurrently(F.at(9), F.at(10)));
}

TEST(ConcurrencyModel, WorkThatSpawnsAndJoinsWorkIsItsSpawner) {
  Fixture F = parse(R"cpp(
void outer() {
  std::thread t([] {
    std::thread inner([] { mark(1); });
    mark(2);
    inner.join();
    mark(3);
  });
  t.join();
}
)cpp");
  using Order = ConcurrencyModel::Order;
  EXPECT_EQ(F.Model->order(F.at(1), F.at(2)), Order::Concurrent);
  EXPECT_EQ(F.Model->order(F.at(1), F.at(3)), Order::Ordered)
      << "the outer work joined the inner one";
  EXPECT_EQ(F.Model->order(F.at(3), F.at(1)), Order::Ordered);
}
