import Logging
import Synchronization

/// An in-memory log handler, as swift-log's own tests capture logs: messages are kept for the test to
/// read, and `LoggingSystem.bootstrap` is never called.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger whose messages (every level) land here as `level: message`.
    var logger: Logger { Logger(label: "test") { _ in Handler(capture: self) } }

    var messages: [String] { lines.withLock { $0 } }

    func contains(_ text: String) -> Bool { messages.contains { $0.contains(text) } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level): \(event.message)")
        }
    }
}
