import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for the state tests: Debian's binaries, `initdb` into a temporary
/// directory, listening on 127.0.0.1 at a random high port with TLS on (a self-signed certificate) and
/// password authentication over TCP, removed by `stop()`. Root cannot run postgres, so as root every
/// server program runs as the `postgres` user (runuser), which owns the directory.
public final class PostgresServer: Sendable {
    public let port: Int
    /// The superuser's password (TCP connections must give it: the tests exercise PGPASSWORD).
    public let password = "fw-test-\(UInt32.random(in: 0...UInt32.max))"
    public let user = "postgres"
    private let directory: String
    private let bin: String

    /// Set in CI: a machine where the server cannot start fails the PostgreSQL tests instead of skipping.
    public static var required: Bool { ProcessInfo.processInfo.environment["FEEDWATCH_REQUIRE_POSTGRES"] == "1" }

    /// The directory of initdb and pg_ctl, the newest installed version first.
    static var binDirectory: String? {
        (13...17).reversed().map { "/usr/lib/postgresql/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    static var isRoot: Bool { getuid() == 0 }

    /// Why a server cannot start on this machine, or nil when it can.
    public static var unavailableReason: String? {
        #if !PostgreSQL
        return "this build has no PostgreSQL support (swift test --traits PostgreSQL; scripts/test.sh sets it)"
        #else
        guard binDirectory != nil else {
            return "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql; scripts/deps.sh does)"
        }
        if isRoot {
            guard getpwnam("postgres") != nil else { return "running as root and there is no postgres user to run the server as" }
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
                return "running as root without runuser"
            }
        }
        return nil
        #endif
    }

    private init(port: Int, directory: String, bin: String) {
        self.port = port
        self.directory = directory
        self.bin = bin
    }

    /// Creates the cluster and starts it; tries a few ports when one is taken.
    public static func start() async throws -> PostgresServer {
        if let reason = unavailableReason { throw TestHTTPServer.ServerError(message: "PostgreSQL unavailable: \(reason)") }
        let bin = binDirectory!
        let dir = try TestPaths.temporaryDirectory("feedwatch-pg")
        if isRoot { try await check(Program.run("/bin/chown", ["postgres:postgres", dir]), "chown") }
        for attempt in 1...5 {
            let server = PostgresServer(port: Int.random(in: 20_000...60_000), directory: dir, bin: bin)
            if attempt == 1 { try await server.initialize() }
            if try await server.startCluster() { return server }
        }
        try? FileManager.default.removeItem(atPath: dir)
        throw TestHTTPServer.ServerError(message: "PostgreSQL did not start on any of 5 ports (log in \(dir)/log)")
    }

    /// initdb with scram passwords over TCP and trust on the Unix socket (for createdb), then a
    /// self-signed certificate for TLS.
    private func initialize() async throws {
        try password.write(toFile: directory + "/pwfile", atomically: true, encoding: .utf8)
        if Self.isRoot { _ = try await Program.run("/bin/chown", ["postgres:postgres", directory + "/pwfile"]) }
        try Self.check(
            await run(
                bin + "/initdb",
                [
                    "-D", directory + "/data", "-U", user, "--pwfile=\(directory)/pwfile", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions",
                ]), "initdb")
        try Self.check(
            await run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", directory + "/data/server.key", "-out", directory + "/data/server.crt",
                ]), "openssl")
    }

    /// False when the port was taken.
    private func startCluster() async throws -> Bool {
        let options = [
            "-p \(port)", "-k \(directory)", "-c listen_addresses=127.0.0.1", "-c ssl=on", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off",
        ].joined(separator: " ")
        let started = try await run(
            bin + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "60", "-o", options, "start"])
        if started.status == 0 { return true }
        let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        guard log.contains("could not bind") || log.contains("in use") else {
            throw TestHTTPServer.ServerError(message: "pg_ctl start failed: \(started.stderr)\n\(log)")
        }
        return false
    }

    /// A new, empty database; its name is returned.
    public func createDatabase() async throws -> String {
        let name = "fw_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.check(await run(bin + "/createdb", ["-h", directory, "-p", "\(port)", "-U", user, name]), "createdb")
        return name
    }

    /// A state URL for `database`, without the password (PGPASSWORD carries it).
    public func url(_ database: String, sslmode: String = "disable") -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=\(sslmode)"
    }

    /// Runs `sql` through psql on the Unix socket; its output, unaligned and without headers.
    public func psql(_ database: String, _ sql: String) async throws -> String {
        let r = try await run("/usr/bin/psql", ["-h", directory, "-p", "\(port)", "-U", user, "-d", database, "-Atc", sql])
        try Self.check(r, "psql")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server at once (nothing in it is worth a checkpoint) and removes its directory.
    public func stop() async {
        _ = try? await run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ program: String, _ arguments: [String]) async throws -> Program.Result {
        Self.isRoot
            ? try await Program.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments, cwd: directory)
            : try await Program.run(program, arguments, cwd: directory)
    }

    private static func check(_ result: Program.Result, _ what: String) throws {
        guard result.status == 0 else {
            throw TestHTTPServer.ServerError(message: "\(what) failed (\(result.status)): \(result.stderr)")
        }
    }
}
