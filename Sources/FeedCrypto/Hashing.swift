import CCrypto

/// SHA-2 digests and HMACs through the system's libcrypto (OpenSSL 3 on Debian 12), the one place its
/// functions are called: byte arrays in, byte arrays out. A failure inside OpenSSL (it has none for
/// these inputs short of running out of memory) is a programming error and stops the process.
public enum Hashing: Sendable {
    public enum Algorithm: Sendable, CaseIterable {
        case sha1, sha256, sha384, sha512

        /// Bytes of a digest.
        public var size: Int {
            switch self {
            case .sha1: 20
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }

        var md: OpaquePointer {
            let md: OpaquePointer? =
                switch self {
                case .sha1: EVP_sha1()
                case .sha256: EVP_sha256()
                case .sha384: EVP_sha384()
                case .sha512: EVP_sha512()
                }
            guard let md else { fatalError("libcrypto has no \(self)") }
            return md
        }
    }

    /// The digest of `data`.
    public static func digest(_ data: [UInt8], _ algorithm: Algorithm = .sha256) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, algorithm.md, nil)
            }
        }
        guard ok == 1, Int(length) == algorithm.size else { fatalError("EVP_Digest failed") }
        return Array(out.prefix(Int(length)))
    }

    /// The HMAC of `data` under `key`.
    public static func hmac(_ algorithm: Algorithm, key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
        let keyBytes = key.isEmpty ? [0] : key
        let dataBytes = data.isEmpty ? [0] : data
        let result = keyBytes.withUnsafeBytes { k in
            dataBytes.withUnsafeBytes { d in
                out.withUnsafeMutableBufferPointer { o in
                    HMAC(
                        algorithm.md, k.baseAddress, Int32(key.count), d.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        data.count, o.baseAddress, &length)
                }
            }
        }
        guard result != nil, Int(length) == algorithm.size else { fatalError("HMAC failed") }
        return Array(out.prefix(Int(length)))
    }
}
