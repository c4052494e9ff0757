/**
 * Plain-text tables for terminals and CI logs. On a terminal a table fits its width: the widest
 * columns give way first and their cells wrap. Piped, or with `--wide`, every row stays on one
 * line, so the output greps and diffs cleanly.
 */
const GAP = '  ';
/** A column never narrows below this (or its widest cell, if that is narrower). */
const MIN_COLUMN_WIDTH = 8;
/** Words up to this long are kept whole while there is room to narrow other columns. */
const MAX_WHOLE_WORD = 24;
const PROSE_COLUMN_WIDTH = 16;

let tableWidth = Number.POSITIVE_INFINITY;

/** The width tables fit: the terminal's columns, or unlimited when piped or asked to be wide. */
export function setTableWidth(options: { readonly wide?: boolean }, stdout: { readonly isTTY?: boolean; readonly columns?: number } = process.stdout): void {
  tableWidth = !options.wide && stdout.isTTY && stdout.columns ? stdout.columns : Number.POSITIVE_INFINITY;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], width = tableWidth): string {
  const all = [header, ...rows];
  const natural = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const widths = fitWidths(all, natural, width - GAP.length * (header.length - 1));
  const lines: string[] = [];
  all.forEach((row, r) => {
    const cells = widths.map((w, c) => wrap(row[c] ?? '', w));
    const height = Math.max(...cells.map((cell) => cell.length));
    for (let l = 0; l < height; l++) lines.push(cells.map((cell, c) => (cell[l] ?? '').padEnd(widths[c])).join(GAP).trimEnd());
    if (r === 0) lines.push(widths.map((w) => '-'.repeat(w)).join(GAP));
  });
  return lines.join('\n');
}

/**
 * Narrows the widest columns, one character at a time, until the row fits: first down to each
 * column's longest word (so words stay whole), then prose columns, then every column to a floor.
 */
function fitWidths(all: readonly (readonly string[])[], natural: readonly number[], available: number): number[] {
  const widths = [...natural];
  const longestWord = natural.map((_, c) => Math.max(...all.flatMap((row) => (row[c] ?? '').split(/\s+/).map((w) => w.length))));
  const wholeWords = natural.map((n, c) => Math.min(n, Math.max(MIN_COLUMN_WIDTH, Math.min(longestWord[c], MAX_WHOLE_WORD))));
  const floors = [
    wholeWords,
    // Prose columns (sources, reasons) wrap anyway: they give way before short-word columns break words.
    natural.map((n, c) => (n > MAX_WHOLE_WORD ? Math.min(n, PROSE_COLUMN_WIDTH) : wholeWords[c])),
    natural.map((n) => Math.min(n, MIN_COLUMN_WIDTH)),
  ];
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  for (const floor of floors) {
    while (excess > 0) {
      let widest = -1;
      widths.forEach((w, c) => {
        if (w > floor[c] && (widest < 0 || w > widths[widest])) widest = c;
      });
      if (widest < 0) break;
      widths[widest]--;
      excess--;
    }
  }
  return widths;
}

/** Word-wraps text to `width`, breaking a word only when it alone is wider. */
function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/)) {
    while (word.length > width) {
      if (line) out.push(line);
      out.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}
