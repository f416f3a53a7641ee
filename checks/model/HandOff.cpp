//===--- HandOff.cpp - what one thread publishes and another receives -----===//
#include "model/HandOff.h"
#include "model/AstHelpers.h"
#include "model/SpawnModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::threadlint {

using Access = AtomicAccess;

namespace {

enum class Kind {
  Other,
  Atomic,
  Condition,
  Semaphore,
  Notification,
  Promise,
  Future
};

// The kind of the object \p E denotes (seen through a cast to a base:
// libstdc++'s std::atomic<int> gets its members from __atomic_base<int>).
Kind kindOf(const Expr *E) {
  const CXXRecordDecl *RD =
      E ? recordOfObjectType(E->IgnoreParenImpCasts()->getType()) : nullptr;
  if (!RD || !RD->getIdentifier())
    return Kind::Other;
  llvm::StringRef N = RD->getName();
  if (RD->isInStdNamespace() &&
      (N == "atomic" || N == "atomic_ref" || N == "atomic_flag" ||
       N == "__atomic_base"))
    return Kind::Atomic;
  if (N.contains_insensitive("semaphore"))
    return Kind::Semaphore;
  if (N == "Notification") // absl::Notification
    return Kind::Notification;
  if (RD->isInStdNamespace() && N == "promise")
    return Kind::Promise;
  if (RD->isInStdNamespace() && (N == "future" || N == "shared_future"))
    return Kind::Future;
  if (N.contains_insensitive("condition") || N.contains_insensitive("condvar"))
    return Kind::Condition;
  return Kind::Other;
}

// std::memory_order values (and the __ATOMIC_* macros): relaxed 0,
// consume 1, acquire 2, release 3, acq_rel 4, seq_cst 5.
constexpr int64_t Relaxed = 0, Release = 3;

// Whether the order \p Order (null: the default, seq_cst) may publish
// (\p Publish) or receive. An order computed at run time counts as strong.
bool strongEnough(const Expr *Order, bool Publish, ASTContext &Ctx) {
  if (!Order)
    return true;
  Expr::EvalResult R;
  if (Order->isValueDependent() || !Order->EvaluateAsInt(R, Ctx))
    return true;
  const int64_t V = R.Val.getInt().getExtValue();
  if (V == Relaxed)
    return false;
  return Publish ? V >= Release : V != Release;
}

// The first argument of a member call whose type is std::memory_order.
const Expr *orderArgument(const CallExpr *Call) {
  for (const Expr *Arg : Call->arguments()) {
    const Expr *A = Arg->IgnoreParenImpCasts();
    if (llvm::isa<CXXDefaultArgExpr>(A))
      continue;
    if (const EnumDecl *ED = A->getType()->getAsEnumDecl())
      if (ED->getIdentifier() && ED->getName() == "memory_order")
        return A;
  }
  return nullptr;
}

Access accessOf(const AtomicExpr *AE) {
  switch (AE->getOp()) {
  case AtomicExpr::AO__atomic_load_n:
  case AtomicExpr::AO__atomic_load:
  case AtomicExpr::AO__c11_atomic_load:
  case AtomicExpr::AO__scoped_atomic_load_n:
  case AtomicExpr::AO__scoped_atomic_load:
    return Access::Load;
  case AtomicExpr::AO__atomic_store_n:
  case AtomicExpr::AO__atomic_store:
  case AtomicExpr::AO__c11_atomic_store:
  case AtomicExpr::AO__scoped_atomic_store_n:
  case AtomicExpr::AO__scoped_atomic_store:
  case AtomicExpr::AO__atomic_clear:
    return Access::Store;
  default:
    return Access::ReadModifyWrite;
  }
}

// A member call on a std::atomic (or atomic_ref, atomic_flag): the access
// its method makes.
Access accessOf(const CXXMethodDecl *MD) {
  if (llvm::isa<CXXConversionDecl>(MD))
    return Access::Load;
  if (!MD->getIdentifier())
    return Access::Other;
  llvm::StringRef N = MD->getName();
  if (N == "load" || N == "test")
    return Access::Load;
  if (N == "store" || N == "clear")
    return Access::Store;
  if (N == "exchange" || N.starts_with("fetch_") ||
      N.starts_with("compare_exchange") || N == "test_and_set")
    return Access::ReadModifyWrite;
  if (N == "wait")
    return Access::Wait;
  if (N.starts_with("notify_"))
    return Access::Notify;
  return Access::Other;
}

// The promise a future variable was initialised from (`auto f =
// p.get_future();`), or null.
const NamedDecl *promiseOf(const Expr *Future) {
  const auto *VD = llvm::dyn_cast_or_null<VarDecl>(referencedDecl(Future));
  if (llvm::isa_and_nonnull<ParmVarDecl>(VD))
    return nullptr;
  const Expr *Init = VD ? VD->getInit() : nullptr;
  if (!Init)
    return nullptr;
  Init = Init->IgnoreImplicit();
  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(Init))
    if (Construct->getNumArgs() == 1)
      Init = Construct->getArg(0)->IgnoreImplicit();
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Init->IgnoreParens());
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getIdentifier() || MD->getName() != "get_future" ||
      kindOf(MC->getImplicitObjectArgument()) != Kind::Promise)
    return nullptr;
  return referencedDecl(MC->getImplicitObjectArgument());
}

