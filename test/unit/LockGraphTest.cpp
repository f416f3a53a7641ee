// Unit tests of the lock-order graph: cycles and the edges' JSON form.
#include "model/LockGraph.h"
#include "gtest/gtest.h"

using namespace clang::tidy::threadlint;

namespace {
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(LockGraph, OneOrderEverywhereHasNoCycle) {
  Pairs E{{"a", "b"}, {"b", "c"}, {"a", "c"}, {"a", "b"}};
  EXPECT_TRUE(findLockCycles(E).empty());
}

TEST(LockGraph, TwoLocksInOppositeOrders) {
  Pairs E{{"b", "a"}, {"x", "y"}, {"a", "b"}};
  auto C = findLockCycles(E);
  ASSERT_EQ(C.size(), 1u);
  // Starts with the edge out of the first node ("a").
  EXPECT_EQ(C[0], (std::vector<size_t>{2, 0}));
}

TEST(LockGraph, LongerCycleFoundOnceAndParallelEdgesCountOnce) {
  Pairs E{{"a", "b"}, {"b", "c"}, {"c", "a"}, {"a", "b"}, {"c", "a"}};
  auto C = findLockCycles(E);
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0], (std::vector<size_t>{0, 1, 2}));
}

TEST(LockGraph, SelfEdgeIsACycleOfOne) {
  Pairs E{{"Account::mu", "Account::mu"}};
  auto C = findLockCycles(E);
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0], (std::vector<size_t>{0}));
}

TEST(LockGraph, LengthBound) {
  Pairs E{{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}};
  EXPECT_TRUE(findLockCycles(E, 3).empty());
  EXPECT_EQ(findLockCycles(E, 4).size(), 1u);
}

TEST(LockGraph, TwoCyclesSharingANode) {
  Pairs E{{"a", "b"}, {"b", "a"}, {"a", "c"}, {"c", "a"}};
  EXPECT_EQ(findLockCycles(E).size(), 2u);
}

TEST(LockGraph, EdgeJsonRoundTrip) {
  LockOrderEdge E;
  E.From = "::Bank::mu";
  E.To = "::g_log_mu";
  E.FromName = "mu";
  E.ToName = "g_log_mu";
  E.Held = {"/src/a.cpp", 120, 7, 3};
  E.Taken = {"/src/a.cpp", 180, 9, 5};
  E.Function = "Bank::audit";
  E.Via = "log";
  E.Unit = "/src/a.cpp";
  LockOrderEdge Back;
  ASSERT_TRUE(lockEdgeFromJson(lockEdgeToJson(E), Back));
  EXPECT_EQ(Back.From, E.From);
  EXPECT_EQ(Back.To, E.To);
  EXPECT_EQ(Back.Held.Offset, 120u);
  EXPECT_EQ(Back.Taken.Line, 9u);
  EXPECT_EQ(Back.Via, "log");
  EXPECT_EQ(Back.Unit, E.Unit);
  EXPECT_FALSE(lockEdgeFromJson(llvm::json::Object{{"from", "x"}}, Back));
}
} // namespace
