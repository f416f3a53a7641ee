//===--- SpawnModel.cpp - what starts concurrent work ---------------------===//
#include "model/SpawnModel.h"
#include "model/AstHelpers.h"
#include "model/BlockingModel.h"
#include "model/OptionLists.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {

// Classes whose construction from a callable starts a thread.
constexpr llvm::StringLiteral ThreadClassNames[] = {
    "::std::thread", "::std::jthread", "::boost::thread"};

// Future-like handles: waiting on them means the work has finished.
bool isFutureName(llvm::StringRef Name) {
  return Name == "future" || Name == "shared_future" ||
         Name == "unique_future" || Name == "SemiFuture" ||
         Name == "semifuture";
}

// "::ns::Class::member" without template arguments, inline namespaces
// (std::__1) or anonymous namespaces: the form option values are written in.
std::string plainQualifiedName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  if (!D->getIdentifier())
    return {};
  Parts.push_back(D->getName());
  for (const DeclContext *DC = D->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = llvm::dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = llvm::dyn_cast<RecordDecl>(DC)) {
      if (!RD->getIdentifier())
        return {}; // a member of an unnamed class
      Parts.push_back(RD->getName());
    } else if (!DC->isTranslationUnit() && !DC->isExternCContext() &&
               !DC->isExternCXXContext()) {
      return {}; // a local class, ...
    }
  }
  std::string Result;
  for (llvm::StringRef Part : llvm::reverse(Parts))
    (Result += "::") += Part.str();
  return Result;
}

bool isThreadClass(const CXXRecordDecl *RD, bool &IsJThread) {
  if (!RD || !RD->getIdentifier())
    return false;
  const std::string Name = plainQualifiedName(RD);
  for (llvm::StringRef Candidate : ThreadClassNames)
    if (Name == Candidate) {
      IsJThread = Candidate == "::std::jthread";
      return true;
    }
  return false;
}


// Strips what does not change which object an expression denotes.
const Expr *strip(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
      continue;
    }
    if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E)) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = F->getSubExpr();
      continue;
    }
    if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() == 1 && CE->getConstructor() &&
          CE->getConstructor()->isCopyOrMoveConstructor()) {
        E = CE->getArg(0);
        continue;
      }
    }
    if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
      // std::move(x), std::forward<T>(x)
      if (Call->getNumArgs() == 1 && Call->getDirectCallee() &&
          Call->getDirectCallee()->isInStdNamespace() &&
          Call->getDirectCallee()->getIdentifier() &&
          (Call->getDirectCallee()->getName() == "move" ||
           Call->getDirectCallee()->getName() == "forward")) {
        E = Call->getArg(0);
        continue;
      }
    }
    return E;
  }
  return E;
}

} // namespace

// The first template argument of a class template specialization, if a type
// (the element type of std::vector<std::thread>, of unique_ptr<std::thread>).
QualType firstTemplateTypeArg(const CXXRecordDecl *RD) {
  const auto *Spec = llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() == 0)
    return {};
  const TemplateArgument &Arg = Spec->getTemplateArgs()[0];
  if (Arg.getKind() != TemplateArgument::Type)
    return {};
  return Arg.getAsType();
}

bool isCallableType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isFunctionType() || T->isFunctionPointerType() ||
      T->isMemberFunctionPointerType())
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  if (RD->isLambda())
    return true;
  // A functor: a class with operator() (std::function, std::bind results,
  // user functors). Bases are not searched: rare, and only costs a miss.
  DeclarationName Call =
      RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Call);
  return !RD->lookup(Call).empty();
}

