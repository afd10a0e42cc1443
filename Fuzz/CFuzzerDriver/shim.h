// libFuzzer's driver, called from ordinary Swift top-level code: SwiftPM renames the `main` of an
// executable target, so libFuzzer's own main cannot be used (swift-package-manager#8731; platform.md §6).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
