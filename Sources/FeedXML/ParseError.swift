/// Why a document could not be read as a feed. One case per failure users must tell apart:
/// hostile documents are rejected on purpose and never retried leniently.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Empty input, or nothing that looks like XML.
        case empty
        /// Larger than the configured document cap.
        case tooLarge
        /// A DTD declares entities (`<!ENTITY`): billion laughs, quadratic blowup and XXE all need one; feeds never do.
        case entityDeclaration
        /// A shape only an attacker produces: a single tag over the markup cap (thousands of attributes) or excessive depth.
        case hostileShape
        /// Not well-formed, and recovery found no feed in it.
        case malformed
        /// Well-formed XML (or HTML) that is not RSS, RDF or Atom.
        case notAFeed
        /// Bytes in an encoding we cannot decode.
        case encoding
    }

    public var code: Code
    public var message: String
    /// 1-based line in the document, when libxml2 reported one.
    public var line: Int?

    public init(_ code: Code, _ message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
