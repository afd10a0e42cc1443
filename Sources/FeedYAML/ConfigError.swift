/// A configuration problem located in its file: printed as `file:line:column: message`, the form
/// `feedwatch check` and editors understand.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// Further problems found in the same pass (`feedwatch check` reports them all, one per line).
    public var others: [ConfigError] = []

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The first of `problems` carrying the rest, or nil when there are none.
    public static func combined(_ problems: [ConfigError]) -> ConfigError? {
        let flat = problems.flatMap { [$0.alone] + $0.others }
        guard var first = flat.first else { return nil }
        first.others = Array(flat.dropFirst())
        return first
    }

    /// This problem without the others it carries.
    public var alone: ConfigError {
        var e = self
        e.others = []
        return e
    }

    /// Line 0: the problem is the file as a whole (it cannot be read); column 0: the file's reader
    /// knows lines only (libxml2, for OPML). No position is invented.
    public var description: String {
        let at = line > 0 ? (column > 0 ? "\(line):\(column):" : "\(line):") : ""
        let own = "\(file):\(at) \(message)"
        return ([own] + others.map(\.description)).joined(separator: "\n")
    }
}
