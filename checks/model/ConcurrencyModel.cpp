//===--- ConcurrencyModel.cpp - what may run at the same time as what -----===//
#include "model/ConcurrencyModel.h"
#include "model/GuardModel.h"
#include "model/LockOrder.h"
#include "model/AstHelpers.h"
#include "model/FunctionWalker.h"
#include "model/HandOff.h"
#include "model/OptionLists.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringSwitch.h"
#include <deque>

namespace clang::tidy::threadlint {

// --- Options -----------------------------------------------------------------

ModelOptions ModelOptions::read(const ClangTidyCheck::OptionsView &Options) {
  ModelOptions O;
  O.SpawnFunctions = parseList(Options.getLocalOrGlobal(
      "SpawnFunctions", SpawnModel::defaultSpawnFunctions()));
  O.Locks.LockTypes = parseList(Options.getLocalOrGlobal(
      "LockTypes", LockModelOptions::defaultLockTypes()));
  O.Locks.GuardTypes = parseList(Options.getLocalOrGlobal(
      "GuardTypes", LockModelOptions::defaultGuardTypes()));
  O.MaxEntryDepth = Options.getLocalOrGlobal("MaxEntryDepth", 4U);
  O.MaxEntryFunctions = Options.getLocalOrGlobal("MaxEntryFunctions", 300U);
  return O;
}

void ModelOptions::store(ClangTidyCheck::OptionsView &Options,
                         ClangTidyOptions::OptionMap &Opts) const {
  Options.store(Opts, "SpawnFunctions", serializeList(SpawnFunctions));
  Options.store(Opts, "LockTypes", serializeList(Locks.LockTypes));
  Options.store(Opts, "GuardTypes", serializeList(Locks.GuardTypes));
  Options.store(Opts, "MaxEntryDepth", MaxEntryDepth);
  Options.store(Opts, "MaxEntryFunctions", MaxEntryFunctions);
}

std::string ModelOptions::fingerprint() const {
  return serializeList(SpawnFunctions) + "|" + serializeList(Locks.LockTypes) +
         "|" + serializeList(Locks.GuardTypes) + "|" +
         std::to_string(MaxEntryDepth) + "|" +
         std::to_string(MaxEntryFunctions);
}

// --- Small helpers -----------------------------------------------------------

namespace {

bool inSystemHeader(SourceLocation Loc, const SourceManager &SM) {
  return Loc.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(Loc));
}

} // namespace

const FunctionDecl *outermostFunction(const FunctionDecl *FD) {
  for (unsigned Depth = 0; FD && Depth < 16; ++Depth) {
    const auto *MD = llvm::dyn_cast<CXXMethodDecl>(FD);
    if (!MD || !MD->getParent()->isLambda())
      return FD;
    const DeclContext *DC = MD->getParent()->getDeclContext();
    while (DC && !llvm::isa<FunctionDecl>(DC))
      DC = DC->getParent();
    FD = llvm::dyn_cast_or_null<FunctionDecl>(DC);
  }
  return FD;
}

namespace {

bool capturesThis(const LambdaExpr *L) {
  for (const LambdaCapture &C : L->captures())
    if (C.capturesThis())
      return true;
  return false;
}

// A container insertion: push, emplace, insert, ...
bool isInsertionName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases({"push_back", "push_front", "emplace_back", "emplace_front"}, true)
      .Cases({"push", "emplace", "insert", "enqueue", "Push"}, true)
      .Default(false);
}

// A container removal that hands out the element.
bool isTakeName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases({"front", "back", "top", "pop", "pop_front", "pop_back"}, true)
      .Cases({"dequeue", "try_pop", "Pop", "take"}, true)
      .Default(false);
}

// The field an expression names through `this` (`q_`, `this->q_`).
const FieldDecl *thisField(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *ME = llvm::dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!ME || !llvm::isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
}

// Visits the statements of one body, not of the lambdas in it.
template <typename Fn> class BodyWalker
    : public RecursiveASTVisitor<BodyWalker<Fn>> {
public:
  explicit BodyWalker(Fn F) : F(std::move(F)) {}
  // RecursiveASTVisitor's hooks keep its names.
  // NOLINTNEXTLINE(readability-identifier-naming)
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        this->TraverseStmt(Init);
    return true;
  }
  bool VisitStmt(Stmt *S) { // NOLINT(readability-identifier-naming)
    F(S);
    return true;
  }
  bool shouldVisitImplicitCode() const { return true; }

private:
  Fn F;
};

template <typename Fn> void forEachStmt(const Stmt *Body, Fn F) {
  if (!Body)
    return;
  BodyWalker<Fn> W(std::move(F));
  W.TraverseStmt(const_cast<Stmt *>(Body));
}

const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || Def->isInvalidDecl())
    return nullptr;
  return Def;
}

} // namespace

const CXXRecordDecl *classOfFunction(const FunctionDecl *FD) {
  FD = outermostFunction(FD);
  const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD ? MD->getParent()->getCanonicalDecl() : nullptr;
}

bool ClassProtocol::mayRunWithWork(const FunctionDecl *M) const {
  const auto *MD = llvm::dyn_cast_or_null<CXXMethodDecl>(outermostFunction(M));
  if (!MD || MD->isStatic() || llvm::isa<CXXConstructorDecl>(MD) ||
      llvm::isa<CXXDestructorDecl>(MD))
    return false;
  return MD->getParent()->getCanonicalDecl() == Class;
}

const ProtocolWait *ClassProtocol::waitIn(const FunctionDecl *M) const {
  for (const ProtocolWait &W : Waits)
    if (W.Method == M)
      return &W;
  return nullptr;
}

const ProtocolWait *ClassProtocol::waitFor(unsigned Spawn) const {
  const ProtocolWait *Found = nullptr;
  for (const ProtocolWait &W : Waits)
    if (llvm::is_contained(W.Spawns, Spawn)) {
      if (llvm::isa<CXXDestructorDecl>(W.Method))
        return &W;
      if (!Found)
        Found = &W;
    }
  return Found;
}

// --- The per-TU registry -------------------------------------------------------