namespace {

// Fills Callable, Lambda, Body and MemberPointer from the callable argument.
void resolveCallable(SpawnSite &S, const Expr *Arg) {
  S.Callable = Arg;
  const Expr *E = strip(Arg);
  // A callable wrapped on the way in: std::function<void()>(lambda),
  // std::packaged_task, a user's Task type built from a lambda.
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const auto *Wrap = llvm::dyn_cast<CXXConstructExpr>(E);
    if (!Wrap || Wrap->getNumArgs() != 1 ||
        !isCallableType(Wrap->getArg(0)->getType()))
      break;
    E = strip(Wrap->getArg(0));
  }
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = strip(UO->getSubExpr());
  if (const auto *L = llvm::dyn_cast<LambdaExpr>(E)) {
    S.Lambda = L;
    S.Body = L->getCallOperator();
    return;
  }
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = llvm::dyn_cast<FunctionDecl>(DRE->getDecl())) {
      S.Body = FD;
      S.MemberPointer = llvm::isa<CXXMethodDecl>(FD) &&
                        !llvm::cast<CXXMethodDecl>(FD)->isStatic();
      return;
    }
    // A local lambda variable: auto Task = [&] {...}; std::thread T(Task);
    if (const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit())
        if (const auto *L = llvm::dyn_cast<LambdaExpr>(strip(VD->getInit()))) {
          S.Lambda = L;
          S.Body = L->getCallOperator();
        }
  }
}

// Resolves the callable among Args[From...] (the first argument of a callable
// type) and records the rest as forwarded arguments.
bool takeCallableAndArgs(SpawnSite &S, const CallExpr *Call, unsigned From) {
  for (unsigned I = From, N = Call->getNumArgs(); I < N; ++I) {
    const Expr *Arg = Call->getArg(I);
    if (llvm::isa<CXXDefaultArgExpr>(Arg) || !isCallableType(Arg->getType()))
      continue;
    resolveCallable(S, Arg);
    for (unsigned J = I + 1; J < N; ++J)
      if (!llvm::isa<CXXDefaultArgExpr>(Call->getArg(J)))
        S.Args.push_back(Call->getArg(J));
    return true;
  }
  return false;
}

bool takeCallableAndArgs(SpawnSite &S, const CXXConstructExpr *Construct) {
  if (Construct->getNumArgs() == 0)
    return false;
  const Expr *Arg = Construct->getArg(0);
  if (!isCallableType(Arg->getType()))
    return false;
  resolveCallable(S, Arg);
  for (unsigned J = 1, N = Construct->getNumArgs(); J < N; ++J)
    S.Args.push_back(Construct->getArg(J));
  return true;
}

} // namespace

bool matchesAnyName(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  if (!D->getIdentifier())
    return false;
  // Cheap test first: the last component must be one of the names'.
  const llvm::StringRef Last = D->getName();
  if (llvm::none_of(Names, [&](const std::string &N) {
        llvm::StringRef Name(N);
        return Name.ends_with(Last) &&
               (Name.size() == Last.size() ||
                Name.drop_back(Last.size()).ends_with("::"));
      }))
    return false;
  const std::string Qualified = plainQualifiedName(D);
  for (const std::string &N : Names) {
    llvm::StringRef Name(N);
    if (Name.starts_with("::")) {
      if (Qualified == Name)
        return true;
      continue;
    }
    // "ThreadPool::enqueue" matches "::ns::ThreadPool::enqueue".
    llvm::StringRef Q(Qualified);
    if (Q.ends_with(Name) && Q.drop_back(Name.size()).ends_with("::"))
      return true;
  }
  return false;
}

namespace {

AST_MATCHER_P(FunctionDecl, hasPlainName, std::vector<std::string>, Names) {
  return matchesAnyName(&Node, Names);
}

// ---- Lifetime --------------------------------------------------------------

// Nodes between a spawn expression and what consumes its result.
bool isTransparent(const Stmt *S) {
  if (llvm::isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                CXXBindTemporaryExpr, ExprWithCleanups, ParenExpr,
                CXXFunctionalCastExpr>(S))
    return true;
  if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(S))
    return CE->getConstructor() &&
           CE->getConstructor()->isCopyOrMoveConstructor();
  if (const auto *Call = llvm::dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      return FD->isInStdNamespace() && FD->getIdentifier() &&
             FD->getName() == "move";
  return false;
}

} // namespace

