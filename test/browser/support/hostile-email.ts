// An email whose HTML tries everything: script tags, event handlers, javascript: links, CSS
// tricks, a meta refresh, frames, forms, SVG and remote images. Every payload would set
// window.__pwned (or open a dialog) if it ran.
export const HOSTILE_SUBJECT = 'Statement on solidarity (hostile HTML test)';

export const HOSTILE_HTML = [
  '<html><head>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '<style>body{background:url("javascript:window.__pwned=1")} .x{behavior:url(x.htc)} @import url(https://tracker.example.net/c.css);</style>',
  '<script>window.__pwned = "script"; alert("script ran")</script>',
  '<base href="https://evil.example.net/">',
  '</head><body onload="window.__pwned=\'onload\'; alert(1)">',
  '<h1>Statement on solidarity</h1>',
  '<p>We, the undersigned, stand with the workers.</p>',
  '<p><img src="x" onerror="window.__pwned=\'onerror\'; alert(2)"><img src="https://tracker.example.net/pixel.gif" alt="pixel"></p>',
  '<p><a href="javascript:window.__pwned=\'link\';alert(3)" id="js-link">Read more</a></p>',
  '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red" onmouseover="window.__pwned=\'hover\'">Covering text</p>',
  '<svg onload="window.__pwned=\'svg\'"><script>window.__pwned="svg-script"</script></svg>',
  '<iframe src="javascript:window.top.__pwned=\'iframe\'"></iframe>',
  '<form action="https://evil.example.net/"><input name="q" onfocus="window.__pwned=\'focus\'" autofocus><button>Go</button></form>',
  '<object data="javascript:window.__pwned=\'object\'"></object>',
  '<details open ontoggle="window.__pwned=\'toggle\'"><summary>More</summary>Text</details>',
  '<p>Signed: Workers Front</p>',
  '</body></html>',
].join('\n');

export function hostileEmail(messageId = `<hostile-${Date.now()}@example.org>`): Buffer {
  return Buffer.from(
    [
      `Message-ID: ${messageId}`,
      'From: Workers Front <press@workers-front.example.org>',
      'To: submissions@example.com',
      'Date: Mon, 02 Mar 2026 10:00:00 +0000',
      `Subject: ${HOSTILE_SUBJECT}`,
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      HOSTILE_HTML,
      '',
    ].join('\r\n'),
  );
}
