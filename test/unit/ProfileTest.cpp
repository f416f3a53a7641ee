//===--- ProfileTest.cpp - the check table and the default profile --------===//
#include "model/OptionLists.h"
#include "ThreadlintProfile.h"
#include "clang-tidy/ClangTidyModule.h"
#include "gtest/gtest.h"
#include <set>

using namespace clang::tidy;
using namespace clang::tidy::threadlint;

namespace clang::tidy {
extern volatile int ThreadlintModuleAnchorSource;
static int Keep = ThreadlintModuleAnchorSource;
} // namespace clang::tidy

TEST(Profile, EveryRegisteredCheckIsInTheTable) {
  std::set<std::string> Registered;
  for (const auto &Entry : ClangTidyModuleRegistry::entries()) {
    if (Entry.getName() != "threadlint")
      continue;
    ClangTidyCheckFactories Factories;
    Entry.instantiate()->addCheckFactories(Factories);
    for (const auto &Factory : Factories)
      Registered.insert(Factory.getKey().str());
  }
  std::set<std::string> Listed;
  for (const CheckInfo &Info : threadlintChecks()) {
    Listed.insert(Info.Name.str());
    EXPECT_FALSE(Info.Summary.empty()) << Info.Name.str();
    EXPECT_TRUE(Info.DocPage.starts_with("docs/checks/")) << Info.Name.str();
  }
  EXPECT_FALSE(Registered.empty());
  EXPECT_EQ(Registered, Listed);
}

TEST(Profile, DefaultChecksStartFromNothing) {
  std::string Checks = defaultProfileChecks();
  EXPECT_EQ(Checks.rfind("-*,threadlint-*", 0), 0u);
  for (llvm::StringRef Builtin : builtinProfileChecks())
    EXPECT_NE(Checks.find(Builtin.str()), std::string::npos);
}

TEST(OptionLists, RoundTrip) {
  std::vector<std::string> Items = parseList(" a::b ;;c ; ");
  ASSERT_EQ(Items.size(), 2u);
  EXPECT_EQ(Items[0], "a::b");
  EXPECT_EQ(Items[1], "c");
  EXPECT_EQ(serializeList(Items), "a::b;c");
  EXPECT_TRUE(parseList("").empty());
}
