import Testing

@testable import Tabular

@Suite struct XMLScannerTests {
    private func tokens(_ xml: String) throws -> [XMLScanner.Token] {
        var scanner = XMLScanner(Array(xml.utf8), part: "test.xml")
        var tokens: [XMLScanner.Token] = []
        while let token = try scanner.next() { tokens.append(token) }
        return tokens
    }

    @Test func readsTagsAttributesAndDecodedText() throws {
        let xml = "<?xml version=\"1.0\"?><!-- c --><x:row r='1' a=\"&quot;&amp;\"><t>&lt;&gt;&apos;&#20013;&#x56FD;</t><br/></x:row>"
        #expect(
            try tokens(xml) == [
                .start(name: "row", attributes: ["r": "1", "a": "\"&"], selfClosing: false),
                .start(name: "t", attributes: [:], selfClosing: false),
                .text("<>'中国"),
                .end(name: "t"),
                .start(name: "br", attributes: [:], selfClosing: true),
                .end(name: "row"),
            ])
    }

    @Test func refusesDocumentTypesAndUnknownEntities() {
        #expect(throws: TabularError.self) { try tokens("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>") }
        #expect(throws: TabularError.malformedXML(part: "test.xml", detail: "unknown entity &nbsp;")) { try tokens("<x>&nbsp;</x>") }
        #expect(throws: TabularError.self) { try tokens("<x>&#0;</x>") }
        #expect(throws: TabularError.self) { try tokens("<x a=\"1") }
        #expect(throws: TabularError.self) { try tokens("<x><!-- never closed") }
    }

    /// A few KB deflated can hold millions of them: skipping each must not cost a stack frame
    /// (it did, and a crafted workbook overflowed the stack of the replica that read it).
    @Test func skipsAMillionCommentsAndDeclarationsWithoutRecursing() throws {
        let xml = String(repeating: "<?x?><!---->", count: 1_000_000) + "<row/>" + String(repeating: "<!---->", count: 1_000)
        #expect(try tokens(xml) == [.start(name: "row", attributes: [:], selfClosing: true)])
    }
}
