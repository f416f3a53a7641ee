// Two global mutexes shared by a.cpp and b.cpp (defined in a.cpp).
#include <mutex>
extern std::mutex mu_a;
extern std::mutex mu_b;
