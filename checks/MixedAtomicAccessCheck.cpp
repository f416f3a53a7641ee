//===--- MixedAtomicAccessCheck.cpp - threadlint --------------------------===//
#include "MixedAtomicAccessCheck.h"
#include "model/AstHelpers.h"
#include "model/HandOff.h"
#include "model/OptionLists.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

AST_MATCHER_P(FunctionDecl, plainNameIn, std::vector<std::string>, Names) {
  return !Names.empty() && matchesAnyName(&Node, Names);
}

/// The variable or field \p E denotes exactly (`x`, `&x`, `obj.f`, `p->f`).
const ValueDecl *targetOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return VD->getCanonicalDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      return FD->getCanonicalDecl();
  return nullptr;
}

} // namespace

MixedAtomicAccessCheck::MixedAtomicAccessCheck(StringRef Name,
                                               ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ModelOpts(ModelOptions::read(Options)),
      Verbose(Options.get("Verbose", false)),
      AtomicFunctions(parseList(Options.get("AtomicFunctions", ""))) {}

void MixedAtomicAccessCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "AtomicFunctions", serializeList(AtomicFunctions));
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "Verbose", Verbose);
}

void MixedAtomicAccessCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      cxxConstructExpr(hasType(hasUnqualifiedDesugaredType(recordType(
                           hasDeclaration(cxxRecordDecl(
                               hasName("::std::atomic_ref")))))),
                       argumentCountIs(1))
          .bind("ref"),
      this);
  // __atomic_* and __c11_atomic_* builtins are AtomicExpr nodes.
  Finder->addMatcher(atomicExpr().bind("atomic"), this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(anyOf(matchesName("^::__(atomic|sync)_"),
                                         plainNameIn(AtomicFunctions)))),
               unless(argumentCountIs(0)))
          .bind("call"),
      this);
}

void MixedAtomicAccessCheck::recordAtomic(const Expr *Target,
                                          const Expr *Site, bool Load,
                                          Style How, std::string RefType) {
  const SourceLocation Loc = Site->getBeginLoc();
  // Through a pointer argument, the object accessed is the one whose
  // address is taken (`&x`); `p` itself names some other object (`*p`).
  if (Target && Target->getType()->isPointerType()) {
    const auto *U = dyn_cast<UnaryOperator>(Target->IgnoreParenImpCasts());
    if (!U || U->getOpcode() != UO_AddrOf)
      return;
  }
  const ValueDecl *D = targetOf(Target);
  if (!D)
    return;
  // std::atomic<T> itself: every access is atomic already.
  if (const CXXRecordDecl *RD = D->getType()->getAsCXXRecordDecl();
      RD && RD->getIdentifier() && RD->getName() == "atomic" &&
      RD->isInStdNamespace())
    return;
  Atomic.insert({D, AtomicUse{Loc, How, std::move(RefType)}});
  Sites[D].push_back({Site, Load});
}

void MixedAtomicAccessCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  if (const auto *Ref = Result.Nodes.getNodeAs<CXXConstructExpr>("ref")) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Ref->getBeginLoc())))
      return;
    // The type as written, for fix-its: `std::atomic_ref<long>(x)` (a
    // functional cast or a temporary) or `std::atomic_ref<long> r(x);`.
    TypeSourceInfo *TSI = nullptr;
    if (const auto *Temp = dyn_cast<CXXTemporaryObjectExpr>(Ref))
      TSI = Temp->getTypeSourceInfo();
    DynTypedNodeList Parents = Context->getParents(*Ref);
    if (!TSI && !Parents.empty()) {
      if (const auto *Cast = Parents[0].get<CXXFunctionalCastExpr>())
        TSI = Cast->getTypeInfoAsWritten();
      else if (const auto *VD = Parents[0].get<VarDecl>())
        TSI = VD->getTypeSourceInfo();
    }
    std::string Type;
    if (TSI)
      Type = sourceText(TSI->getTypeLoc().getSourceRange(), *Context).value_or("");
    recordAtomic(Ref->getArg(0), Ref, /*Load=*/false, Style::AtomicRef, Type);
    return;
  }
  if (const auto *AE = Result.Nodes.getNodeAs<AtomicExpr>("atomic")) {
    if (!SM.isInSystemHeader(SM.getExpansionLoc(AE->getBeginLoc())))
      recordAtomic(AE->getPtr(), AE,
                   atomicAccessOf(AE) == AtomicAccess::Load, Style::Builtin,
                   "");
    return;
  }
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call")) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      return;
    const FunctionDecl *FD = Call->getDirectCallee();
    bool Builtin = FD && FD->getIdentifier() &&
                   (FD->getName().starts_with("__atomic_") ||
                    FD->getName().starts_with("__sync_"));
    recordAtomic(Call->getArg(0), Call, /*Load=*/false,
                 Builtin ? Style::Builtin : Style::Other, "");
  }
}

namespace {

/// Finds the plain reads and writes of a set of declarations, with the
/// function (or lambda) each is in.
class PlainAccessFinder : public RecursiveASTVisitor<PlainAccessFinder> {
public:
  struct Found {
    const Expr *E;
    bool Write;
    const Expr *Store; // a whole-statement `x = v`
    const FunctionDecl *In;
  };

  PlainAccessFinder(const llvm::DenseSet<const ValueDecl *> &Targets,
                    const SourceManager &SM)
      : Targets(Targets), SM(SM) {}