// A `__sync_*` builtin (a full barrier read-modify-write), by its object.
const NamedDecl *syncBuiltinObject(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || !FD->getBuiltinID() ||
      Call->getNumArgs() == 0)
    return nullptr;
  llvm::StringRef N = FD->getName();
  if (!N.starts_with("__sync_") || N == "__sync_synchronize")
    return nullptr;
  return referencedDecl(Call->getArg(0));
}

} // namespace

bool isConditionVariable(const Expr *Object) {
  return kindOf(Object) == Kind::Condition;
}

AtomicOperation atomicOperationOf(const Expr *E) {
  if (!E)
    return {};
  if (const auto *AE = llvm::dyn_cast<AtomicExpr>(E))
    return {accessOf(AE), referencedDecl(AE->getPtr()), AE->getOrder()};
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
    // `a = v`, `++a`, `a += v`: sequentially consistent.
    if (Op->getNumArgs() == 0 || kindOf(Op->getArg(0)) != Kind::Atomic)
      return {};
    return {Op->getOperator() == OO_Equal ? Access::Store
                                          : Access::ReadModifyWrite,
            referencedDecl(Op->getArg(0)), nullptr};
  }
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!MD || kindOf(Obj) != Kind::Atomic)
      return {};
    return {accessOf(MD), referencedDecl(Obj), orderArgument(MC)};
  }
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    if (const NamedDecl *D = syncBuiltinObject(Call))
      return {Access::ReadModifyWrite, D, nullptr};
  return {};
}

AtomicAccess atomicAccessOf(const Expr *E) {
  return atomicOperationOf(E).Access;
}

const NamedDecl *publishedThrough(const Expr *E, ASTContext &Ctx) {
  if (!E)
    return nullptr;
  const AtomicOperation Op = atomicOperationOf(E);
  if (Op.Access != Access::None)
    return (Op.Access == Access::Store ||
            Op.Access == Access::ReadModifyWrite) &&
                   strongEnough(Op.Order, /*Publish=*/true, Ctx)
               ? Op.Object
               : nullptr;
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!Obj || !MD || !MD->getIdentifier())
    return nullptr;
  llvm::StringRef N = MD->getName();
  switch (kindOf(Obj)) {
  case Kind::Condition:
    return N == "notify_one" || N == "notify_all" || N == "Signal" ||
                   N == "SignalAll"
               ? referencedDecl(Obj)
               : nullptr;
  case Kind::Semaphore:
    return N == "release" ? referencedDecl(Obj) : nullptr;
  case Kind::Notification:
    return N == "Notify" ? referencedDecl(Obj) : nullptr;
  case Kind::Promise:
    return N == "set_value" || N == "set_exception" ? referencedDecl(Obj)
                                                    : nullptr;
  default:
    return nullptr;
  }
}

