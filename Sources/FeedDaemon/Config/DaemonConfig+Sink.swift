import Foundation

extension DaemonConfig {
    /// One sink: a webhook that receives each alert file by POST, or a program that reads it on its
    /// standard input. The spool stays the source of truth; a sink gets each alert once it is there.
    public struct Sink: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case webhook
            case exec
        }

        /// Unique; shown by `status`, in the metrics and in logs (the URL never is: webhook URLs carry
        /// secrets in their path).
        public var name: String
        public var type = Kind.webhook
        public var url: String?
        /// `Name: value` lines sent with each POST; never logged.
        public var headers: [String] = []
        /// argv of the program (no shell).
        public var command: [String] = []
        /// exec: variables the program gets beside the minimal environment (`SinkAttemptRunner`); the
        /// daemon's own environment (a database password, the systemd sockets) is never passed on.
        public var env: [String: String] = [:]
        /// Seconds one attempt may take (a program past it is killed with its process group).
        public var timeout = 30
        public var allowPrivate = false
        /// Seconds after which a delivery still failing is given up and logged.
        public var giveUpAfter = 86_400
        public var line = 0

        public init(name: String) { self.name = name }
    }
}

extension DaemonConfig {
    /// An exec sink whose program is not there or not executable (as the user running `check` sees it):
    /// a warning, since the daemon may run as another user, or the program may be installed later.
    var sinkWarnings: [String] {
        sinks.compactMap { sink in
            guard sink.type == .exec, let program = sink.command.first, program.hasPrefix("/"),
                !FileManager.default.isExecutableFile(atPath: program)
            else { return nil }
            return "\(file):\(sink.line): sink \(sink.name): \(program) is not an executable file; its deliveries will fail"
        }
    }
}
