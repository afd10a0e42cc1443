import CFuzzerDriver
import Glibc

// libFuzzer's options and corpus directories come from the command line (scripts/fuzz.sh).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) })  // a closure: passing the @_cdecl function emits it twice
