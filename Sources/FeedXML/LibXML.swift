import CLibXML2

/// Process-wide libxml2 set-up, done once before any parse (libxml2 asks for xmlInitParser before threads).
enum LibXML {
    /// Evaluated once, thread-safely, by Swift's lazy global initialisation.
    static let ready: Bool = {
        xmlInitParser()
        // XXE backstop (reliability.md §1.2): no external entity, DTD or XInclude target is ever loaded,
        // whatever the options, because every load goes through this loader.
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    /// libxml2 2.9 keeps its error handlers per thread and, without one, prints some errors (such as
    /// "huge text node") to stderr whatever the parse options. Errors are read from the parser context
    /// instead, so every parsing thread installs a handler that drops them.
    static func silenceErrors() {
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }
}
