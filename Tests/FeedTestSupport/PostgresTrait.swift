public import Foundation
public import Testing

/// Runs a suite with one throwaway PostgreSQL server (`PostgresServer`), started before its first test
/// and removed after its last; each test makes its own database on it.
public struct PostgresTrait: SuiteTrait, TestScoping {
    @TaskLocal public static var server: PostgresServer?

    /// Once, around the whole suite: one server start (initdb takes seconds) serves every test.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { test.isSuite ? self : nil }

    @concurrent public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable @concurrent () async throws -> Void
    ) async throws {
        let server = try await PostgresServer.start()
        do {
            try await Self.$server.withValue(server) { try await function() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Why the PostgreSQL suites are skipped here, printed once to stderr so that a run without the
    /// server cannot pass unnoticed; nil when they run. CI sets FEEDWATCH_REQUIRE_POSTGRES=1, and then
    /// nothing is skipped: a server that cannot start fails the suites.
    public static let skipped: Comment? = {
        guard !PostgresServer.required, let reason = PostgresServer.unavailableReason else { return nil }
        let text = "PostgreSQL state tests SKIPPED: \(reason)"
        FileHandle.standardError.write(Data("\n*** \(text) ***\n\n".utf8))
        return Comment(rawValue: text)
    }()
}

extension Trait where Self == PostgresTrait {
    /// A throwaway PostgreSQL server for the suite.
    public static var postgres: Self { PostgresTrait() }
}
