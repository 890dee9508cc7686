/// The console's one script, a few lines by hand: parts of a page marked
/// `data-live="CHANNEL" data-refresh="/fragment"` are fetched again when the console's stream
/// of that channel says something changed; an element `data-qr="TEXT"` becomes a QR code
/// (Debian's qrcode-generator, loaded by the page). Nothing else runs in the browser.
enum LiveScript {
    static let text = """
        (function () {
          function follow(channel, parts) {
            var busy = false, again = false;
            function refresh() {
              if (busy) { again = true; return; }
              busy = true;
              Promise.all(parts.map(function (part) {
                return fetch(part.dataset.refresh, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
                  .then(function (r) { return r.ok ? r.text() : null; })
                  .then(function (html) { if (html !== null) { part.innerHTML = html; part.dataset.updated = String(Date.now()); } });
              })).catch(function () {}).then(function () { busy = false; if (again) { again = false; refresh(); } });
            }
            var source = new EventSource('/live/' + channel);
            source.addEventListener('changed', refresh);
            source.addEventListener('open', function () { document.body.dataset.live = 'open'; });
          }
          var channels = {};
          document.querySelectorAll('[data-live]').forEach(function (part) {
            (channels[part.dataset.live] = channels[part.dataset.live] || []).push(part);
          });
          Object.keys(channels).forEach(function (channel) { follow(channel, channels[channel]); });
          document.querySelectorAll('[data-qr]').forEach(function (box) {
            if (typeof qrcode !== 'function') { return; }
            var code = qrcode(0, 'M'); code.addData(box.dataset.qr); code.make();
            box.innerHTML = code.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
          });
        })();
        """
}
