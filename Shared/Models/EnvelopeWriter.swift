import Foundation

/// Writes the JSON envelope without a JSON encoder, for the relay's hot path: the event's
/// `data` is already JSON text in the outbox, so it is spliced in as it is.
public enum EnvelopeWriter {
    /// The envelope of a stored event, as UTF-8 bytes.
    public static func event(
        id: UUID, topic: String, seq: Int64, stream: String, version: Int, occurredAtMilliseconds: Int64,
        key: String, area: String?, correlationId: UUID?, dataJSON: String
    ) -> [UInt8] {
        var json = "{\"id\":\"\(id.uuidString.lowercased())\",\"topic\":"
        json += quoted(topic)
        json += ",\"seq\":\(seq),\"stream\":"
        json += quoted(stream)
        json += ",\"v\":\(version),\"occurredAt\":\"\(Timestamp.format(epochMilliseconds: occurredAtMilliseconds))\",\"key\":"
        json += quoted(key)
        if let area { json += ",\"area\":" + quoted(area) }
        if let correlationId { json += ",\"correlationId\":\"\(correlationId.uuidString.lowercased())\"" }
        json += ",\"data\":"
        json += dataJSON
        json += "}"
        return Array(json.utf8)
    }

    /// A heartbeat announcing `head`, the topic's highest sequence number.
    public static func heartbeat(topic: String, stream: String, head: Int64, atMilliseconds: Int64) -> [UInt8] {
        let json =
            "{\"topic\":\(quoted(topic)),\"seq\":\(head),\"stream\":\(quoted(stream)),"
            + "\"heartbeat\":true,\"occurredAt\":\"\(Timestamp.format(epochMilliseconds: atMilliseconds))\"}"
        return Array(json.utf8)
    }

    /// A JSON string literal for `text`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
