//===--- SleepAsSyncCheck.cpp - threadlint -------------------------------===//
#include "SleepAsSyncCheck.h"

namespace clang::tidy::threadlint {

void SleepAsSyncCheck::registerMatchers(ast_matchers::MatchFinder *) {}
void SleepAsSyncCheck::check(const ast_matchers::MatchFinder::MatchResult &) {}

} // namespace clang::tidy::threadlint
