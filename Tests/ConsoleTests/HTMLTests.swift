import Testing

@testable import Console

@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscapedAndNestedHTMLIsNot() {
        let name = "<script>alert('x')</script> & \"Li\""
        let cell: HTML = "<td>\(name)</td>"
        #expect(cell.text == "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Li&quot;</td>")
        let row: HTML = "<tr>\(cell)</tr>"
        #expect(row.text == "<tr>" + cell.text + "</tr>")
        let missing: String? = nil
        let empty: HTML = "<b>\(missing)</b>"
        #expect(empty.text == "<b></b>")
    }

    @Test func formBodiesDecodePlusAndPercentEscapes() {
        let form = FormBody(parsing: "name=%E5%BC%A0+%E4%B8%89&reason=check+dose%3A+5mg&empty=&flag")
        #expect(form["name"] == "张 三")
        #expect(form["reason"] == "check dose: 5mg")
        #expect(form.text("empty") == nil)
        #expect(form["flag"] == "")
        #expect(form.text("absent") == nil)
    }
}
