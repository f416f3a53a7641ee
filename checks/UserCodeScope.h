//===--- UserCodeScope.h - walk only the code outside system headers -*- C++ -*-===//
//
// Every threadlint check skips declarations in system headers, yet clang's
// parent map (ASTContext::getParents, which the checks and the models use to
// walk up from a node) is built over the whole translation unit on its first
// use: on a file that includes the standard library that one walk costs more
// than all of threadlint's own analysis. clangd already narrows the AST's
// traversal scope to the main file's declarations; in clang-tidy and the
// threadlint command, WithUserCodeScope narrows it, when the translation unit
// is first matched, to the top-level declarations outside system headers (the
// main file and the project's own headers), unless the run asks for findings
// in system headers (--system-headers). The parent map, the matchers and every
// walk of the translation unit then cover that code only.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_USERCODESCOPE_H
#define THREADLINT_CHECKS_USERCODESCOPE_H

#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::threadlint {

/// Registers the narrowing on \p Finder (a no-op when \p SystemHeaders).
void registerUserCodeScope(ast_matchers::MatchFinder *Finder,
                           bool SystemHeaders);

/// A check that also narrows the traversal scope (see the file comment).
template <typename Check> class WithUserCodeScope : public Check {
public:
  WithUserCodeScope(StringRef Name, ClangTidyContext *Context)
      : Check(Name, Context),
        SystemHeaders(Context->getOptions().SystemHeaders.value_or(false)) {}

  void registerMatchers(ast_matchers::MatchFinder *Finder) override {
    registerUserCodeScope(Finder, SystemHeaders);
    Check::registerMatchers(Finder);
  }

private:
  bool SystemHeaders;
};

} // namespace clang::tidy::threadlint

#endif