const NamedDecl *referencedDecl(const Expr *E) {
  E = strip(E);
  if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = llvm::dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E))
    if ((Op->getOperator() == OO_Subscript || Op->getOperator() == OO_Star ||
         Op->getOperator() == OO_Arrow) &&
        Op->getNumArgs() >= 1)
      return referencedDecl(Op->getArg(0));
  if (const auto *ASE = llvm::dyn_cast<ArraySubscriptExpr>(E))
    return referencedDecl(ASE->getBase());
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      return referencedDecl(UO->getSubExpr());
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E))
    if (MC->getNumArgs() == 0) // v.back(), v.front(), p.get()
      return referencedDecl(MC->getImplicitObjectArgument());
  return nullptr;
}

bool isBefore(SourceLocation A, SourceLocation B, const SourceManager &SM) {
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                      SM.getExpansionLoc(B));
}

bool isWaitCallName(llvm::StringRef Name, QualType ObjType) {
  if (Name == "get") {
    const CXXRecordDecl *RD = recordOfObjectType(ObjType);
    return RD && RD->getIdentifier() && isFutureName(RD->getName());
  }
  return llvm::StringSwitch<bool>(Name)
      .Cases({"join", "wait", "Wait", "arrive_and_wait"}, true)
      .Cases({"wait_for_tasks", "wait_all", "WaitAll", "wait_idle"}, true)
      .Cases({"wait_for_all", "corun", "corun_all"}, true)
      .Default(false);
}

namespace {

// A thread object, a pointer to one, a project's thread class (a class
// whose name says "thread"), or a container or smart pointer of them.
bool isThreadTyped(QualType T) {
  const CXXRecordDecl *RD = recordOfObjectType(T);
  for (unsigned Depth = 0; RD && Depth < 3; ++Depth) {
    bool IsJThread = false;
    if (isThreadClass(RD, IsJThread) ||
        (RD->getIdentifier() && RD->getName().contains_insensitive("thread")))
      return true;
    QualType Element = firstTemplateTypeArg(RD);
    if (Element.isNull())
      return false;
    RD = recordOfObjectType(Element);
  }
  return false;
}

// A string, a string view, a character pointer, or a container of them:
// what a string join takes and returns.
bool isStringLike(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    return PT->getPointeeType()->isAnyCharacterType();
  if (const auto *AT = T->getAsArrayTypeUnsafe())
    return AT->getElementType()->isAnyCharacterType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  for (unsigned Depth = 0; RD && Depth < 2; ++Depth) {
    if (RD->getIdentifier() &&
        (RD->getName().contains_insensitive("string") ||
         RD->getName() == "Cord" || RD->getName() == "StringPiece" ||
         RD->getName() == "path"))
      return true;
    QualType Element = firstTemplateTypeArg(RD);
    if (Element.isNull())
      return false;
    RD = Element.getNonReferenceType()->getAsCXXRecordDecl();
  }
  return false;
}

} // namespace

bool mayWaitForOtherThreads(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  if (BlockingModel::conditionWaitLock(Call))
    return true;
  const std::string Name = FD->getName().lower();
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Object = MC ? MC->getImplicitObjectArgument() : nullptr;
  // A join of threads, not of strings: `t.join()`, `pool.JoinAll(true)`,
  // `env->WaitForJoin()`, `pthread_join(id, nullptr)`; not `join(parts,
  // ",")`, `joiner.join(parts)` or `absl::StrJoin(v, "/")`.
  if (llvm::StringRef(Name).contains("join")) {
    if ((Object && isThreadTyped(Object->getType())) ||
        llvm::any_of(Call->arguments(), [](const Expr *Arg) {
          return isThreadTyped(Arg->getType());
        }))
      return true;
    return !isStringLike(Call->getType()) &&
           llvm::none_of(Call->arguments(), [](const Expr *Arg) {
             return isStringLike(Arg->getType());
           });
  }
  if (Object && isWaitCallName(FD->getName(), Object->getType()))
    return true;
  // A future's value: the work that sets it has run.
  if (Object && (Name == "get" || Name == "value" || Name == "result")) {
    const CXXRecordDecl *RD = recordOfObjectType(Object->getType());
    return RD && RD->getIdentifier() && isFutureName(RD->getName());
  }
  // A project's own wait: `WaitForJobs()`, `co_await`-style `await`,
  // `sem_wait`, a semaphore's `acquire`, a queue's `drain`, `block`.
  llvm::StringRef N(Name);
  return N.contains("wait") || N.contains("acquire") || N.contains("drain") ||
         N == "block";
}

