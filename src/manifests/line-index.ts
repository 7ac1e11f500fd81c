// Offsets in a text → 1-based line and column.
import type { SourceLocation } from '../diagnostics/diagnostics.js';

export type Locator = (offset: number) => Required<SourceLocation>;

export function lineLocator(path: string, text: string): Locator {
  const starts = [0];
  for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', newline + 1)) starts.push(newline + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { file: path, line: low + 1, column: offset - starts[low]! + 1 };
  };
}
