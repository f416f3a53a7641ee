// A test framework's assertion macro: when the assertion fails, its
// reporter reads the source file to show the failing line (doctest's REQUIRE
// reaches an ifstream this way).
#include <cstdio>
#include <fstream>
#include <string>
inline void reportFailure(const char *file, int line) {
  std::ifstream source(file);
  std::string text;
  for (int i = 0; i < line; ++i)
    std::getline(source, text);
}
#define CHECK_THAT(cond)                                                       \
  do {                                                                         \
    if (!(cond))                                                               \
      reportFailure(__FILE__, __LINE__);                                       \
  } while (0)
// A library macro that writes by itself.
#define WRITE_NOW(f, p, n) std::fwrite(p, 1, n, f)
