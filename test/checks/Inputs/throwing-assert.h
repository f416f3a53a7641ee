// A test framework's assertion macro, defined in a header of its own: a
// failing REQUIRE throws to abort the test case (doctest, Catch2).
#include <stdexcept>
struct TestFailure {};
struct ResultBuilder {
  bool failed = false;
  void react() const {
    if (failed)
      throw TestFailure();
  }
};
#define REQUIRE_THAT(cond)                                                     \
  do {                                                                         \
    ResultBuilder rb;                                                          \
    rb.failed = !(cond);                                                       \
    rb.react();                                                                \
  } while (0)
