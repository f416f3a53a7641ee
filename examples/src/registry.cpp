// A codec registry and an alias table that the decoding threads create on
// first use: the lazy initialisation Go does with sync.Once.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace demo {

class CodecRegistry {
public:
  int find(const std::string &name) const {
    auto it = codecs_.find(name);
    return it == codecs_.end() ? -1 : it->second;
  }

private:
  std::map<std::string, int> codecs_{{"gzip", 1}, {"zstd", 2}, {"lz4", 3}};
};

using AliasTable = std::map<std::string, std::string>;

CodecRegistry *g_registry = nullptr;

CodecRegistry &registry() {
  // pitfall: threadlint-unsafe-lazy-init (two decoder threads can both see it unset and both create it)
  if (!g_registry)
    g_registry = new CodecRegistry;
  return *g_registry;
}

// The alias table is created on first use too, by whoever asks first: the
// warm-up thread started by start(), or a caller of the public aliases().
class AliasCache {
public:
  void start() { warmer_ = std::thread(&AliasCache::warm, this); }
  void stop() {
    if (warmer_.joinable())
      warmer_.join();
  }
  ~AliasCache() { stop(); }

  const AliasTable &aliases() {
    // pitfall: threadlint-unsafe-lazy-init (the warm-up thread and a caller can both create the table)
    if (!table_)
      table_ = std::make_unique<AliasTable>(AliasTable{{"gz", "gzip"}, {"zst", "zstd"}});
    return *table_;
  }

private:
  void warm() { aliases(); }

  std::unique_ptr<AliasTable> table_;
  std::thread warmer_;
};

const std::vector<std::string> &known_formats() {
  // fine: a function-local static is initialised once, thread-safely (C++11)
  static const std::vector<std::string> formats{"gzip", "zstd", "lz4"};
  return formats;
}

bool is_known_format(const std::string &name) {
  for (const std::string &format : known_formats())
    if (format == name)
      return true;
  return false;
}

// The number of names a codec is registered for, each looked up on a
// decoder thread of its own while the alias cache warms up.
int count_known(const std::vector<std::string> &names) {
  AliasCache cache;
  cache.start();
  std::vector<int> ids(names.size());
  std::vector<std::thread> decoders;
  for (std::size_t i = 0; i < names.size(); ++i)
    decoders.emplace_back([&names, &ids, &cache, i] {
      const AliasTable &table = cache.aliases();
      auto alias = table.find(names[i]);
      ids[i] = registry().find(alias == table.end() ? names[i] : alias->second);
    });
  for (std::thread &t : decoders)
    t.join();
  cache.stop();
  int known = 0;
  for (int id : ids)
    known += id >= 0 ? 1 : 0;
  return known;
}

} // namespace demo