ConcurrencyModel &
ConcurrencyModel::get(ASTContext &Ctx, const ModelOptions &Options,
                      std::shared_ptr<ConcurrencyModel> &Handle) {
  const std::string Key = Options.fingerprint();
  if (Handle && &Handle->Ctx == &Ctx && Handle->Key == Key)
    return *Handle;
  // One registry per thread: clangd builds several files' ASTs at once, each
  // on its own thread; a model lives while any check of its TU holds it.
  thread_local std::vector<std::weak_ptr<ConcurrencyModel>> Live;
  llvm::erase_if(Live, [](const std::weak_ptr<ConcurrencyModel> &W) {
    return W.expired();
  });
  for (const std::weak_ptr<ConcurrencyModel> &W : Live)
    if (std::shared_ptr<ConcurrencyModel> M = W.lock())
      if (&M->Ctx == &Ctx && M->Key == Key) {
        Handle = M;
        return *M;
      }
  Handle = std::make_shared<ConcurrencyModel>(Ctx, Options);
  Live.push_back(Handle);
  return *Handle;
}

struct ConcurrencyModel::FunctionCFG {
  std::unique_ptr<CFG> Graph;
  /// Statement → (block id, element index).
  llvm::DenseMap<const Stmt *, std::pair<unsigned, unsigned>> Position;
};

ConcurrencyModel::ConcurrencyModel(ASTContext &Ctx, ModelOptions O)
    : Ctx(Ctx), Options(std::move(O)), Key(Options.fingerprint()),
      Spawns(Options.SpawnFunctions) {}

ConcurrencyModel::~ConcurrencyModel() = default;

// --- Spawns --------------------------------------------------------------------

namespace {

// Collects every spawn candidate of the TU with the function it is in.
class SpawnCollector : public RecursiveASTVisitor<SpawnCollector> {
public:
  explicit SpawnCollector(const SourceManager &SM) : SM(SM) {}

  struct Candidate {
    const Expr *E;
    const FunctionDecl *In;
  };
  std::vector<Candidate> Found;
  std::vector<const CallExpr *> Calls; // for inferred spawn functions

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!llvm::isa<TranslationUnitDecl>(D) && inSystemHeader(D->getLocation(), SM))
      return true;
    if (D->isInvalidDecl())
      return true;
    if (auto *FD = llvm::dyn_cast<FunctionDecl>(D)) {
      if (FD->isDependentContext())
        return true; // patterns: their instantiations are visited
      Functions.push_back(FD);
      bool R = RecursiveASTVisitor::TraverseDecl(D);
      Functions.pop_back();
      return R;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    Functions.push_back(L->getCallOperator());
    bool R = TraverseStmt(L->getBody());
    Functions.pop_back();
    return R;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    add(E);
    return true;
  }
  bool VisitCallExpr(CallExpr *E) {
    add(E);
    if (!Functions.empty() && !E->containsErrors())
      Calls.push_back(E);
    return true;
  }

  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> CallsIn;

private:
  void add(const Expr *E) {
    if (Functions.empty() || E->containsErrors() ||
        inSystemHeader(E->getBeginLoc(), SM))
      return;
    Found.push_back({E, Functions.back()});
    if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
      CallsIn.push_back({Call, Functions.back()});
  }
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Functions;
};

// The member a constructor's initialiser starts the work in:
// `Loader() : thread_([this] { load(); }) {}`.
const FieldDecl *initializedMember(const Expr *Site, const FunctionDecl *In) {
  const auto *Ctor = llvm::dyn_cast_or_null<CXXConstructorDecl>(In);
  if (!Ctor)
    return nullptr;
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    if (!Init->isWritten() || !Init->getMember() || !Init->getInit())
      continue;
    const Expr *E = Init->getInit()->IgnoreImplicit();
    if (E == Site || Init->getInit() == Site)
      return Init->getMember();
  }
  return nullptr;
}

} // namespace

