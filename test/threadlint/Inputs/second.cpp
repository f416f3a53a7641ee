// Second file of the whole-database test.
#include <string>
#include <thread>
#include <vector>
void useString(const std::string &);
#ifndef HIDE_SECOND
void detachedPerName(const std::vector<std::string> &names) {
  for (auto name : names)
    std::thread([&name] { useString(name); }).detach();
}
#endif
