/// A JSON object as a program wrote it (an alert file), with fields appended before its closing brace:
/// the object's own keys, order and numbers are kept byte for byte, which re-encoding would not do.
public enum JSONObjectSplice: Sendable {
    /// `object` (trailing white space dropped) with the fields `extra` writes appended; the object
    /// unchanged when it does not end in `}` or `extra` writes nothing.
    public static func appending(to object: [UInt8], _ extra: (inout JSONWriter) -> Void) -> [UInt8] {
        var tail = JSONWriter()
        tail.beginObject()
        extra(&tail)
        tail.endObject()
        var own = object
        while let last = own.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 { own.removeLast() }
        guard own.last == 0x7D, tail.bytes.count > 2 else { return own }
        own.removeLast()
        // An empty object gets no comma: `{}` + fields is `{"a":1}`.
        let empty = own.reversed().first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == 0x7B
        return own + (empty ? [] : [0x2C]) + tail.bytes.dropFirst()
    }
}