void ConcurrencyModel::collectSpawns() {
  if (SpawnsDone)
    return;
  SpawnsDone = true;
  const SourceManager &SM = Ctx.getSourceManager();
  SpawnCollector Collector(SM);
  Collector.TraverseDecl(Ctx.getTranslationUnitDecl());

  auto AddRecord = [&](SpawnSite Site, const FunctionDecl *In, bool Inferred) {
    if (RecordAt.count(Site.Site))
      return;
    SpawnRecord R;
    R.Site = std::move(Site);
    R.Spawner = In;
    R.Inferred = Inferred;
    R.Loop = In->getBody() ? enclosingLoop(R.Site.Site, In->getBody(), Ctx)
                           : nullptr;
    if (R.Site.Body)
      if (const FunctionDecl *Def = definitionOf(R.Site.Body))
        R.Bodies.push_back(Def);
    const CXXRecordDecl *SpawnerClass = classOfFunction(In);
    // The work runs on this object: `&C::run, this` or `[this] {...}`.
    const bool MemberOfThis =
        R.Site.MemberPointer && !R.Site.Args.empty() &&
        llvm::isa<CXXThisExpr>(R.Site.Args[0]->IgnoreParenImpCasts());
    if (MemberOfThis || (R.Site.Lambda && capturesThis(R.Site.Lambda)))
      R.Class = SpawnerClass;
    // Where the handle is kept.
    if (In->getBody()) {
      Lifetime L = Spawns.lifetimeIn(R.Site, In->getBody(), Ctx);
      R.Holder = L.Holder;
    }
    if (!R.Holder)
      R.Holder = initializedMember(R.Site.Site, In);
    if (R.Site.Kind == SpawnKind::Function)
      if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(R.Site.Site))
        R.Pool = referencedDecl(MC->getImplicitObjectArgument());
    // Work kept in a member of the spawning class belongs to that class.
    if (!R.Class && SpawnerClass)
      if (const auto *F = llvm::dyn_cast_or_null<FieldDecl>(
              R.Holder ? R.Holder : R.Pool))
        if (F->getParent()->getCanonicalDecl() == SpawnerClass)
          R.Class = SpawnerClass;
    RecordAt[R.Site.Site] = Records.size();
    Records.push_back(std::move(R));
  };

  for (const SpawnCollector::Candidate &C : Collector.Found)
    if (std::optional<SpawnSite> Site = Spawns.classify(C.E, Ctx))
      AddRecord(std::move(*Site), C.In, false);

  // Inferred spawn functions: a method of a class whose own thread pops a
  // callable from a member container and calls it, storing its callable
  // argument into that container.
  llvm::DenseSet<const FieldDecl *> WorkQueues;
  for (const SpawnRecord &R : Records) {
    if (!R.Class)
      continue;
    for (const FunctionDecl *Body : R.Bodies) {
      // The body and the methods of the class it calls (one level).
      llvm::SmallVector<const FunctionDecl *, 4> Look = {Body};
      forEachStmt(Body->getBody(), [&](const Stmt *S) {
        if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S))
          if (const FunctionDecl *Def = definitionOf(MC->getDirectCallee()))
            if (classOfFunction(Def) == R.Class && Look.size() < 8)
              Look.push_back(Def);
      });
      for (const FunctionDecl *F : Look) {
        bool Invokes = false;
        llvm::SmallVector<const FieldDecl *, 2> Taken;
        forEachStmt(F->getBody(), [&](const Stmt *S) {
          if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
              Op && Op->getOperator() == OO_Call)
            Invokes = true;
          if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S)) {
            const CXXMethodDecl *M = MC->getMethodDecl();
            if (M && M->getIdentifier() && isTakeName(M->getName()))
              if (const FieldDecl *Q = thisField(MC->getImplicitObjectArgument()))
                Taken.push_back(Q);
          }
        });
        if (Invokes)
          for (const FieldDecl *Q : Taken)
            WorkQueues.insert(Q->getCanonicalDecl());
      }
    }
  }
  if (WorkQueues.empty())
    return;
  // Methods storing a callable parameter (or a wrapper of it) into a queue.
  for (const auto &[Call, In] : Collector.CallsIn) {
    const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call);
    if (!MC)
      continue;
    const CXXMethodDecl *M = MC->getMethodDecl();
    const FieldDecl *Q = thisField(MC->getImplicitObjectArgument());
    if (!M || !M->getIdentifier() || !isInsertionName(M->getName()) || !Q ||
        !WorkQueues.count(Q->getCanonicalDecl()))
      continue;
    const FunctionDecl *Method = outermostFunction(In);
    if (!Method || llvm::isa<CXXConstructorDecl>(Method))
      continue;
    bool TakesCallable = llvm::any_of(Method->parameters(), [](const ParmVarDecl *P) {
      return isCallableType(P->getType()) ||
             P->getType()->isTemplateTypeParmType() ||
             P->getType().getNonReferenceType()->isTemplateTypeParmType();
    });
    if (TakesCallable &&
        InferredSpawnFunctions.insert(Method->getCanonicalDecl()).second)
      InferredVia.push_back({Method, Q});
  }
  // Their calls are spawn sites.
  for (const auto &[Call, In] : Collector.CallsIn) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !isInferredSpawnFunction(Callee) || RecordAt.count(Call))
      continue;
    // Not the pool's own calls of itself.
    if (classOfFunction(In) && classOfFunction(In) == classOfFunction(Callee))
      continue;
    if (std::optional<SpawnSite> Site = Spawns.classifyAsSpawnFunction(Call))
      AddRecord(std::move(*Site), In, true);
  }
}

std::vector<ConcurrencyModel::Remark> ConcurrencyModel::remarks() {
  collectSpawns();
  computeEntries();
  std::vector<Remark> R;
  R.reserve(InferredVia.size() + Truncations.size());
  for (const auto &[Method, Queue] : InferredVia)
    R.push_back({Method->getLocation(),
                 "'" + Method->getNameAsString() +
                     "' is taken for a spawn function: it stores its "
                     "callable argument in '" + Queue->getNameAsString() +
                     "', which a thread of its class takes from and calls"});
  R.insert(R.end(), Truncations.begin(), Truncations.end());
  return R;
}

bool ConcurrencyModel::isInferredSpawnFunction(const FunctionDecl *FD) {
  collectSpawns();
  if (!FD)
    return false;
  if (InferredSpawnFunctions.count(FD->getCanonicalDecl()))
    return true;
  // A member of a class template instantiation: ask its pattern too.
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    return InferredSpawnFunctions.count(Pattern->getCanonicalDecl());
  return false;
}

llvm::ArrayRef<SpawnRecord> ConcurrencyModel::spawns() {
  collectSpawns();
  return Records;
}

const SpawnRecord *ConcurrencyModel::spawnAt(const Expr *Site) {
  collectSpawns();
  auto It = RecordAt.find(Site);
  return It == RecordAt.end() ? nullptr : &Records[It->second];
}

llvm::SmallVector<unsigned, 4>
ConcurrencyModel::spawnsIn(const FunctionDecl *FD) {
  collectSpawns();
  llvm::SmallVector<unsigned, 4> Result;
  for (unsigned I = 0; I < Records.size(); ++I)
    if (Records[I].Spawner == FD)
      Result.push_back(I);
  return Result;
}

// --- Thread entries --------------------------------------------------------------

void ConcurrencyModel::computeEntries() {
  if (EntriesDone)
    return;
  EntriesDone = true;
  collectSpawns();
  for (unsigned I = 0; I < Records.size(); ++I) {
    std::deque<EntryReach> Work;
    llvm::DenseSet<const FunctionDecl *> Seen;
    for (const FunctionDecl *Body : Records[I].Bodies) {
      EntryReach R;
      R.Spawn = I;
      Entries[Body].push_back(R);
      Seen.insert(Body);
      Work.push_back(R);
      Work.back().Caller = Body; // the function to expand next
    }
    unsigned Visited = 0;
    bool Cut = false;
    while (!Work.empty()) {
      EntryReach Cur = Work.front();
      Work.pop_front();
      const FunctionDecl *F = Cur.Caller;
      if (++Visited > Options.MaxEntryFunctions) {
        Cut = true;
        break;
      }
      if (Cur.Depth >= Options.MaxEntryDepth) {
        Cut = true;
        continue;
      }
      forEachStmt(F->getBody(), [&](const Stmt *S) {
        const auto *Call = llvm::dyn_cast<CallExpr>(S);
        if (!Call)
          return;
        const FunctionDecl *Def = definitionOf(Call->getDirectCallee());
        if (!Def || inSystemHeader(Def->getLocation(), Ctx.getSourceManager()) ||
            !Seen.insert(Def).second)
          return;
        EntryReach Next;
        Next.Spawn = I;
        Next.Caller = F;
        Next.Call = Call;
        Next.Depth = Cur.Depth + 1;
        Entries[Def].push_back(Next);
        EntryReach Expand = Next;
        Expand.Caller = Def;
        Work.push_back(Expand);
      });
    }
    if (Cut)
      Truncations.push_back(
          {Records[I].Site.Site->getBeginLoc(),
           "the search for the functions this work calls stopped at "
           "MaxEntryDepth (" + std::to_string(Options.MaxEntryDepth) +
               ") or MaxEntryFunctions (" +
               std::to_string(Options.MaxEntryFunctions) +
               "): what it calls beyond them is not taken to run on its "
               "thread"});
  }
}

