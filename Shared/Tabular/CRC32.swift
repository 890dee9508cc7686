import CZlib

/// CRC-32 (IEEE 802.3, the zip polynomial): written into every zip entry and checked on every
/// entry read. zlib, already linked for inflate, computes it.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
