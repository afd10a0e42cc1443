import FeedTestSupport
import Foundation
import Testing

/// The test helper that runs the real binary must not hang on a chatty child: it reads both pipes at
/// once (issue 13: it read stdout to the end before stderr, and a child writing more than 64 KiB to
/// stderr blocked for ever).
@Suite("Program helper (swift-subprocess)")
struct ProgramTests {
    @Test("a child that writes 1 MiB to stderr before it writes stdout does not deadlock")
    func chattyStderr() async throws {
        let r = try await Program.run("/bin/sh", ["-c", "head -c 1048576 /dev/zero | tr '\\\\0' x >&2; echo done"])
        #expect(r.status == 0)
        #expect(r.stdout == "done\n")
        #expect(r.stderr.utf8.count == 1_048_576)
    }
}
