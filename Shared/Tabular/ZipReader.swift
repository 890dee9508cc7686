import CZlib

/// Reads entries of a zip archive (an .xlsx is one) from memory, trusting nothing in it.
///
/// The central directory is found from the end record and every offset and length in it is
/// checked against the file before use. An entry is inflated only when asked for, into a
/// buffer of exactly the size the directory declares — refused up front when that size would
/// take the reader past its budget (`TabularLimits.inflatedBytes`, shared by every entry
/// read), and refused when the data inflates to more or less than declared, so a zip bomb
/// costs at most the budget. The CRC-32 of every entry is checked. Encrypted entries, ZIP64
/// and methods other than stored and deflate are refused; no .xlsx written by Excel, WPS or
/// LibreOffice needs them.
struct ZipReader {
    struct Entry {
        var name: String
        var method: Int
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]
    private var budget: Int
    private let limit: Int

    init(_ bytes: [UInt8], limits: TabularLimits) throws(TabularError) {
        self.bytes = bytes
        self.budget = limits.inflatedBytes
        self.limit = limits.inflatedBytes
        guard bytes.count >= 22 else { throw .notAWorkbook("too short to be a zip archive") }
        // The end record is 22 bytes plus a comment of at most 65,535 bytes.
        let earliest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= earliest, bytes.le32(at: end) != 0x0605_4B50 { end -= 1 }
        guard end >= earliest else { throw .notAWorkbook("no zip directory (truncated or not a zip archive)") }
        let count = Int(bytes.le16(at: end + 10))
        let directorySize = Int(bytes.le32(at: end + 12))
        let directoryOffset = Int(bytes.le32(at: end + 16))
        guard count <= limits.zipEntries else { throw .tooManyEntries(limit: limits.zipEntries) }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else {
            throw .notAWorkbook("the zip directory points outside the file (truncated?)")
        }
        var offset = directoryOffset
        for _ in 0..<count {
            guard offset + 46 <= end, bytes.le32(at: offset) == 0x0201_4B50 else {
                throw .notAWorkbook("damaged zip directory")
            }
            let nameLength = Int(bytes.le16(at: offset + 28))
            let extraLength = Int(bytes.le16(at: offset + 30))
            let commentLength = Int(bytes.le16(at: offset + 32))
            let next = offset + 46 + nameLength + extraLength + commentLength
            guard next <= end else { throw .notAWorkbook("damaged zip directory") }
            let entry = Entry(
                name: String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self),
                method: Int(bytes.le16(at: offset + 10)),
                flags: bytes.le16(at: offset + 8),
                crc: bytes.le32(at: offset + 16),
                compressedSize: Int(bytes.le32(at: offset + 20)),
                size: Int(bytes.le32(at: offset + 24)),
                localHeaderOffset: Int(bytes.le32(at: offset + 42))
            )
            entries[entry.name] = entry
            offset = next
        }
    }

    func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The entry's contents, inflated and checked.
    mutating func read(_ name: String) throws(TabularError) -> [UInt8] {
        guard let entry = entries[name] else { throw .missingPart(name) }
        guard entry.flags & 1 == 0 else { throw .encryptedEntry(name) }
        guard entry.size != 0xFFFF_FFFF, entry.compressedSize != 0xFFFF_FFFF else { throw .notAWorkbook("ZIP64 archives are not read") }
        guard entry.size <= budget else { throw .tooLarge(limit: limit) }
        let local = entry.localHeaderOffset
        guard local <= bytes.count - 30, bytes.le32(at: local) == 0x0403_4B50 else { throw .corruptEntry(name) }
        let start = local + 30 + Int(bytes.le16(at: local + 26)) + Int(bytes.le16(at: local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .notAWorkbook("\(name) runs past the end of the file (truncated?)")
        }
        let data = bytes[start..<(start + entry.compressedSize)]
        let contents: [UInt8]
        switch entry.method {
        case 0:
            guard data.count == entry.size else { throw .corruptEntry(name) }
            contents = Array(data)
        case 8: contents = try Inflate.raw(data, size: entry.size, name: name)
        default: throw .unsupportedCompression(method: entry.method)
        }
        guard CRC32.checksum(contents) == entry.crc else { throw .corruptEntry(name) }
        budget -= contents.count
        return contents
    }
}

/// Raw deflate (zip method 8) through zlib.
enum Inflate {
    /// Inflates into exactly `size` bytes: more output, less output or a damaged stream is an error.
    static func raw(_ data: ArraySlice<UInt8>, size: Int, name: String) throws(TabularError) -> [UInt8] {
        // One byte more than declared, so a stream that would go on is caught, not truncated.
        var output = [UInt8](repeating: 0, count: size + 1)
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptEntry(name)
        }
        defer { inflateEnd(&stream) }
        // zlib reads `next_in` only (the pointer is mutable for historical reasons): no copy.
        let (status, produced) = data.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                let status = inflate(&stream, Z_FINISH)
                return (status, outBuffer.count - Int(stream.avail_out))
            }
        }
        guard status == Z_STREAM_END, produced == size else { throw .corruptEntry(name) }
        output.removeLast()
        return output
    }
}

extension Array where Element == UInt8 {
    func le16(at offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }

    func le32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}
