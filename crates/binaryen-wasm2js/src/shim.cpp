// Calls binaryen's wasm2js `main` as a library function: a fatal error (binaryen built
// with THROW_ON_FATAL throws it) comes back as a message instead of ending the process.

#include <cstddef>
#include <cstring>
#include <exception>

extern "C" int wasm2js_main_actual(int argc, const char* argv[]);

namespace {
void copy_message(const char* message, char* error, size_t error_len) {
  if (error_len == 0) {
    return;
  }
  std::strncpy(error, message, error_len - 1);
  error[error_len - 1] = '\0';
}
} // namespace

extern "C" int kinde_wasm2js(int argc,
                             const char* argv[],
                             char* error,
                             size_t error_len) {
  try {
    return wasm2js_main_actual(argc, argv);
  } catch (const std::exception& e) {
    copy_message(e.what(), error, error_len);
  } catch (...) {
    copy_message("wasm2js failed with an unknown exception", error, error_len);
  }
  return 1;
}