llvm::ArrayRef<EntryReach>
ConcurrencyModel::entryReaches(const FunctionDecl *FD) {
  computeEntries();
  if (!FD)
    return {};
  auto It = Entries.find(FD);
  if (It == Entries.end()) {
    const FunctionDecl *Def = definitionOf(FD);
    if (Def && Def != FD)
      It = Entries.find(Def);
  }
  if (It == Entries.end())
    return {};
  return It->second;
}

bool ConcurrencyModel::manyInstances(unsigned Spawn) {
  collectSpawns();
  const SpawnRecord &R = Records[Spawn];
  if (R.Loop)
    return true;
  // The spawner itself runs in work with several instances.
  for (const EntryReach &E : entryReaches(R.Spawner))
    if (E.Spawn != Spawn && Records[E.Spawn].Loop)
      return true;
  // Another spawn runs the same body.
  for (const FunctionDecl *Body : R.Bodies)
    for (const EntryReach &E : entryReaches(Body))
      if (E.Spawn != Spawn && !E.Call)
        return true;
  return false;
}

std::optional<unsigned>
ConcurrencyModel::soleThreadOf(const FunctionDecl *FD) {
  llvm::ArrayRef<EntryReach> Reaches = entryReaches(FD);
  if (Reaches.empty())
    return std::nullopt;
  const unsigned Spawn = Reaches[0].Spawn;
  if (llvm::any_of(Reaches,
                   [&](const EntryReach &R) { return R.Spawn != Spawn; }))
    return std::nullopt;
  const SpawnRecord &R = Records[Spawn];
  if ((R.Site.Kind != SpawnKind::Thread && R.Site.Kind != SpawnKind::JThread) ||
      manyInstances(Spawn))
    return std::nullopt;
  // One running thread at a time: a member of thread type itself (not a
  // container, a pointer or an optional of threads).
  const auto *Field = llvm::dyn_cast_or_null<FieldDecl>(R.Holder);
  const CXXRecordDecl *HolderType =
      Field ? Field->getType()->getAsCXXRecordDecl() : nullptr;
  static const std::vector<std::string> ThreadTypes = {
      "::std::thread", "::std::jthread", "::boost::thread"};
  if (!HolderType || !matchesAnyName(HolderType, ThreadTypes))
    return std::nullopt;
  // No one else calls into the work: every reference to one of its
  // functions is in the work, or is the spawn naming its body. One walk of
  // the TU per spawn asked about.
  auto [It, Inserted] = WorkClosed.try_emplace(Spawn, true);
  if (Inserted) {
    llvm::DenseSet<const FunctionDecl *> InWork;
    for (const FunctionDecl *F : functionsOfWork(Spawn))
      InWork.insert(F->getCanonicalDecl());
    struct Walker : FunctionWalker<Walker> {
      const llvm::DenseSet<const FunctionDecl *> &InWork;
      const Expr *Site;
      ASTContext &Ctx;
      bool Closed = true;
      Walker(const llvm::DenseSet<const FunctionDecl *> &InWork,
             const Expr *Site, ASTContext &Ctx)
          : FunctionWalker(Ctx.getSourceManager()), InWork(InWork), Site(Site),
            Ctx(Ctx) {}
      bool refers(const ValueDecl *D, const Expr *E) {
        const auto *F = llvm::dyn_cast_or_null<FunctionDecl>(D);
        if (!F || !InWork.contains(F->getCanonicalDecl()))
          return true;
        const FunctionDecl *In = Stack.empty() ? nullptr : Stack.back();
        if (!(In && InWork.contains(In->getCanonicalDecl())) &&
            !contains(Site, E, Ctx))
          Closed = false;
        return Closed;
      }
      bool VisitDeclRefExpr(DeclRefExpr *E) { return refers(E->getDecl(), E); }
      bool VisitMemberExpr(MemberExpr *E) {
        return refers(E->getMemberDecl(), E);
      }
    } W(InWork, R.Site.Site, Ctx);
    W.TraverseDecl(Ctx.getTranslationUnitDecl());
    It->second = W.Closed;
  }
  if (!It->second)
    return std::nullopt;
  return Spawn;
}

// --- Waits and class protocols ------------------------------------------------------

namespace {

// The range-for loops of a body whose loop variable is an element of a
// container: `for (auto &t : threads_) t.join();`.
const NamedDecl *containerOfElementVar(const NamedDecl *Var, ASTContext &Ctx) {
  const auto *VD = llvm::dyn_cast_or_null<VarDecl>(Var);
  if (!VD)
    return nullptr;
  DynTypedNodeList Parents = Ctx.getParents(*VD);
  for (unsigned Depth = 0; Depth < 3 && !Parents.empty(); ++Depth) {
    if (const auto *For = Parents[0].get<CXXForRangeStmt>())
      return For->getLoopVariable() == VD ? referencedDecl(For->getRangeInit())
                                          : nullptr;
    Parents = Ctx.getParents(Parents[0]);
  }
  return nullptr;
}

bool refersTo(const NamedDecl *D, const NamedDecl *Target, ASTContext &Ctx) {
  if (!D || !Target)
    return false;
  if (D == Target || D->getCanonicalDecl() == Target->getCanonicalDecl())
    return true;
  const NamedDecl *Container = containerOfElementVar(D, Ctx);
  return Container && Container->getCanonicalDecl() == Target->getCanonicalDecl();
}

// Whether the work's bodies mention D (signal a latch, count down a wait
// group, ...).
bool bodiesMention(const SpawnRecord &R, const NamedDecl *D) {
  bool Found = false;
  auto Look = [&](const Stmt *Body) {
    if (!Body || Found)
      return;
    struct Finder : RecursiveASTVisitor<Finder> {
      const NamedDecl *D;
      bool Found = false;
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        if (E->getDecl()->getCanonicalDecl() == D->getCanonicalDecl())
          Found = true;
        return !Found;
      }
      bool VisitMemberExpr(MemberExpr *E) {
        if (E->getMemberDecl()->getCanonicalDecl() == D->getCanonicalDecl())
          Found = true;
        return !Found;
      }
    } F;
    F.D = D;
    F.TraverseStmt(const_cast<Stmt *>(Body));
    Found = F.Found;
  };
  for (const FunctionDecl *Body : R.Bodies)
    Look(Body->getBody());
  for (const Expr *Arg : R.Site.Args)
    Look(Arg);
  return Found;
}

} // namespace

