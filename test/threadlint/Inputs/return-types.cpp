// Input of profile-return-types.test: the profile's
// bugprone-unused-return-value reports the discarded std::async future and
// not the ignored error codes (the check's default CheckedReturnTypes).
#include <future>
#include <system_error>

std::error_code flush();
std::errc reset();
int work();

void ignoredErrorCodes() {
  flush();
  reset();
}

void discardedAsync() {
  std::async(std::launch::async, work);
}
