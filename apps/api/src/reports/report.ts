import { stringify } from 'csv-stringify/sync';
import type { DataSource } from 'typeorm';
import { shenzhenDate, shenzhenDateTime } from '#domain';
import { periodOf } from '../metrics/periods.js';

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report as a table: a title, column headers and rows of plain values. */
export interface Report {
  name: string;
  /** The worksheet's name (Excel allows 31 characters); from the title when left out. */
  sheet?: string;
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** A date and time as Shenzhen reads it, for a report's cell. */
export const local = (d: Date | string | null) => (d === null ? null : shenzhenDateTime(d));

/** A rate as a percentage with one decimal. */
export const percent = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

/** Today's month and quarter in Shenzhen: what a report covers when none is named. */
export function currentPeriods(now: Date): { month: string; quarter: string } {
  const today = shenzhenDate(now);
  return { month: today.slice(0, 7), quarter: periodOf('quarter', today).label };
}

/** The Chinese names of streets, departments and categories, by `kind:code`. */
export async function referenceNames(dataSource: DataSource): Promise<Map<string, string>> {
  const rows = (await dataSource.query(`SELECT kind, code, name FROM reference_view`)) as {
    kind: string;
    code: string;
    name: string;
  }[];
  return new Map(rows.map((r) => [`${r.kind}:${r.code}`, r.name]));
}

/** CSV with a byte-order mark (so Excel reads the Chinese) or an .xlsx workbook. */
export async function render(report: Report, format: ReportFormat): Promise<Buffer> {
  if (format === 'csv') {
    return Buffer.from(`\uFEFF${stringify([report.columns, ...report.rows])}`, 'utf8');
  }
  // Loaded on the first .xlsx asked for: ExcelJS is ≈ 30 MB of resident memory that a
  // process which never writes a workbook need not carry.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Saolou';
  const sheet = workbook.addWorksheet(sheetName(report.sheet ?? report.title));
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  sheet.addRow(report.columns).font = { bold: true };
  for (const row of report.rows) sheet.addRow(row);
  // The title and the header row stay in view while scrolling.
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  report.columns.forEach((column, i) => {
    let widest = displayWidth(column);
    for (const row of report.rows)
      widest = Math.max(widest, displayWidth(row[i] === null ? '' : String(row[i])));
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, widest + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Characters as wide as Excel draws them: CJK and full-width ones count twice. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        c,
      )
        ? 2
        : 1;
  return width;
}

/**
 * A worksheet name Excel accepts: at most 31 characters, none of \\ / ? * [ ] :, cut before
 * a bracket or at the last space that fits rather than in the middle of a word.
 */
export function sheetName(title: string): string {
  const clean = title
    .replace(/[\\/?*[\]:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= 31) return clean || 'Sheet1';
  const head = clean.slice(0, 32);
  // Drop a parenthetical that does not fit whole; else cut at the last space.
  const bracket = head.search(/[（(]/);
  const cut = bracket > 0 ? bracket : head.lastIndexOf(' ');
  return (cut > 0 ? clean.slice(0, cut) : clean.slice(0, 31)).trim();
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