namespace {

// Whether a call waits for or joins the work held by Holder. With a null
// Holder, any join/wait counts (work synchronised by a latch or a wait group).
class WaitFinder : public RecursiveASTVisitor<WaitFinder> {
public:
  WaitFinder(const NamedDecl *Holder, SourceLocation After,
             const SourceManager &SM)
      : Holder(Holder), After(After), SM(SM) {}

  bool Found = false;
  bool Detached = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; } // other tasks

  bool VisitCallExpr(CallExpr *Call) {
    if (!isBefore(After, Call->getBeginLoc(), SM))
      return true;
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return true;
    llvm::StringRef Name = FD->getName();
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!Obj)
        return true;
      const bool OnHolder = Holder && (referencedDecl(Obj) == Holder ||
                                       isElementOfHolder(Obj));
      if (isWaitName(Name, Obj->getType()) && (OnHolder || !Holder ||
                                               isSynchronizer(Obj->getType())))
        Found = true;
      if (OnHolder && Name == "detach")
        Detached = true;
      return true;
    }
    if (Name == "pthread_join" || Name == "pthread_detach") {
      if (Call->getNumArgs() >= 1 &&
          (!Holder || referencedDecl(Call->getArg(0)) == Holder)) {
        if (Name == "pthread_join")
          Found = true;
        else
          Detached = true;
      }
    }
    return true;
  }

  // for (auto &T : Threads) T.join();
  bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
    if (!Holder || !isBefore(After, For->getBeginLoc(), SM))
      return true;
    if (referencedDecl(For->getRangeInit()) == Holder)
      ElementVars.push_back(For->getLoopVariable());
    return true;
  }

private:
  bool isElementOfHolder(const Expr *Obj) const {
    const NamedDecl *D = referencedDecl(Obj);
    return D && llvm::is_contained(ElementVars, D);
  }

  static bool isWaitName(llvm::StringRef Name, QualType ObjType) {
    return isWaitCallName(Name, ObjType);
  }

  // Latches, barriers, wait groups: waiting on one synchronises with the
  // work even though it is not the work's own handle.
  static bool isSynchronizer(QualType ObjType) {
    const CXXRecordDecl *RD = recordOfObjectType(ObjType);
    if (!RD || !RD->getIdentifier())
      return false;
    llvm::StringRef Name = RD->getName();
    return Name.contains_insensitive("latch") ||
           Name.contains_insensitive("barrier") ||
           Name.contains_insensitive("waitgroup") ||
           Name.contains_insensitive("wait_group") ||
           Name.contains_insensitive("pool");
  }

  const NamedDecl *Holder;
  SourceLocation After;
  const SourceManager &SM;
  llvm::SmallVector<const NamedDecl *, 2> ElementVars;
};

bool isInsertion(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases({"push_back", "push_front", "emplace_back", "emplace_front"}, true)
      .Cases({"push", "emplace", "insert", "try_emplace", "insert_or_assign"},
             true)
      .Default(false);
}

