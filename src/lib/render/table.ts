import Table from 'cli-table3'

/**
 * A borderless, aligned table (cli-table3): readable on a terminal and still one record per line when piped to
 * grep or cut. Cell text is made printable by the caller.
 */
export function renderTable(
  head: string[],
  rows: string[][],
  style: (text: string) => string = (t) => t,
): string {
  const table = new Table({
    head: head.map((cell) => style(cell)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 0},
  })
  table.push(...rows)
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
}
