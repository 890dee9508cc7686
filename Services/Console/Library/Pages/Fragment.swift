import Hummingbird

/// A part of a page, fetched again by the console's script: HTML without the frame.
enum Fragment {
    static func response(_ html: HTML) -> Response {
        Response(
            status: .ok, headers: Layout.securityHeaders,
            body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }
}