// Whether E's value is thrown away: used as a statement or cast to void.
bool isDiscarded(const Expr *E, ASTContext &Ctx) {
  const Stmt *Node = E;
  for (unsigned Depth = 0; Depth < 16; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Node);
    if (Parents.empty())
      return false;
    const auto *P = Parents[0].get<Stmt>();
    if (!P)
      return false; // initialises a declaration
    if (isTransparent(P)) {
      Node = P;
      continue;
    }
    if (const auto *Cast = llvm::dyn_cast<ExplicitCastExpr>(P))
      return Cast->getType()->isVoidType();
    // A statement (not an expression) other than return uses E as a
    // statement of its own: compound bodies, if/for/while bodies.
    return !llvm::isa<Expr>(P) && !llvm::isa<ReturnStmt>(P);
  }
  return false;
}

} // namespace

const ParmVarDecl *SpawnSite::paramFor(unsigned I) const {
  if (!Body)
    return nullptr;
  if (MemberPointer) {
    if (I == 0)
      return nullptr;
    --I;
  }
  if (I >= Body->getNumParams())
    return nullptr;
  return Body->getParamDecl(I);
}

SpawnModel::SpawnModel(std::vector<std::string> SpawnFunctions)
    : SpawnFunctions(std::move(SpawnFunctions)) {}

llvm::StringRef SpawnModel::defaultSpawnFunctions() {
  return "::boost::asio::post;::boost::asio::dispatch;::boost::asio::defer;"
         "::BS::thread_pool::detach_task;::BS::thread_pool::submit_task;"
         "::BS::thread_pool::push_task;::BS::thread_pool::submit;"
         "ThreadPool::enqueue;::QtConcurrent::run;::folly::via;"
         "::tbb::task_group::run;::tbb::task_arena::enqueue;"
         "::tf::Executor::async;::tf::Executor::silent_async;"
         "::tf::Runtime::async;::tf::Runtime::silent_async";
}

namespace {

struct CandidateMatchers {
  StatementMatcher Construction, Emplace, Call;
};

CandidateMatchers candidateMatchers(llvm::ArrayRef<std::string> Functions) {
  auto ThreadClass = cxxRecordDecl(hasAnyName(
      ThreadClassNames[0], ThreadClassNames[1], ThreadClassNames[2]));
  std::vector<std::string> Names = {"::std::async", "::pthread_create",
                                    "::std::make_unique", "::std::make_shared"};
  Names.insert(Names.end(), Functions.begin(), Functions.end());
  auto NotSystem = unless(isExpansionInSystemHeader());
  auto EmplaceName = hasAnyName("emplace_back", "emplace", "emplace_front");
  // Not hasAnyName: it does not match members of class template
  // specializations (BS::thread_pool<...>::detach_task) by their plain name.
  return {cxxConstructExpr(argumentCountAtLeast(1),
                           hasDeclaration(cxxConstructorDecl(
                               ofClass(ThreadClass), unless(isCopyConstructor()),
                               unless(isMoveConstructor()))),
                           NotSystem)
              .bind("spawn"),
          cxxMemberCallExpr(argumentCountAtLeast(1),
                            callee(cxxMethodDecl(EmplaceName)), NotSystem)
              .bind("spawn"),
          // An emplace is the matcher above's, even when a pool's method
          // of that name is listed: one callback per node.
          callExpr(callee(functionDecl(hasPlainName(Names))),
                   unless(cxxMemberCallExpr(callee(cxxMethodDecl(EmplaceName)))),
                   NotSystem)
              .bind("spawn")};
}

} // namespace

StatementMatcher SpawnModel::candidateMatcher() const {
  CandidateMatchers M = candidateMatchers(SpawnFunctions);
  return expr(anyOf(M.Construction, M.Emplace, M.Call)).bind("spawn");
}

void SpawnModel::registerCandidates(MatchFinder &Finder,
                                    MatchFinder::MatchCallback *Callback) const {
  CandidateMatchers M = candidateMatchers(SpawnFunctions);
  Finder.addMatcher(M.Construction, Callback);
  Finder.addMatcher(M.Emplace, Callback);
  Finder.addMatcher(M.Call, Callback);
}

