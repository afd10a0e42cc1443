public import Foundation

/// Where the PostgreSQL state is: `postgresql://user@host:port/db?sslmode=…` (`postgres://` too), as
/// libpq spells it. The password never comes from the URL, so that the URL can be logged, shown by
/// `status` and kept in a world-readable configuration file: it comes from the password file, or else
/// from `PGPASSWORD`. A URL with a password in it is refused rather than silently used.
public struct PostgresStateURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values that map onto PostgresNIO's TLS settings.
    public enum SSLMode: String, Sendable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection, without checking the certificate (libpq: "I trust the network").
        case require
        /// TLS with the certificate checked against the trusted roots, not the host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// `sslrootcert`: a PEM file of trusted roots for `verify-ca` and `verify-full` (the system's roots
    /// otherwise).
    public var sslRootCert: String?
    /// Not part of `description`.
    public var password: String?

    /// The URL without its password (it has none) and with the settings that apply.
    public var description: String {
        var text = "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        text += "?sslmode=\(sslMode.rawValue)"
        if let sslRootCert { text += "&sslrootcert=\(sslRootCert)" }
        return text
    }

    /// Parses `url`; the password is read from `passwordFile` when given (its first line), else from
    /// `PGPASSWORD` in `environment`.
    public init(
        _ url: String, passwordFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        func invalid(_ why: String) -> PostgresStoreError {
            PostgresStoreError(code: .invalidURL, message: "state_url: \(why)")
        }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "postgresql" || scheme == "postgres"
        else { throw invalid("expected postgresql://user@host:port/database") }
        guard parts.password == nil else {
            throw invalid("a password in the URL is not accepted; use PGPASSWORD or state_password_file")
        }
        guard let user = parts.user, !user.isEmpty else { throw invalid("no user (postgresql://user@host/database)") }
        guard let host = parts.host, !host.isEmpty else { throw invalid("no host") }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw invalid("no database (…/database)") }
        self.user = user
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = parts.port ?? 5432
        self.database = database
        self.sslMode = .prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw invalid("sslmode must be disable, prefer, require, verify-ca or verify-full")
                }
                sslMode = mode
            case "sslrootcert":
                sslRootCert = item.value
            default:
                throw invalid("unknown parameter \(item.name)")
            }
        }
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw PostgresStoreError(code: .passwordFile, message: "state_password_file: cannot read \(passwordFile)")
            }
            password = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .first.map(String.init)
        } else {
            password = environment["PGPASSWORD"]
        }
    }
}
