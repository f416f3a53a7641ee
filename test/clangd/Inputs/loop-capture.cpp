// Input of the clangd tests: one loop variable captured by reference by a
// thread started in the loop. The threadlint diagnostic is at the `i` of
// use(i) (line 10, column 36) and its fix inserts ", i" after the `&`.
#include <thread>
#include <vector>
void use(int);
void f() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&] { use(i); });
  for (auto &w : workers) w.join();
}