bool ConcurrencyModel::waitsFor(const Expr *E, unsigned Spawn) {
  collectSpawns();
  const SpawnRecord &R = Records[Spawn];
  const auto *Call = llvm::dyn_cast_or_null<CallExpr>(E);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef Name = Callee->getName();
  if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return false;
    // A method of the work's class that waits for it: `stop()`.
    if (R.Class && llvm::isa<CXXThisExpr>(Obj->IgnoreParenImpCasts())) {
      computeProtocols();
      auto It = MethodWaits.find(definitionOf(Callee));
      if (It != MethodWaits.end() && llvm::is_contained(It->second, Spawn))
        return true;
    }
    if (!isWaitCallName(Name, Obj->getType()) ||
        isConditionVariable(Obj))
      return false;
    const NamedDecl *D = referencedDecl(Obj);
    if (!D)
      return false;
    if (refersTo(D, R.Holder, Ctx) || refersTo(D, R.Pool, Ctx))
      return true;
    // A latch, barrier or wait group the work itself signals.
    return bodiesMention(R, D);
  }
  if (Name == "pthread_join" && Call->getNumArgs() >= 1)
    return refersTo(referencedDecl(Call->getArg(0)), R.Holder, Ctx);
  return false;
}

bool ConcurrencyModel::waitsInFunction(const FunctionDecl *F, unsigned Spawn) {
  bool Found = false;
  if (F)
    forEachStmt(F->getBody(), [&](const Stmt *S) {
      if (!Found)
        if (const auto *E = llvm::dyn_cast<Expr>(S))
          Found = waitsFor(E, Spawn);
    });
  return Found;
}

void ConcurrencyModel::computeProtocols() {
  if (ProtocolsDone)
    return;
  ProtocolsDone = true;
  collectSpawns();
  for (unsigned I = 0; I < Records.size(); ++I) {
    const SpawnRecord &R = Records[I];
    if (!R.Class)
      continue;
    ClassProtocol &P = Protocols[R.Class];
    P.Class = R.Class;
    P.Work.push_back(I);
    const FunctionDecl *Start = outermostFunction(R.Spawner);
    if (Start && !llvm::is_contained(P.StartMethods, Start))
      P.StartMethods.push_back(Start);
  }
  // Direct waits in every method of each class with work, then waits
  // through calls of other methods of the class (bounded rounds).
  for (auto &Entry : Protocols) {
    ClassProtocol &P = Entry.second;
    const CXXRecordDecl *Def = Entry.first->getDefinition();
    if (!Def)
      continue;
    llvm::SmallVector<const FunctionDecl *, 16> Methods;
    for (const CXXMethodDecl *M : Def->methods())
      if (const FunctionDecl *MDef = definitionOf(M))
        Methods.push_back(MDef);
    if (const CXXDestructorDecl *D = Def->getDestructor())
      if (const FunctionDecl *DDef = definitionOf(D))
        if (!llvm::is_contained(Methods, DDef))
          Methods.push_back(DDef);
    for (const FunctionDecl *M : Methods) {
      forEachStmt(M->getBody(), [&](const Stmt *S) {
        const auto *Call = llvm::dyn_cast<CallExpr>(S);
        if (!Call)
          return;
        for (unsigned W : P.Work) {
          // Direct waits only here: the protocol is being built.
          const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call);
          if (MC && MC->getImplicitObjectArgument() &&
              llvm::isa<CXXThisExpr>(
                  MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
            continue;
          if (waitsFor(Call, W)) {
            auto &List = MethodWaits[M];
            if (!llvm::is_contained(List, W))
              List.push_back(W);
            if (!P.waitIn(M))
              P.Waits.push_back({M, Call, {}});
          }
        }
      });
    }
    for (unsigned Round = 0; Round < Options.MaxEntryDepth; ++Round) {
      bool Changed = false;
      for (const FunctionDecl *M : Methods) {
        forEachStmt(M->getBody(), [&](const Stmt *S) {
          const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S);
          if (!MC || !MC->getImplicitObjectArgument() ||
              !llvm::isa<CXXThisExpr>(
                  MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
            return;
          auto It = MethodWaits.find(definitionOf(MC->getDirectCallee()));
          if (It == MethodWaits.end() || It->first == M)
            return;
          llvm::SmallVector<unsigned, 2> Callee = It->second;
          auto &List = MethodWaits[M];
          for (unsigned W : Callee)
            if (!llvm::is_contained(List, W)) {
              List.push_back(W);
              Changed = true;
            }
          if (!P.waitIn(M))
            P.Waits.push_back({M, MC, {}});
        });
      }
      if (!Changed)
        break;
    }
    for (ProtocolWait &W : P.Waits)
      W.Spawns = MethodWaits.lookup(W.Method);
    if (const CXXDestructorDecl *D = Def->getDestructor())
      P.DestructorWaits = MethodWaits.count(definitionOf(D));
  }
}

const ClassProtocol *ConcurrencyModel::protocolOf(const CXXRecordDecl *RD) {
  computeProtocols();
  if (!RD)
    return nullptr;
  auto It = Protocols.find(RD->getCanonicalDecl());
  return It == Protocols.end() ? nullptr : &It->second;
}

// --- Happens-before on the CFG ------------------------------------------------------

ConcurrencyModel::FunctionCFG *
ConcurrencyModel::cfgOf(const FunctionDecl *FD) {
  if (!FD || !FD->getBody())
    return nullptr;
  auto It = CFGs.find(FD);
  if (It != CFGs.end())
    return It->second.get();
  auto Info = std::make_unique<FunctionCFG>();
  if (!hasErrors(FD->getBody())) {
    CFG::BuildOptions BO;
    BO.AddImplicitDtors = true;
    BO.AddTemporaryDtors = false;
    BO.setAllAlwaysAdd();
    Info->Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  }
  if (Info->Graph && Info->Graph->getNumBlockIDs() <= 4000) {
    for (const CFGBlock *B : *Info->Graph) {
      for (unsigned I = 0; I < B->size(); ++I) {
        std::optional<CFGStmt> CS = (*B)[I].getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *Top = CS->getStmt();
        forEachStmt(Top, [&](const Stmt *S) {
          Info->Position.try_emplace(S, B->getBlockID(), I);
        });
      }
    }
  } else {
    Info->Graph.reset();
  }
  FunctionCFG *Raw = Info.get();
  CFGs[FD] = std::move(Info);
  return Raw;
}

namespace {

// Whether loop statement L's body waits for the work (a wait in the loop
// over every element of the holder): its exit is ordered after the work.
bool isWaitLoop(const Stmt *L, llvm::function_ref<bool(const Expr *)> Waits) {
  const Stmt *Body = loopBody(L);
  bool Found = false;
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *E = llvm::dyn_cast<Expr>(S); E && !Found && Waits(E))
      Found = true;
  });
  return Found;
}

} // namespace

