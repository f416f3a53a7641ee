// A library's logging macro that updates an atomic counter with a load and
// a store, knowingly (glog's LOG_EVERY_N does this).
#include <atomic>
#define EVERY_N(n, action)                                                     \
  do {                                                                         \
    static std::atomic<int> every_n_counter(0);                               \
    every_n_counter = (every_n_counter + 1) % (n);                             \
    if (every_n_counter == 1)                                                  \
      action;                                                                  \
  } while (0)
