// Splits an mbox file into raw messages. Pure. A message starts at a "From " line at the start of
// the file or after a blank line; the envelope line itself is not part of the message, nor is
// the blank line that separates messages. Lines the writer escaped (">From ", ">>From " in
// mboxrd) lose one ">". Bytes are kept as they are (latin1 maps one byte to one char).

export function looksLikeMbox(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === 'From ';
}

export function splitMbox(bytes: Buffer): Buffer[] {
  const lines = bytes.toString('latin1').split(/(?<=\n)/); // each line keeps its own ending
  const messages: string[][] = [];
  let current: string[] | undefined;
  let previousBlank = true;
  for (const line of lines) {
    if (line.startsWith('From ') && previousBlank) {
      if (current) messages.push(current);
      current = [];
      previousBlank = false;
      continue;
    }
    previousBlank = line === '\n' || line === '\r\n';
    current?.push(line.replace(/^>(>*From )/, '$1'));
  }
  if (current) messages.push(current);
  return messages
    .map((message, index) => {
      // The blank separator line belongs to the mbox, not to the message before it.
      const isLast = index === messages.length - 1;
      const last = message[message.length - 1];
      if (!isLast && (last === '\n' || last === '\r\n')) message.pop();
      return message.join('');
    })
    .filter((message) => message.trim())
    .map((message) => Buffer.from(message, 'latin1'));
}