// Whether a path of F's CFG goes from just after From (F's entry when From
// is null) to To without passing a wait for Spawn (any path when Spawn is
// ~0u).
bool ConcurrencyModel::pathAvoiding(
    const FunctionDecl *F, const Stmt *From, const Stmt *To, unsigned Spawn,
    llvm::function_ref<bool(const Expr *)> Receives) {
  FunctionCFG *Info = cfgOf(F);
  if (!Info || !Info->Graph)
    return true; // unknown: assume a path
  auto ToPos = Info->Position.find(To);
  if (ToPos == Info->Position.end())
    return true;
  const CFG &G = *Info->Graph;
  const bool Blocking = Spawn != ~0u;
  auto IsWait = [&](const CFGElement &El) {
    if (!Blocking && !Receives)
      return false;
    if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
      if (const auto *E = llvm::dyn_cast<Expr>(CS->getStmt()))
        return (Blocking && waitsFor(E, Spawn)) || (Receives && Receives(E));
    if (!Blocking)
      return false;
    // A jthread or std::async future kept in a local is waited for when it
    // is destroyed.
    if (std::optional<CFGAutomaticObjDtor> D = El.getAs<CFGAutomaticObjDtor>()) {
      const SpawnRecord &R = Records[Spawn];
      return D->getVarDecl() == R.Holder &&
             (R.Site.Kind == SpawnKind::JThread ||
              R.Site.Kind == SpawnKind::Async);
    }
    return false;
  };
  llvm::DenseMap<const Stmt *, bool> WaitLoops;
  auto CutExit = [&](const CFGBlock *B, unsigned SuccIndex) {
    if (!Blocking || SuccIndex != 1)
      return false;
    const Stmt *T = B->getTerminatorStmt();
    if (!T || !isLoop(T))
      return false;
    auto It = WaitLoops.find(T);
    if (It == WaitLoops.end())
      It = WaitLoops
               .try_emplace(T, isWaitLoop(T, [&](const Expr *E) {
                              return waitsFor(E, Spawn);
                            }))
               .first;
    return It->second;
  };

  // Scans block B from element Start; true when To is met.
  std::deque<const CFGBlock *> Work;
  llvm::BitVector Entered(G.getNumBlockIDs());
  auto Scan = [&](const CFGBlock *B, unsigned Start) -> bool {
    for (unsigned I = Start; I < B->size(); ++I) {
      if (B->getBlockID() == ToPos->second.first && I == ToPos->second.second)
        return true;
      if (IsWait((*B)[I]))
        return false;
    }
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      if (S && !CutExit(B, Index) && !Entered.test(S->getBlockID())) {
        Entered.set(S->getBlockID());
        Work.push_back(S);
      }
      ++Index;
    }
    return false;
  };

  unsigned Budget = 20000;
  if (From) {
    auto FromPos = Info->Position.find(From);
    if (FromPos == Info->Position.end())
      return true;
    const CFGBlock *B = nullptr;
    for (const CFGBlock *Blk : G)
      if (Blk->getBlockID() == FromPos->second.first)
        B = Blk;
    if (!B)
      return true;
    if (Scan(B, FromPos->second.second + 1))
      return true;
  } else {
    const CFGBlock &Entry = G.getEntry();
    Entered.set(Entry.getBlockID());
    if (Scan(&Entry, 0))
      return true;
  }
  while (!Work.empty()) {
    if (--Budget == 0)
      return true;
    const CFGBlock *B = Work.front();
    Work.pop_front();
    if (Scan(B, 0))
      return true;
  }
  return false;
}

bool ConcurrencyModel::mayFollow(const Stmt *From, const Stmt *To) {
  const FunctionDecl *F = enclosingFunction(From, Ctx);
  if (!F || F != enclosingFunction(To, Ctx))
    return true;
  return pathAvoiding(F, From, To, ~0u);
}

bool ConcurrencyModel::isBeforeSpawn(const Stmt *S, unsigned Spawn,
                                     const FunctionDecl *In) {
  collectSpawns();
  const SpawnRecord &R = Records[Spawn];
  if ((In ? In : enclosingFunction(S, Ctx)) != R.Spawner)
    return false;
  FunctionCFG *Info = cfgOf(R.Spawner);
  if (!Info || !Info->Graph || !Info->Position.count(S) ||
      !Info->Position.count(R.Site.Site))
    return false;
  return !pathAvoiding(R.Spawner, R.Site.Site, S, ~0u);
}

