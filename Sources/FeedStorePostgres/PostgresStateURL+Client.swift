import NIOSSL
import PostgresNIO

extension PostgresStateURL {
    /// TLS as `sslmode` asks. `prefer` and `require` do not check the certificate, as with libpq: they
    /// protect against eavesdropping, not against an active attacker; `verify-full` does both.
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCert { tls.trustRoots = .file(sslRootCert) }
        switch sslMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// The pool's settings.
    func clientConfiguration() -> PostgresClient.Configuration {
        let tls = tlsConfiguration()
        let mode: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(tls)
            case .require, .verifyCA, .verifyFull: .require(tls)
            }
        var config = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
        // A few connections are enough: commits that decide stories are serialized by a lock anyway,
        // and the cluster's other nodes need connections of their own.
        config.options.maximumConnections = 8
        return config
    }

    /// The settings of one connection outside the pool (the migrations run on it).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
    }
}
