/**
 * ecs-cli's table layout (Go tabwriter with minwidth 4, padding 2, spaces): every column but the last is as wide as
 * its longest cell plus two spaces; the last column is not padded; trailing spaces are trimmed; the header is printed
 * only when there is at least one row.
 */
import type {TableColumn} from './types.js'

export const TABLE_PADDING = 2
export const TABLE_MIN_WIDTH = 4

export function formatTable<Row>(rows: Row[], columns: Array<TableColumn<Row>>): string[] {
  if (rows.length === 0 || columns.length === 0) return []
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.get(row) ?? ''))]
  const widths = columns.map((_, i) =>
    Math.max(TABLE_MIN_WIDTH, ...cells.map((line) => line[i].length + TABLE_PADDING)),
  )
  return cells.map((line) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('')
      .trimEnd(),
  )
}