bool ConcurrencyModel::isAfterWait(const Stmt *S, unsigned Spawn,
                                   const FunctionDecl *In) {
  collectSpawns();
  const SpawnRecord &R = Records[Spawn];
  const FunctionDecl *F = In ? In : enclosingFunction(S, Ctx);
  if (!F)
    return false;
  FunctionCFG *Info = cfgOf(F);
  if (!Info || !Info->Graph || !Info->Position.count(S))
    return false;
  if (F == R.Spawner) {
    if (!Info->Position.count(R.Site.Site))
      return false;
    // Reached from the spawn at all, and only through a wait.
    return pathAvoiding(F, R.Site.Site, S, ~0u) &&
           !pathAvoiding(F, R.Site.Site, S, Spawn);
  }
  // Another function: only methods of the work's class see its handle.
  if (!R.Class || classOfFunction(F) != R.Class)
    return false;
  return !pathAvoiding(F, nullptr, S, Spawn);
}

bool ConcurrencyModel::orderedWithAllWorkOf(const Stmt *S,
                                            const FunctionDecl *Hint) {
  const FunctionDecl *F = Hint ? Hint : enclosingFunction(S, Ctx);
  llvm::SmallVector<unsigned, 4> In = spawnsIn(F);
  if (!In.empty())
    return llvm::all_of(In, [&](unsigned I) {
      return isBeforeSpawn(S, I, F) || isAfterWait(S, I, F);
    });
  // A method of a class with work, after it waited for all of it
  // (`stop() { t_.join(); print(count_); }`).
  const ClassProtocol *P = protocolOf(classOfFunction(F));
  if (!P || !P->mayRunWithWork(F))
    return false;
  return llvm::all_of(P->Work,
                      [&](unsigned I) { return isAfterWait(S, I, F); });
}

bool ConcurrencyModel::afterAllWorkWaited(const Stmt *S,
                                          const FunctionDecl *Hint) {
  const FunctionDecl *F = Hint ? Hint : enclosingFunction(S, Ctx);
  llvm::SmallVector<unsigned, 4> In = spawnsIn(F);
  return !In.empty() && llvm::all_of(In, [&](unsigned I) {
    return isAfterWait(S, I, F);
  });
}

bool ConcurrencyModel::excludedByLock(const Stmt *A, const FunctionDecl *FA,
                                      const Stmt *B, const FunctionDecl *FB) {
  const LockModel *LA = locksIn(FA);
  const LockModel *LB = locksIn(FB);
  const LockSet *HA = LA ? LA->heldAt(A) : nullptr;
  const LockSet *HB = LB ? LB->heldAt(B) : nullptr;
  if (!HA || !HB)
    return false;
  // `mu_` names the same mutex in two functions only on the same object:
  // both are members (or lambdas in members) of one class.
  const CXXRecordDecl *CA = classOfFunction(FA);
  const bool SameObject = CA && CA == classOfFunction(FB);
  for (const HeldLock &X : *HA)
    for (const HeldLock &Y : *HB)
      if (X.Key == Y.Key && !(X.Shared && Y.Shared) &&
          (llvm::StringRef(X.Key).starts_with("v") ||
           (SameObject && llvm::StringRef(X.Key).starts_with("f"))))
        return true;
  return false;
}

bool ConcurrencyModel::handedOff(const Stmt *A, const FunctionDecl *FA,
                                 const Stmt *B, const FunctionDecl *FB,
                                 unsigned Spawn) {
  collectSpawns();
  if (!FA || !FB || !FA->getBody() || !FB->getBody())
    return false;
  // The publishing calls of FA (the first 8), found once per function.
  auto PubIt = Publications.find(FA);
  if (PubIt == Publications.end()) {
    std::vector<std::pair<const Expr *, const NamedDecl *>> Found;
    forEachStmt(FA->getBody(), [&](const Stmt *S) {
      const auto *E = llvm::dyn_cast<Expr>(S);
      if (const NamedDecl *D = E ? publishedThrough(E, Ctx) : nullptr)
        if (Found.size() < 8)
          Found.emplace_back(E, D);
    });
    PubIt = Publications.try_emplace(FA, std::move(Found)).first;
  }
  // The objects FA publishes through after A, never before it.
  llvm::SmallVector<const NamedDecl *, 2> Published;
  for (const auto &[E, D] : PubIt->second)
    if (!llvm::is_contained(Published, D) && pathAvoiding(FA, A, E, ~0u) &&
        !pathAvoiding(FA, E, A, ~0u))
      Published.push_back(D);
  if (Published.empty())
    return false;
  auto SpinIt = SpinTests.find(FB);
  if (SpinIt == SpinTests.end())
    SpinIt = SpinTests.try_emplace(FB, spinExitTests(FB->getBody())).first;
  const llvm::DenseMap<const Expr *, const Expr *> &Spins = SpinIt->second;
  auto Receives = [&](const Expr *E) {
    auto It = Spins.find(E);
    const NamedDecl *D =
        It == Spins.end() ? receivedThrough(E, /*Spins=*/false, Ctx)
                          : receivedThrough(It->second, /*Spins=*/true, Ctx);
    return D && llvm::any_of(Published, [&](const NamedDecl *P) {
             return refersTo(D, P, Ctx);
           });
  };
  const SpawnRecord &R = Records[Spawn];
  // In the spawner, from the spawn on; elsewhere, from the entry.
  const Stmt *From = FB == R.Spawner ? R.Site.Site : nullptr;
  return !pathAvoiding(FB, From, B, ~0u, Receives);
}

