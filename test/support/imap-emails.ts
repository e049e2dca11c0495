// Plausible submission emails for the IMAP tests and the benchmark: each one a distinct
// statement (its own Message-ID and text), so stored-once checks can count them.

/** A statement email from an organisation; `tag` keeps tests apart, `n` numbers the message. */
export function statementEmail(tag: string, n: number, options: { date?: Date } = {}): Buffer {
  const date = (options.date ?? new Date(Date.UTC(2026, 2, 1 + (n % 27), 9, 30))).toUTCString().replace('GMT', '+0000');
  return Buffer.from(
    [
      `From: "Labour Solidarity Network" <press@solidarity-${tag}.example.org>`,
      'To: statements@publication.example.org',
      `Subject: Statement ${n}: solidarity with the dock workers' strike (${tag})`,
      `Date: ${date}`,
      `Message-ID: <statement-${tag}-${n}@solidarity-${tag}.example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `Statement ${n} of the Labour Solidarity Network (${tag})`,
      '',
      'We stand with the dock workers who have been on strike for three weeks for safe',
      'working conditions and a living wage. We call on the port authority to negotiate',
      'in good faith and to withdraw every threat of dismissal.',
      '',
      'Solidarity with the strikers — ¡solidaridad!',
      '',
      'Signed,',
      'Maria Santos, General Secretary',
      '',
    ].join('\r\n'),
  );
}

/**
 * A message mailparser refuses (more nested multiparts than it allows), standing in for
 * hostile or broken mail: it must be stored raw, marked failed, and must not stop ingest.
 */
export function unparseableEmail(tag: string): Buffer {
  const depth = 1500;
  const head = [
    `From: broken@${tag}.example.org`,
    `Subject: deliberately broken MIME (${tag})`,
    `Message-ID: <broken-${tag}@example.org>`,
    'MIME-Version: 1.0',
  ].join('\r\n');
  const parts = Array.from({ length: depth }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`);
  return Buffer.from(`${head}\r\n${parts.join('')}\r\n`);
}
