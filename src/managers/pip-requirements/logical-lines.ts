// pip's reading of a requirements file before parsing: lines ending in `\` are joined (without the
// backslash), comments (`#` at the start or after whitespace) are cut. Offsets of the joined text map
// back to the file so that specifiers keep their exact position.

export interface LogicalLine {
  text: string;
  /** 1-based line where it starts. */
  line: number;
  /** File offset of a text offset; pieces joined across a continuation map piece by piece. */
  fileOffset(offset: number): number;
}

const COMMENT = /(^|\s+)#.*$/;

export function logicalLines(content: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pieces: { text: string; start: number }[] = [];
  let firstLine = 0;
  let lineNo = 0;
  let at = 0;
  while (at <= content.length) {
    const nl = content.indexOf('\n', at);
    const end = nl === -1 ? content.length : nl;
    let text = content.slice(at, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    lineNo += 1;
    if (!pieces.length) firstLine = lineNo;
    const continued = text.endsWith('\\') && !COMMENT.test(text);
    pieces.push({ text: continued ? text.replace(/\\+$/, '') : text, start: at });
    if (!continued || nl === -1) {
      out.push(joinPieces(pieces, firstLine));
      pieces = [];
    }
    if (nl === -1) break;
    at = nl + 1;
  }
  return out.filter((line) => line.text !== '');
}

function joinPieces(pieces: { text: string; start: number }[], line: number): LogicalLine {
  const starts: number[] = [];
  let text = '';
  for (const piece of pieces) {
    starts.push(text.length);
    text += piece.text;
  }
  const comment = COMMENT.exec(text);
  if (comment) text = text.slice(0, comment.index);
  return {
    text: text.trimEnd(),
    line,
    fileOffset(offset) {
      let i = starts.length - 1;
      while (i > 0 && starts[i]! > offset) i -= 1;
      return pieces[i]!.start + offset - starts[i]!;
    },
  };
}