ConcurrencyModel::Order ConcurrencyModel::order(const Stmt *A, const Stmt *B,
                                                const FunctionDecl *InA,
                                                const FunctionDecl *InB) {
  const FunctionDecl *FA = InA ? InA : enclosingFunction(A, Ctx);
  const FunctionDecl *FB = InB ? InB : enclosingFunction(B, Ctx);
  if (!FA || !FB)
    return Order::Unknown;
  bool Known = false;
  // Whether X (in work) and Y may overlap.
  auto OneWay = [&](const Stmt *X, const FunctionDecl *FX, const Stmt *Y,
                    const FunctionDecl *FY) {
    for (const EntryReach &RX : entryReaches(FX)) {
      const unsigned I = RX.Spawn;
      const SpawnRecord &R = Records[I];
      // Y in the function that spawned the work.
      if (FY == R.Spawner) {
        Known = true;
        if (!isBeforeSpawn(Y, I, FY) && !isAfterWait(Y, I, FY) &&
            !handedOff(X, FX, Y, FY, I))
          return true;
        continue;
      }
      // Y in other work, or in another instance of the same work.
      for (const EntryReach &RY : entryReaches(FY)) {
        Known = true;
        const unsigned J = RY.Spawn;
        if (I == J && !manyInstances(I))
          continue;
        const SpawnRecord &Q = Records[J];
        // Y's work is spawned by X's function: the spawner's rule judges
        // the pair (the other way round).
        if (I != J && Q.Spawner == FX)
          continue;
        if (I != J && R.Spawner == Q.Spawner &&
            (isAfterWait(Q.Site.Site, I) || isAfterWait(R.Site.Site, J) ||
             (isBeforeSpawn(Q.Site.Site, I) && isAfterWait(Q.Site.Site, I))))
          continue;
        return true;
      }
      // Y in a method of the work's class that runs while it runs.
      if (R.Class && classOfFunction(FY) == R.Class) {
        const ClassProtocol *P = protocolOf(R.Class);
        if (P && P->mayRunWithWork(FY)) {
          Known = true;
          if (!isAfterWait(Y, I, FY) && !handedOff(X, FX, Y, FY, I))
            return true;
        }
      }
    }
    return false;
  };
  const bool Overlap = OneWay(A, FA, B, FB) || OneWay(B, FB, A, FA);
  if (!Known)
    return Order::Unknown;
  if (Overlap && !excludedByLock(A, FA, B, FB))
    return Order::Concurrent;
  return Order::Ordered;
}

bool ConcurrencyModel::mayRunConcurrentlyWithItself(const Stmt *S) {
  const FunctionDecl *F = enclosingFunction(S, Ctx);
  llvm::ArrayRef<EntryReach> Reaches = entryReaches(F);
  if (Reaches.size() > 1)
    return true;
  return llvm::any_of(Reaches,
                      [&](const EntryReach &R) { return manyInstances(R.Spawn); });
}

// --- Locks and accesses ------------------------------------------------------------

LockOrderModel &ConcurrencyModel::lockOrder() {
  if (!LockOrders)
    LockOrders = std::make_unique<LockOrderModel>(*this);
  return *LockOrders;
}

GuardModel &ConcurrencyModel::guards() {
  if (!Guards) {
    Guards = std::make_unique<GuardModel>(Ctx, Options.Locks);
    Guards->entryLocks().shareModels(
        [this](const FunctionDecl *FD) { return locksIn(FD); });
  }
  return *Guards;
}

const LockModel *ConcurrencyModel::locksIn(const FunctionDecl *FD) {
  if (!FD || !FD->getBody())
    return nullptr;
  auto It = Locks.find(FD);
  if (It != Locks.end())
    return It->second.get();
  std::unique_ptr<LockModel> M;
  if (LockModel::mayLock(FD->getBody(), Options.Locks))
    M = std::make_unique<LockModel>(FD->getBody(), FD, Ctx, Options.Locks);
  const LockModel *Raw = M.get();
  Locks[FD] = std::move(M);
  return Raw;
}

const LockSet *ConcurrencyModel::locksHeldAt(const Stmt *S) {
  static const LockSet None;
  const FunctionDecl *FD = enclosingFunction(S, Ctx);
  if (!FD || !FD->getBody())
    return nullptr;
  const LockModel *M = locksIn(FD);
  if (!M)
    return &None; // the body takes no lock
  return M->heldAt(S);
}

namespace {

class AccessCollector : public RecursiveASTVisitor<AccessCollector> {
public:
  std::vector<MemberAccess> Found;
  llvm::DenseSet<const Expr *> Written;

  bool TraverseLambdaExpr(LambdaExpr *L) {
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      Written.insert(B->getLHS()->IgnoreParenImpCasts());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp())
      Written.insert(U->getSubExpr()->IgnoreParenImpCasts());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    if ((Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus) &&
        Op->getNumArgs() >= 1)
      Written.insert(Op->getArg(0)->IgnoreParenImpCasts());
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && !M->isConst() && MC->getImplicitObjectArgument())
      Written.insert(MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *F = llvm::dyn_cast<FieldDecl>(E->getMemberDecl()))
      Found.push_back({E, F->getCanonicalDecl(), Written.count(E) > 0});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *VD = llvm::dyn_cast<VarDecl>(E->getDecl());
    if (VD && VD->hasGlobalStorage() && !VD->isStaticLocal() &&
        VD->getTLSKind() == VarDecl::TLS_None &&
        !VD->getType().isConstQualified())
      Found.push_back({E, VD->getCanonicalDecl(), Written.count(E) > 0});
    return true;
  }
};

} // namespace

llvm::ArrayRef<MemberAccess> ConcurrencyModel::accessesOf(const FunctionDecl *FD) {
  if (!FD || !FD->getBody())
    return {};
  auto It = AccessCache.find(FD);
  if (It != AccessCache.end())
    return It->second;
  AccessCollector C;
  C.TraverseStmt(FD->getBody());
  return AccessCache[FD] = std::move(C.Found);
}

llvm::SmallVector<const FunctionDecl *, 8>
ConcurrencyModel::functionsOfWork(unsigned Spawn) {
  computeEntries();
  llvm::SmallVector<const FunctionDecl *, 8> Result;
  for (const auto &[FD, Reaches] : Entries)
    if (llvm::any_of(Reaches,
                     [&](const EntryReach &R) { return R.Spawn == Spawn; }))
      Result.push_back(FD);
  // Deterministic order: by position.
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Result, [&](const FunctionDecl *A, const FunctionDecl *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  });
  return Result;
}

const llvm::DenseSet<const ValueDecl *> &
ConcurrencyModel::writtenByWork(unsigned Spawn) {
  auto It = WorkWrites.find(Spawn);
  if (It != WorkWrites.end())
    return It->second;
  llvm::DenseSet<const ValueDecl *> Writes;
  for (const FunctionDecl *FD : functionsOfWork(Spawn))
    for (const MemberAccess &A : accessesOf(FD))
      if (A.Write)
        Writes.insert(A.Target);
  return WorkWrites[Spawn] = std::move(Writes);
}

} // namespace clang::tidy::threadlint
