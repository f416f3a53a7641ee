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

namespace {
TEST(LockGraph, MessagesNameTheReverseOrder) {
  LockOrderEdge AB, BC, CA;
  AB.FromName = "a", AB.ToName = "b", AB.Taken = {"/x.cpp", 10, 1, 1};
  BC.FromName = "b", BC.ToName = "c", BC.Taken = {"/x.cpp", 20, 2, 1};
  CA.FromName = "c", CA.ToName = "a", CA.Taken = {"/x.cpp", 30, 3, 1};
  CA.Via = "Log::write";
  std::vector<const LockOrderEdge *> Cycle{&AB, &BC, &CA};
  ASSERT_EQ(closingEdge(Cycle), 2u);
  EXPECT_EQ(lockCycleMessage(Cycle, 2),
            "'a' acquired while holding 'c', the reverse of the order taken "
            "elsewhere ('a' -> 'b' -> 'c'); threads taking both orders can "
            "deadlock");
  std::vector<const LockOrderEdge *> Two{&AB, &CA};
  EXPECT_EQ(lockCycleMessage(Two, 0),
            "'b' acquired while holding 'a', the reverse of the order taken "
            "elsewhere ('c' -> 'a'); threads taking both orders can deadlock");
  EXPECT_EQ(lockTakenNote(CA), "'a' acquired here while 'c' is held, in "
                               "'Log::write'");
  EXPECT_EQ(lockHeldNote(CA), "'c' acquired here");
}
} // namespace
