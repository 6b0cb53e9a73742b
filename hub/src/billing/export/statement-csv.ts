import { csvField } from '../../reports/report-csv.js';
import type { Statement } from '../billing.contract.js';
import { headerPairs, LINE_COLUMNS, lineCells, sectionTables, STATEMENT_TITLE, totalPairs, type Cell, type StatementMeta } from './statement-view.js';

function row(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',');
}

/**
 * The statement as one CSV (the reports' field rules: RFC 4180, UTF-8 with BOM, a cell starting
 * with = + - @ gets an apostrophe): the header block, the concept lines with their traces, the
 * totals, then each section under its title, separated by blank lines. Numbers keep a dot.
 */
export function statementCsv(statement: Statement, meta: StatementMeta): string {
  const lines = [row([STATEMENT_TITLE]), ...headerPairs(statement, meta).map((pair) => row(pair)), '', row(['Conceptos']), row(LINE_COLUMNS)];
  for (const line of statement.lines) lines.push(row(lineCells(line)));
  lines.push('', row(['Totales']), ...totalPairs(statement).map((pair) => row(pair)));
  for (const table of sectionTables(statement)) {
    lines.push('', row([table.title]));
    if (table.rows.length === 0) {
      lines.push(row([table.empty]));
      continue;
    }
    lines.push(row(table.columns));
    for (const cells of table.rows) lines.push(row(cells));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
