/// Writes a zip archive of stored (uncompressed) entries, which every zip reader and Excel
/// accept: the workbook parts are small next to an upload limit, and storing keeps the writer
/// a few dozen lines with nothing to go wrong.
///
/// Timestamps are the DOS epoch (1980-01-01), so the same sheets always give the same bytes.
struct ZipWriter {
    private var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    mutating func add(path: String, contents: [UInt8]) {
        let name = Array(path.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(bytes.count)
        bytes.le32(0x0403_4B50)
        bytes.le16(20)  // version needed: 2.0
        bytes.le16(0x0800)  // names are UTF-8
        bytes.le16(0)  // stored
        bytes.le16(0)  // time
        bytes.le16(0x0021)  // date: 1980-01-01
        bytes.le32(crc)
        bytes.le32(UInt32(contents.count))
        bytes.le32(UInt32(contents.count))
        bytes.le16(UInt16(name.count))
        bytes.le16(0)
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: contents)

        central.le32(0x0201_4B50)
        central.le16(20)  // made by: 2.0, MS-DOS attributes
        central.le16(20)
        central.le16(0x0800)
        central.le16(0)
        central.le16(0)
        central.le16(0x0021)
        central.le32(crc)
        central.le32(UInt32(contents.count))
        central.le32(UInt32(contents.count))
        central.le16(UInt16(name.count))
        central.le16(0)  // extra
        central.le16(0)  // comment
        central.le16(0)  // disk
        central.le16(0)  // internal attributes
        central.le32(0)  // external attributes
        central.le32(offset)
        central.append(contentsOf: name)
        count += 1
    }

    /// The archive: entries, central directory, end record.
    func finished() -> [UInt8] {
        var out = bytes
        let offset = UInt32(out.count)
        out.append(contentsOf: central)
        out.le32(0x0605_4B50)
        out.le16(0)
        out.le16(0)
        out.le16(UInt16(count))
        out.le16(UInt16(count))
        out.le32(UInt32(central.count))
        out.le32(offset)
        out.le16(0)
        return out
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
