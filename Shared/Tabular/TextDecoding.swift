import Glibc

/// The text of an uploaded CSV: UTF-8 (with or without a byte-order mark) or GB18030, the
/// encoding Excel on a Chinese Windows saves "CSV (comma delimited)" in.
///
/// Valid UTF-8 is taken as UTF-8: GB18030 text of any length with Chinese in it is almost
/// never valid UTF-8, while the reverse guess would misread every UTF-8 file. Everything else
/// is decoded as GB18030 by glibc's iconv, which maps the whole of GB18030 (a superset of GBK
/// and GB2312) to Unicode.
public enum TextDecoding {
    public static func decode(_ bytes: [UInt8]) throws(TabularError) -> String {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw .utf16 }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) { return text }
        return try gb18030(body)
    }

    static func gb18030(_ bytes: [UInt8]) throws(TabularError) -> String {
        let converter = iconv_open("UTF-8", "GB18030")
        guard let converter, Int(bitPattern: converter) != -1 else { throw .unreadableText(offset: 0) }
        defer { iconv_close(converter) }
        // A GB18030 character of n bytes is at most n+1 UTF-8 bytes (2 → 3, 4 → 4).
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 4)
        var input = bytes
        let result: (produced: Int, failedAt: Int?) = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                let produced = outBuffer.count - outLeft
                return (produced, status == -1 ? inBuffer.count - inLeft : nil)
            }
        }
        if let offset = result.failedAt { throw .unreadableText(offset: offset) }
        guard let text = String(validating: output.prefix(result.produced), as: UTF8.self) else { throw .unreadableText(offset: 0) }
        return text
    }
}