  std::vector<std::pair<const ValueDecl *, Found>> Results;

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    if (auto *FD = dyn_cast<FunctionDecl>(D)) {
      // Template patterns: their instantiations are visited instead.
      if (FD->isDependentContext() && !isa<CXXMethodDecl>(FD))
        return true;
      Functions.push_back(FD);
      bool R = RecursiveASTVisitor::TraverseDecl(D);
      Functions.pop_back();
      return R;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Functions.push_back(L->getCallOperator());
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Functions.pop_back();
    return R;
  }
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitCompoundStmt(CompoundStmt *C) {
    for (Stmt *S : C->body())
      if (auto *B = dyn_cast<BinaryOperator>(S); B && B->getOpcode() == BO_Assign)
        StatementStores.insert(B);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp())
      add(B->getLHS(), true,
          StatementStores.count(B) && B->getOpcode() == BO_Assign ? B : nullptr);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp())
      add(U->getSubExpr(), true, nullptr);
    return true;
  }
  bool VisitImplicitCastExpr(ImplicitCastExpr *C) {
    if (C->getCastKind() == CK_LValueToRValue)
      add(C->getSubExpr(), false, nullptr);
    return true;
  }

private:
  void add(const Expr *E, bool Write, const Expr *Store) {
    const Expr *S = E->IgnoreParens();
    if (!isa<DeclRefExpr, MemberExpr>(S))
      return;
    const ValueDecl *D = targetOf(S);
    if (!D || !Targets.count(D) || Functions.empty())
      return;
    Results.push_back({D, {S, Write, Store, Functions.back()}});
  }

  const llvm::DenseSet<const ValueDecl *> &Targets;
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Functions;
  llvm::DenseSet<const BinaryOperator *> StatementStores;
};

} // namespace

bool MixedAtomicAccessCheck::orderedWithAtomicAccesses(
    const ValueDecl *D, const Expr *E, bool Write, const FunctionDecl *In,
    ConcurrencyModel &M) {
  auto It = Sites.find(D);
  if (It == Sites.end())
    return false;
  unsigned Conflicts = 0;
  for (const AtomicSite &S : It->second) {
    if (S.Load && !Write)
      continue;
    // Bounded: a variable accessed atomically in many places is judged
    // as before, on the spawns and joins alone.
    if (++Conflicts > 32 ||
        M.order(E, S.E, In) != ConcurrencyModel::Order::Ordered)
      return false;
  }
  return Conflicts > 0;
}

void MixedAtomicAccessCheck::onEndOfTranslationUnit() {
  if (Atomic.empty() || !Context) {
    Atomic.clear();
    Sites.clear();
    Model.reset();
    return;
  }
  ASTContext &Ctx = *Context;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseSet<const ValueDecl *> Targets;
  for (const auto &Entry : Atomic)
    Targets.insert(Entry.first);
  PlainAccessFinder Finder(Targets, SM);
  Finder.TraverseDecl(Ctx.getTranslationUnitDecl());

  // Accesses the spawns and joins order with all the work (writes before
  // pthread_create, reads after joining every worker) are not reported.
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);

  llvm::DenseSet<unsigned> Reported;
  for (const auto &[D, Use] : Finder.Results) {
    const FunctionDecl *FD = Use.In;
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(FD))
      continue;
    if (FD->isInvalidDecl())
      continue;
    SourceLocation Loc = Use.E->getBeginLoc();
    if (SM.isInSystemHeader(SM.getExpansionLoc(Loc)))
      continue;
    if (M.orderedWithAllWorkOf(Use.E, FD) ||
        orderedWithAtomicAccesses(D, Use.E, Use.Write, FD, M))
      continue;
    if (!Reported.insert(SM.getExpansionLoc(Loc).getRawEncoding()).second)
      continue;
    const AtomicUse &A = Atomic.find(D)->second;
    {
      auto Diag = diag(Loc, "plain %select{read|write}0 of '%1', which is "
                            "accessed atomically elsewhere: the plain access "
                            "races with the atomic ones")
                  << Use.Write << D->getName();
      // Fix-it in the style of the atomic accesses, for a simple read or a
      // whole-statement store.
      std::optional<std::string> Text = sourceText(Use.E->getSourceRange(), Ctx);
      QualType T = Use.E->getType();
      bool Const = T.isConstQualified();
      if (Text && !Use.Write && A.How == Style::Builtin)
        Diag << FixItHint::CreateReplacement(
            Use.E->getSourceRange(),
            "__atomic_load_n(&" + *Text + ", __ATOMIC_SEQ_CST)");
      else if (Text && !Use.Write && A.How == Style::AtomicRef &&
               !A.RefType.empty() && !Const)
        Diag << FixItHint::CreateReplacement(
            Use.E->getSourceRange(), A.RefType + "(" + *Text + ").load()");
      else if (Text && Use.Store && A.How != Style::Other) {
        const auto *B = cast<BinaryOperator>(Use.Store);
        std::optional<std::string> Value =
            sourceText(B->getRHS()->getSourceRange(), Ctx);
        if (Value && A.How == Style::Builtin)
          Diag << FixItHint::CreateReplacement(
              B->getSourceRange(),
              "__atomic_store_n(&" + *Text + ", " + *Value +
                  ", __ATOMIC_SEQ_CST)");
        else if (Value && !A.RefType.empty() && !Const)
          Diag << FixItHint::CreateReplacement(
              B->getSourceRange(),
              A.RefType + "(" + *Text + ").store(" + *Value + ")");
      }
    }
    diag(A.Loc, "'%0' is accessed atomically here", DiagnosticIDs::Note)
        << D->getName();
  }
  Atomic.clear();
  Sites.clear();
  if (Verbose && Model)
    for (const ConcurrencyModel::Remark &R : Model->remarks())
      diag(R.Loc, R.Text, DiagnosticIDs::Remark);
  Model.reset();
}

} // namespace clang::tidy::threadlint