std::optional<SpawnSite> SpawnModel::classify(const Expr *E,
                                              ASTContext &Ctx) const {
  if (!E || E->containsErrors())
    return std::nullopt;
  SpawnSite S;
  S.Site = E;
  bool IsJThread = false;

  if (const auto *Construct = llvm::dyn_cast<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isCopyOrMoveConstructor() ||
        !isThreadClass(Ctor->getParent(), IsJThread))
      return std::nullopt;
    S.Kind = IsJThread ? SpawnKind::JThread : SpawnKind::Thread;
    S.Spawner = Ctor->getParent();
    if (!takeCallableAndArgs(S, Construct))
      return std::nullopt;
    return S;
  }

  const auto *Call = llvm::dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return std::nullopt;
  llvm::StringRef Name = Callee->getName();

  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call);
      MC && Name.starts_with("emplace")) {
    // threads.emplace_back(callable, args...) on a container of threads.
    const CXXRecordDecl *Container = MC->getRecordDecl();
    QualType Element = firstTemplateTypeArg(Container);
    if (Element.isNull() ||
        !isThreadClass(Element->getAsCXXRecordDecl(), IsJThread))
      return std::nullopt;
    S.Kind = IsJThread ? SpawnKind::JThread : SpawnKind::Thread;
    S.Spawner = Element->getAsCXXRecordDecl();
    if (!takeCallableAndArgs(S, Call, 0))
      return std::nullopt;
    return S;
  }

  if (Callee->isInStdNamespace() &&
      (Name == "make_unique" || Name == "make_shared")) {
    const TemplateArgumentList *TArgs = Callee->getTemplateSpecializationArgs();
    if (!TArgs || TArgs->size() == 0 ||
        TArgs->get(0).getKind() != TemplateArgument::Type ||
        !isThreadClass(TArgs->get(0).getAsType()->getAsCXXRecordDecl(),
                       IsJThread))
      return std::nullopt;
    S.Kind = IsJThread ? SpawnKind::JThread : SpawnKind::Thread;
    S.Spawner = TArgs->get(0).getAsType()->getAsCXXRecordDecl();
    if (!takeCallableAndArgs(S, Call, 0))
      return std::nullopt;
    return S;
  }

  if (Callee->isInStdNamespace() && Name == "async") {
    S.Kind = SpawnKind::Async;
    S.Spawner = Callee;
    if (!takeCallableAndArgs(S, Call, 0))
      return std::nullopt;
    // A discarded future blocks at the end of the full-expression: the call
    // is synchronous, not a spawn.
    if (isDiscarded(Call, Ctx))
      return std::nullopt;
    return S;
  }

  if (Name == "pthread_create" &&
      (Callee->isExternC() || Callee->isGlobal())) {
    if (Call->getNumArgs() != 4)
      return std::nullopt;
    S.Kind = SpawnKind::PthreadCreate;
    S.Spawner = Callee;
    resolveCallable(S, Call->getArg(2));
    S.Args.push_back(Call->getArg(3));
    return S;
  }

  if (matchesAnyName(Callee, SpawnFunctions)) {
    S.Kind = SpawnKind::Function;
    S.Spawner = Callee;
    if (!takeCallableAndArgs(S, Call, 0))
      return std::nullopt;
    return S;
  }
  return std::nullopt;
}

std::optional<SpawnSite>
SpawnModel::classifyAsSpawnFunction(const CallExpr *Call) const {
  if (!Call || Call->containsErrors() || !Call->getDirectCallee())
    return std::nullopt;
  SpawnSite S;
  S.Site = Call;
  S.Kind = SpawnKind::Function;
  S.Spawner = Call->getDirectCallee();
  if (!takeCallableAndArgs(S, Call, 0))
    return std::nullopt;
  return S;
}

