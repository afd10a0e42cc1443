import FeedCore
import FeedCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `http.password_file` (issue 26): the users HTTP basic authentication lets into the listener. One
/// `user:password` per line, or `user:sha256:<64 hex digits>` to keep the password itself out of the
/// file (`printf %s 'the password' | sha256sum`); blank lines and `#` comments are skipped. Passwords
/// are kept and compared as SHA-256 digests, in constant time. A file that others may read is refused,
/// as ssh refuses a private key that others may read.
public enum PasswordFile: Sendable {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The users and their passwords' digests.
    public static func load(_ path: String) throws(Problem) -> [String: [UInt8]] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw Problem(description: "cannot read it: \(String(cString: strerror(errno)))") }
        guard st.st_mode & S_IROTH == 0, st.st_mode & S_IWOTH == 0 else {
            throw Problem(description: "others may read it (mode \(String(st.st_mode & 0o777, radix: 8))): chmod 600 or 640")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot read it: \(String(cString: strerror(errno)))")
        }
        var users: [String: [UInt8]] = [:]
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else {
                throw Problem(description: "line \(i + 1): expected user:password")
            }
            let user = String(line[..<colon])
            let secret = line[line.index(after: colon)...]
            guard !secret.isEmpty else { throw Problem(description: "line \(i + 1): user \(user) has an empty password") }
            if secret.hasPrefix("sha256:") {
                guard let digest = Hex.decode(secret.dropFirst(7), maxBytes: 32), digest.count == 32 else {
                    throw Problem(description: "line \(i + 1): sha256: is followed by 64 hex digits")
                }
                users[user] = digest
            } else {
                users[user] = Hashing.digest(Array(secret.utf8))
            }
        }
        guard !users.isEmpty else { throw Problem(description: "it names no user") }
        return users
    }

    /// `Basic base64(user:password)` against the users: the digest of the password sent is compared
    /// with the stored one in constant time.
    static func authorizes(_ header: String?, _ users: [String: [UInt8]]) -> Bool {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic ",
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces))
        else { return false }
        let pair = String(decoding: decoded, as: UTF8.self)
        guard let colon = pair.firstIndex(of: ":") else { return false }
        let digest = Hashing.digest(Array(pair[pair.index(after: colon)...].utf8))
        // Every request costs the same whether the user exists or not.
        let stored = users[String(pair[..<colon])]
        return Hex.constantTimeEqual(digest, stored ?? [UInt8](repeating: 0xFF, count: digest.count)) && stored != nil
    }
}
