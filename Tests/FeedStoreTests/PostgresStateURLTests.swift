// Built with the PostgreSQL trait only (Package.swift): the module under test exists only then.
#if PostgreSQL
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Testing

@Suite("PostgreSQL state URL")
struct PostgresStateURLTests {
    @Test("user, host, port, database and sslmode are read; the description has no password")
    func parse() throws {
        let url = try PostgresStateURL(
            "postgresql://feedwatch@db.example:6543/state?sslmode=require", environment: ["PGPASSWORD": "s3cret"])
        #expect(url.user == "feedwatch")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "state")
        #expect(url.sslMode == .require)
        #expect(url.password == "s3cret")
        #expect(url.description == "postgresql://feedwatch@db.example:6543/state?sslmode=require")
        let plain = try PostgresStateURL("postgres://u@[::1]/d", environment: [:])
        #expect(plain.host == "::1")
        #expect(plain.port == 5432)
        #expect(plain.sslMode == .prefer)
        #expect(plain.password == nil)
    }

    @Test("the password file wins over PGPASSWORD; its first line is the password")
    func passwordFile() throws {
        let dir = try TestPaths.temporaryDirectory("pgurl")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "from-file\nignored\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        let url = try PostgresStateURL("postgresql://u@h/d", passwordFile: dir + "/pw", environment: ["PGPASSWORD": "env"])
        #expect(url.password == "from-file")
        #expect(throws: PostgresStoreError.self) {
            try PostgresStateURL("postgresql://u@h/d", passwordFile: dir + "/missing", environment: [:])
        }
    }

    @Test(
        "a password in the URL, another scheme, a missing part or an unknown sslmode is refused",
        arguments: [
            "postgresql://u:hunter2@h/d", "mysql://u@h/d", "postgresql://h/d", "postgresql://u@h",
            "postgresql://u@h/d?sslmode=allow",
            "postgresql://u@h/d?application_name=x",
        ])
    func refused(_ text: String) throws {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresStateURL(text, environment: [:]) }
        #expect(error?.code == .invalidURL)
        #expect(!(error?.message.contains("hunter2") ?? true))
    }
}
#endif