bool contains(const Stmt *Outer, const Stmt *Inner, ASTContext &Ctx) {
  if (Outer == Inner)
    return true;
  // Bounded walk: ASTs deeper than this are not worth the time.
  DynTypedNode Node = DynTypedNode::create(*Inner);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (const auto *S = Node.get<Stmt>()) {
      if (S == Outer)
        return true;
    } else if (Node.get<FunctionDecl>()) {
      return false;
    }
  }
  return false;
}

bool isDeclaredWithin(const Decl *D, const Stmt *Scope, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*D);
  for (DynTypedNode P : Parents) {
    if (const auto *S = P.get<Stmt>())
      return contains(Scope, S, Ctx);
  }
  return false;
}

namespace {

// `std::move(V)` after a point: where a local handle is handed on.
class MoveFinder : public RecursiveASTVisitor<MoveFinder> {
public:
  MoveFinder(const NamedDecl *V, SourceLocation After, const SourceManager &SM)
      : V(V), After(After), SM(SM) {}
  const CallExpr *Found = nullptr;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!Found && FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        FD->getName() == "move" && Call->getNumArgs() == 1 &&
        isBefore(After, Call->getBeginLoc(), SM) &&
        referencedDecl(Call->getArg(0)) == V)
      Found = Call;
    return Found == nullptr;
  }

private:
  const NamedDecl *V;
  SourceLocation After;
  const SourceManager &SM;
};

// Decides lifetimeIn() for one spawn site and scope.
class LifetimeJudge {
public:
  LifetimeJudge(const SpawnSite &S, const Stmt *Scope, ASTContext &Ctx)
      : S(S), Scope(Scope), Ctx(Ctx), SM(Ctx.getSourceManager()),
        After(S.Site->getEndLoc()) {}

  Lifetime judge() {
    if (S.Kind == SpawnKind::PthreadCreate) {
      const auto *Call = llvm::cast<CallExpr>(S.Site);
      Lifetime Result = holder(referencedDecl(Call->getArg(0)), 1);
      if (Result.Reason == LifetimeReason::StoredOutside ||
          Result.Reason == LifetimeReason::HandedToPool)
        Result.Reason = LifetimeReason::NotJoined;
      return Result;
    }
    // threads.emplace_back(...): the container holds the thread.
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S.Site);
        MC && (S.Kind == SpawnKind::Thread || S.Kind == SpawnKind::JThread))
      return holder(referencedDecl(MC->getImplicitObjectArgument()), 0);
    return consumer(S.Site, 0);
  }

