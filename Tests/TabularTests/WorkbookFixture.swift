import Foundation

/// A workbook written by hand the way other tools write them (deflated entries, shared
/// strings with rich text and phonetic runs, prefixed element names, an absolute and a
/// dotted relationship target, a CDATA section, a formatted empty row at 1,048,576), made
/// with Python's zipfile. Its first sheet is "说明"; "名单" holds:
///
///     row 1: A 姓名, C 备注 (inline)
///     row 3: A "王 芳" (rich text), B 110101199003074514 (number), C "A & B <c> 中国",
///            D TRUE, E "姓名x" (formula result), F styled but empty, G an empty string
///     row 4: A "<raw>" (CDATA, no reference), B 2.5 (no reference)
enum WorkbookFixture {
    static var bytes: [UInt8] { [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters)!) }

    private static let base64 = """
        UEsDBBQAAAAIAGGdfl2VdlHuFAEAAD4DAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbMVSS0sDMRC++ytCrmWTtgcR2W0PPo4qWH/AmMzuhuZFJq3tvzfdVhGp
        FqHgaUi+J8nU842zbI2JTPANn4gxZ+hV0MZ3DX9Z3FdXnFEGr8EGjw3fIvH57KJebCMSK2JPDe9zjtdSkurRAYkQ0RekDclBLsfUyQhqCR3K6Xh8KVXwGX2u
        8s6Dz+pbbGFlM7vblOt9kYSWOLvZE3dZDYcYrVGQCy7XXn9LqQ4JoigHDvUm0qgQuDyasEN+DjjoHsvLJKORPUHKD+AKS26sfAtp+RrCUvxucqRlaFujUAe1
        ckUiKCYETT1idlYMUzgwfnQ6fyCTHMbkzEU+/f/YY/pPPaiHhPo5p7K1dPZP+eL90UMO6z97B1BLAwQUAAAACABhnX5dDTiQSKQAAAAXAQAACwAAAF9yZWxz
        Ly5yZWxzjc89DsIwDAXgq0TeqQsDQqhpF4TUFZUDhNT9UZs4SgKU25ORIgZGy+99lotqMbN4kA8jWwnbLAdBVnM72l7CtTlvDlCVxYVmFVMiDKMLIlVskDDE
        6I6IQQ9kVMjYkU2bjr1RMY2+R6f0pHrCXZ7v0X8asDZF3UrwdbsF0bwc/WNz142aTqzvhmz8ceIrkWTle4oScJnxyX66MU9ZUgHLAlcflm9QSwMEFAAAAAgA
        YZ1+XdlnjB7TAAAATAEAAA8AAAB4bC93b3JrYm9vay54bWyNkE1uwjAQha9izb44yQK1EYYNQmJPD+AmE2IReyKPobkEVTeVuAWbXomKY+CkVWlZsZu/772n
        mcw624gdejbkFKSjBAS6gkrj1gqeV4uHR5hNJ13+Sn7zQrQR8d5x3imoQ2hzKbmo0WoeUYsu7iryVofY+rXk1qMuuUYMtpFZkoyl1cbBj4bH5h4VqipT4JyK
        rUUXvmUiqkNMzLVpGfp8gwv/VsJpiwrOx8+vwxuIYbYsFWQgIpubWPpl+QTylji970/7jz9E+o9Ie0Je7eT1M9MLUEsDBBQAAAAIAGGdfl3ajXeBzgAAAEEC
        AAAaAAAAeGwvX3JlbHMvd29ya2Jvb2sueG1sLnJlbHO1ks1qwzAMgF/F6F4raWFso24vpdDr1j2AcZQ4pLGN5O7n7WcK7RooY4f1JCTZnz6QluvP8aDeiaWP
        wUCtK1AUXGz60Bl4229nj7BeLV/oYHN5Ib5PosqXIAZ8zukZUZyn0YqOiULptJFHm0vKHSbrBtsRzqvqAfmaAVOm2jUGeNfUoPZfif7Cjm3bO9pEdxwp5Bsj
        8CPyIJ4oF6jljrKBS0nwFGpdqIC3ZZ7uLKPxSkdPslOY/ya3+E858Zapec1cti4/gpPyWQYnt7D6BlBLAwQUAAAACABhnX5d68E0eP8AAABSAQAAFAAAAHhs
        L3NoYXJlZFN0cmluZ3MueG1sTVBLTsMwEL3KaCp5R51GVQVN7IrvOgs4gJuaJFLsBHtSdd8dCITEIViy4EhVRY+BE1RRyWPPPL/RezPpYmNqWGvnq8YKnIwj
        BG3zZlXZQuDD/d3ZOS5k6j1BIFovsCRq55z7vNRG+XHTaht+HhtnFIXSFdy3TquVL7UmU/M4imbcqMoi5E1nSeAUobPVU6evj3UQqGRKcv/5sX9/TTnJlPdI
        Hy6cLFxLHsAhG6zMfatyLTBoee3WGuXP2wv8tbqhi+Th+fsfyErwS4H9fOGZYE/Ybb922yMnK09USV4CU6ZN4ApYTUnOCkqAjTbT2/gmYaM4jmcXyanT3l5Y
        k/wFUEsDBBQAAAAIAGGdfl3+A1BYagEAAKcCAAAYAAAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1sbVJBUsIwFL1KyMJdSUoLAqZhKogHEFcMi9AG2pGmnSQC
        nsCVM854BWd075nwHKZpReowXeW/9/57//eT0T7bgC2XKs1FAN02hoCLKI9TsQ7g/Wzq9OGIkl0uH1TCuQaGLlQAE62LIUIqSnjGVDsvuDDIKpcZ0+Yp10gV
        krPYirIN6mDcQxlLBaSk5TggYzEHyyeQMBEDx6HEEidMM0pkvgPSZIFAFaw0c4eekUVlMTRVHUBl3luKCdpSgqIaG1dYKjap4HdaGk6qKNH08P78/fVJkDbk
        slIqkHE5Wv219+r2oLS1Jm7T5Nqrqi42nzsYYOzhS7/r+v+yeCc5O01sUmHLc+1vap1Nv6Khe8Gy4gruIUGrkn74eDu8vuyboqln83Ygqgu3p+7ekdyY2bcz
        n90Xac3Hk3AWzolkO7pY0ObqIjtTu3u+r4v9fveyZxOZGNGj0nk2tYdRrbT+jw0a+m2CTu4AHa+O/gBQSwMEFAAAAAgAYZ1+XZYpSVWuAAAA2QAAABgAAAB4
        bC93b3Jrc2hlZXRzL3NoZWV0Mi54bWxNjsENwjAMRVeJfKcuPSCEklRCiAWAAaI0tBFNUiUWZQrObMGFmRBjkPaAOPjLft/fMq9vrmdXE5MNXsCyKIEZr0Nj
        fSvgdNwv1lBLPoZ4SZ0xxPK6TwI6omGDmHRnnEpFGIzPzjlEpyiPscU0RKOaOeR6rMpyhU5ZD5LPbKdISR7DyKKAKlM9NdsKGAmwvrfeHChmbpPkJD/P1/tx
        50iS40RQ58rprH/n8Pen/AJQSwECFAMUAAAACABhnX5dlXZR7hQBAAA+AwAAEwAAAAAAAAAAAAAAgAEAAAAAW0NvbnRlbnRfVHlwZXNdLnhtbFBLAQIUAxQA
        AAAIAGGdfl0NOJBIpAAAABcBAAALAAAAAAAAAAAAAACAAUUBAABfcmVscy8ucmVsc1BLAQIUAxQAAAAIAGGdfl3ZZ4we0wAAAEwBAAAPAAAAAAAAAAAAAACA
        ARICAAB4bC93b3JrYm9vay54bWxQSwECFAMUAAAACABhnX5d2o13gc4AAABBAgAAGgAAAAAAAAAAAAAAgAESAwAAeGwvX3JlbHMvd29ya2Jvb2sueG1sLnJl
        bHNQSwECFAMUAAAACABhnX5d68E0eP8AAABSAQAAFAAAAAAAAAAAAAAAgAEYBAAAeGwvc2hhcmVkU3RyaW5ncy54bWxQSwECFAMUAAAACABhnX5d/gNQWGoB
        AACnAgAAGAAAAAAAAAAAAAAAgAFJBQAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1sUEsBAhQDFAAAAAgAYZ1+XZYpSVWuAAAA2QAAABgAAAAAAAAAAAAAAIAB
        6QYAAHhsL3dvcmtzaGVldHMvc2hlZXQyLnhtbFBLBQYAAAAABwAHAM0BAADNBwAAAAA=
        """
}
