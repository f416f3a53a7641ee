// One pitfall of each of the checks added for issue 15.
#include <latch>
#include <string>
#include <thread>
#include <vector>

struct Codec {};
Codec *g_codec = nullptr;

Codec *codec() {
  if (!g_codec)
    g_codec = new Codec;
  return g_codec;
}

void decode_all(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] { codec(); });
  for (auto &w : workers)
    w.join();
}

int parse_total(const std::vector<std::string> &lines) {
  int total = 0;
  std::thread parser([&] {
    for (const auto &l : lines)
      total += std::stoi(l);
  });
  parser.join();
  return total;
}

void upload(const std::vector<std::string> &chunks) {
  std::latch done(static_cast<std::ptrdiff_t>(chunks.size()));
  std::vector<std::thread> workers;
  for (const auto &c : chunks)
    workers.emplace_back([&done, &c] {
      if (c.empty())
        return;
      done.count_down();
    });
  done.wait();
  for (auto &w : workers)
    w.join();
}