private:
  static Lifetime make(LifetimeReason R, const NamedDecl *Holder = nullptr) {
    Lifetime L;
    L.Reason = R;
    L.Holder = Holder;
    return L;
  }

  bool waited(const NamedDecl *Holder, bool &Detached) const {
    WaitFinder Finder(Holder, After, SM);
    Finder.TraverseStmt(const_cast<Stmt *>(Scope));
    Detached = Finder.Detached;
    if (Finder.Found)
      return true;
    // Work synchronised by another object (a latch, a wait group, a pool's
    // wait): any such wait in the scope after the spawn counts.
    WaitFinder Any(nullptr, After, SM);
    Any.TraverseStmt(const_cast<Stmt *>(Scope));
    return Any.Found;
  }

  // What destroying a handle local to the scope does to the work.
  LifetimeReason localHandleOutcome() const {
    switch (S.Kind) {
    case SpawnKind::Thread:  // std::terminate: another check's business
    case SpawnKind::JThread: // joins
    case SpawnKind::Async:   // the future blocks
      return LifetimeReason::EndsInScope;
    case SpawnKind::PthreadCreate:
      return LifetimeReason::NotJoined;
    case SpawnKind::Function:
      return LifetimeReason::HandedToPool;
    }
    return LifetimeReason::Unknown;
  }

  // The work is held by Holder (a variable, field or container).
  Lifetime holder(const NamedDecl *Holder, unsigned Depth) {
    bool Detached = false;
    if (waited(Holder, Detached))
      return make(LifetimeReason::EndsInScope, Holder);
    if (Detached)
      return make(LifetimeReason::Detached, Holder);
    if (!Holder)
      return make(LifetimeReason::Unknown);
    if (isDeclaredWithin(Holder, Scope, Ctx)) {
      // A local handle moved on: std::thread t(...); v.push_back(move(t));
      MoveFinder Moves(Holder, After, SM);
      Moves.TraverseStmt(const_cast<Stmt *>(Scope));
      if (Moves.Found && Depth == 0) {
        Lifetime Moved = consumer(Moves.Found, Depth + 1);
        if (Moved.Reason != LifetimeReason::Unknown)
          return Moved;
      }
      return make(localHandleOutcome(), Holder);
    }
    return make(S.Kind == SpawnKind::Function ? LifetimeReason::HandedToPool
                                              : LifetimeReason::StoredOutside,
                Holder);
  }

  // Walks up from E (the spawn, or a std::move of its handle) to whatever
  // consumes the handle.
  Lifetime consumer(const Expr *E, unsigned Depth) {
    const Stmt *Child = E;
    for (unsigned Hops = 0; Hops < 16; ++Hops) {
      DynTypedNodeList Parents = Ctx.getParents(*Child);
      if (Parents.empty())
        return make(LifetimeReason::Unknown);
      const DynTypedNode &P = Parents[0];
      if (const auto *VD = P.get<VarDecl>())
        return holder(VD, Depth);
      const auto *PS = P.get<Stmt>();
      if (!PS)
        return make(LifetimeReason::Unknown);
      if (isTransparent(PS)) {
        Child = PS;
        continue;
      }
      if (llvm::isa<ReturnStmt>(PS))
        return make(LifetimeReason::Returned);
      if (!llvm::isa<Expr>(PS)) {
        // A discarded result: a temporary thread is destroyed at once, a
        // pool keeps the work.
        if (S.Kind != SpawnKind::Function)
          return make(localHandleOutcome());
        bool Detached = false;
        return make(waited(nullptr, Detached) ? LifetimeReason::EndsInScope
                                              : LifetimeReason::HandedToPool);
      }
      if (const auto *ME = llvm::dyn_cast<MemberExpr>(PS)) {
        // std::thread(...).detach() / .join(); pool.submit(...).get()
        const auto *Method =
            llvm::dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
        if (Method && Method->getIdentifier()) {
          llvm::StringRef Name = Method->getName();
          if (Name == "detach")
            return make(LifetimeReason::Detached);
          if (Name == "join" || Name == "get" || Name == "wait")
            return make(LifetimeReason::EndsInScope);
        }
        return make(LifetimeReason::Unknown);
      }
      if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(PS)) {
        // container.push_back(spawn(...))
        const FunctionDecl *M = MC->getDirectCallee();
        if (M && M->getIdentifier() && isInsertion(M->getName()))
          return holder(referencedDecl(MC->getImplicitObjectArgument()),
                        Depth);
        return make(LifetimeReason::Unknown);
      }
      if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(PS)) {
        if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
          return holder(referencedDecl(Op->getArg(0)), Depth);
        return make(LifetimeReason::Unknown);
      }
      if (const auto *BO = llvm::dyn_cast<BinaryOperator>(PS)) {
        if (BO->getOpcode() == BO_Assign)
          return holder(referencedDecl(BO->getLHS()), Depth);
        return make(LifetimeReason::Unknown);
      }
      return make(LifetimeReason::Unknown); // passed to a function, ...
    }
    return make(LifetimeReason::Unknown);
  }

  const SpawnSite &S;
  const Stmt *Scope;
  ASTContext &Ctx;
  const SourceManager &SM;
  SourceLocation After;
};

} // namespace

Lifetime SpawnModel::lifetimeIn(const SpawnSite &S, const Stmt *Scope,
                                ASTContext &Ctx) const {
  return LifetimeJudge(S, Scope, Ctx).judge();
}

} // namespace clang::tidy::threadlint
