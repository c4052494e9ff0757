/** A plain-text table for terminals and CI logs: columns padded to their widest cell, long cells wrapped. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], maxColumnWidth = 60): string {
  const wrapped = [header, ...rows].map((row) => row.map((cell) => wrap(cell, maxColumnWidth)));
  const widths = header.map((_, c) => Math.max(...wrapped.map((row) => Math.max(...row[c].map((line) => line.length)))));
  const lines: string[] = [];
  wrapped.forEach((row, r) => {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let l = 0; l < height; l++) {
      lines.push(row.map((cell, c) => (cell[l] ?? '').padEnd(widths[c])).join('  ').trimEnd());
    }
    if (r === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  out.push(line);
  return out;
}
