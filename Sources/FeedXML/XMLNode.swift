import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// A node of an `XMLDocument`, valid while the document lives (callers hold the document with
/// `withExtendedLifetime`): it holds no reference, so walking a feed's elements retains nothing.
struct XMLNode {
    let tree: UnsafePointer<XMLDocument.Tree>
    let index: Int32

    private var node: UnsafeMutablePointer<XMLDocument.Node> { tree.pointee.nodes + Int(index) }

    var kind: XMLDocument.Node.Kind { node.pointee.kind }

    var isElement: Bool { node.pointee.kind == .element }

    /// Local name (the prefix is kept apart), or the full QName when the prefix was undeclared.
    var name: String { node.pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { node.pointee.href.map { String(cString: $0) } }

    /// The namespace URI as libxml2 holds it (valid while the document lives).
    var namespaceHref: UnsafePointer<CChar>? {
        node.pointee.href.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }

    var hasNamespacePrefix: Bool { node.pointee.href != nil && node.pointee.prefix != nil }

    /// The element's line in its document (libxml2's own tree stopped counting at 65,535).
    var line: Int { Int(node.pointee.line) }

    fileprivate var firstChild: XMLNode? { link(node.pointee.firstChild) }
    fileprivate var nextSibling: XMLNode? { link(node.pointee.next) }
    fileprivate var parent: XMLNode? { link(node.pointee.parent) }

    private func link(_ i: Int32) -> XMLNode? { i < 0 ? nil : XMLNode(tree: tree, index: i) }

    /// A text node's bytes (valid while the document lives).
    var textBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: tree.pointee.bytes + Int(node.pointee.start), count: Int(node.pointee.count))
    }

    /// Child elements in document order.
    var elements: ElementSequence { ElementSequence(next: firstChild) }

    struct ElementSequence: Sequence, IteratorProtocol {
        var next_: XMLNode?
        init(next: XMLNode?) { next_ = next }
        // Not inlined: Swift 6.3's optimizer crashed (an ownership verifier error) inlining it into
        // `first(where:)` and `contains(where:)` closures over nodes.
        @inline(never)
        mutating func next() -> XMLNode? {
            while let n = next_ {
                next_ = n.nextSibling
                if n.isElement { return n }
            }
            return nil
        }
    }

    var hasElementChildren: Bool { firstElement != nil }

    /// The first child element.
    var firstElement: XMLNode? {
        var children = elements
        return children.next()
    }

    /// An attribute's value by local name; `xmlPrefix` selects `xml:base`/`xml:lang`-style attributes,
    /// `namespaceURI` a namespaced one. Entity references were never expanded.
    func attribute(_ local: String, namespaceURI: String? = nil, xmlPrefix: Bool = false) -> String? {
        for a in ownAttributes where Self.equals(a.name, local) {
            if xmlPrefix {
                guard let p = a.prefix, Self.equals(p, "xml") else { continue }
            } else if let want = namespaceURI {
                guard let h = a.href, Self.equals(h, want) else { continue }
            }
            return value(of: a)
        }
        return nil
    }

    /// A non-namespaced attribute's value, its name compared without case: OPML exporters disagree on
    /// `xmlUrl` and `xmlurl`. `local` is lowercase.
    func attribute(anyCase local: String) -> String? {
        for a in ownAttributes where a.href == nil && String(cString: a.name).lowercased() == local {
            return value(of: a)
        }
        return nil
    }

    private var ownAttributes: UnsafeMutableBufferPointer<XMLDocument.Attribute> {
        guard node.pointee.kind == .element else { return UnsafeMutableBufferPointer(start: nil, count: 0) }
        return UnsafeMutableBufferPointer(
            start: tree.pointee.attributes + Int(node.pointee.start), count: Int(node.pointee.count))
    }

    private func value(of a: XMLDocument.Attribute) -> String {
        String(decoding: UnsafeBufferPointer(start: tree.pointee.bytes + Int(a.start), count: Int(a.count)), as: UTF8.self)
    }

    /// A libxml2 name equals `s`, compared on bytes: attributes are looked up several times per entry,
    /// and a String for every attribute name looked at cost more than the lookup.
    static func equals(_ c: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        var i = 0
        for b in s.utf8 {
            guard c[i] == b else { return false }  // the terminating 0 never equals a byte of `s`
            i += 1
        }
        return c[i] == 0
    }

    /// The bytes of the element's only child when that is one text node (the common case: CDATA is
    /// text here), read in place; nil otherwise. Valid while the document lives.
    var onlyText: UnsafeBufferPointer<UInt8>? {
        guard let only = firstChild, only.nextSibling == nil, only.kind == .text else { return nil }
        return only.textBytes
    }

    /// The concatenated text of this element's descendants, capped at `cap` bytes. Iterative, so depth
    /// cannot overflow our stack; entity references are skipped, never expanded (§1.3).
    func text(cap: Int = 256 * 1024) -> String {
        // Fast path: one text child, the common case.
        if let only = onlyText { return String(decoding: UnsafeBufferPointer(rebasing: only.prefix(cap)), as: UTF8.self) }
        var out = [UInt8]()
        TreeWalk.walk(self) { node, entering in
            guard entering else { return .proceed }
            switch node.kind {
            case .text:
                out.append(contentsOf: node.textBytes)
                return out.count > cap ? .stop : .proceed
            case .element, .document:
                return .proceed
            case .entityReference, .other:
                return .skipChildren
            }
        }
        return String(decoding: out.prefix(cap), as: UTF8.self)
    }
}

/// Iterative depth-first walk over a subtree (child, sibling and parent links; no stack growth).
enum TreeWalk {
    enum Action { case proceed, skipChildren, stop }

    /// Calls `visit(node, true)` on entering every descendant of `root` and `visit(node, false)` on leaving
    /// an element whose children were visited.
    static func walk(_ root: XMLNode, _ visit: (XMLNode, Bool) -> Action) {
        var node = root.firstChild
        while var n = node {
            let action = visit(n, true)
            if action == .stop { return }
            if action == .proceed, let child = n.firstChild {
                node = child
                continue
            }
            // n is finished: go to its next sibling, leaving every parent that has none.
            while true {
                if let next = n.nextSibling {
                    node = next
                    break
                }
                guard let parent = n.parent, parent.index != root.index else { return }
                if visit(parent, false) == .stop { return }
                n = parent
            }
        }
    }
}