const NamedDecl *receivedThrough(const Expr *E, bool Spins, ASTContext &Ctx) {
  if (!E)
    return nullptr;
  const AtomicOperation Op = atomicOperationOf(E);
  // `a.wait(old)` returns once it has seen another value; a load or
  // read-modify-write receives only in a spin.
  if (Op.Access == Access::Wait)
    return Op.Object;
  if (Op.Access != Access::None)
    return Spins &&
                   (Op.Access == Access::Load ||
                    Op.Access == Access::ReadModifyWrite) &&
                   strongEnough(Op.Order, /*Publish=*/false, Ctx)
               ? Op.Object
               : nullptr;
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!Obj || !MD || !MD->getIdentifier())
    return nullptr;
  llvm::StringRef N = MD->getName();
  switch (kindOf(Obj)) {
  case Kind::Condition:
    // A timed wait may return without the notification; a wait with no
    // predicate may wake spuriously: it receives as the exit test of the
    // loop around it (spinExitTests).
    if (N != "wait" && N != "Wait")
      return nullptr;
    return Spins || MC->getNumArgs() >= 2 ? referencedDecl(Obj) : nullptr;
  case Kind::Semaphore:
    return N == "acquire" ? referencedDecl(Obj) : nullptr;
  case Kind::Notification:
    return N == "WaitForNotification" ? referencedDecl(Obj) : nullptr;
  case Kind::Future:
    // `auto f = p.get_future(); ... f.get();` receives what `p.set_value`
    // published: the promise is the object.
    return N == "get" || N == "wait" ? promiseOf(Obj) : nullptr;
  default:
    return nullptr;
  }
}

namespace {

using SpinTests = llvm::DenseMap<const Expr *, const Expr *>;

void collectExprs(const Stmt *S, const Expr *Via, SpinTests &Out) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return;
  if (const auto *E = llvm::dyn_cast<Expr>(S))
    Out.try_emplace(E, Via ? Via : E);
  for (const Stmt *C : S->children())
    collectExprs(C, Via, Out);
}

bool isBreak(const Stmt *S) {
  if (const auto *C = llvm::dyn_cast_or_null<CompoundStmt>(S))
    return C->size() == 1 && isBreak(C->body_front());
  return llvm::isa_and_nonnull<BreakStmt>(S);
}

// The first condition-variable wait in \p S (not in a lambda).
const Expr *conditionWaitIn(const Stmt *S) {
  if (!S || llvm::isa<LambdaExpr>(S))
    return nullptr;
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (MD->getIdentifier() &&
          (MD->getName() == "wait" || MD->getName() == "Wait") &&
          isConditionVariable(MC->getImplicitObjectArgument()))
        return MC;
  for (const Stmt *C : S->children())
    if (const Expr *W = conditionWaitIn(C))
      return W;
  return nullptr;
}

void collectSpinTests(const Stmt *S, SpinTests &Out, unsigned Depth) {
  if (!S || Depth > 256 || llvm::isa<LambdaExpr>(S))
    return;
  if (isLoop(S)) {
    const Stmt *Body = loopBody(S);
    // `while (!ready) cv.wait(lock);`: the test exits the loop after the
    // wait, or on what the notifier set under the lock before notifying.
    collectExprs(loopCondition(S), conditionWaitIn(Body), Out);
    auto BreakTest = [&](const Stmt *Child) {
      if (const auto *If = llvm::dyn_cast_or_null<IfStmt>(Child))
        if (isBreak(If->getThen()))
          collectExprs(If->getCond(), nullptr, Out);
    };
    if (const auto *C = llvm::dyn_cast_or_null<CompoundStmt>(Body))
      for (const Stmt *Child : C->body())
        BreakTest(Child);
    else
      BreakTest(Body);
  }
  for (const Stmt *C : S->children())
    collectSpinTests(C, Out, Depth + 1);
}

} // namespace

llvm::DenseMap<const Expr *, const Expr *> spinExitTests(const Stmt *Body) {
  SpinTests Out;
  collectSpinTests(Body, Out, 0);
  return Out;
}

} // namespace clang::tidy::threadlint
