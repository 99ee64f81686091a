// The official statistical tables as data. A template names its rows (label and the variants
// publishers print), the figure key of every cell (docs/figures.md) and the identities that hold
// between cells. Everything the table reader knows about a table is here: it has no rule of its
// own about any row, column or publisher.

export interface TemplateRow {
  id: string;
  /** the label as the official template prints it first, then the variants seen in practice */
  labels: string[];
  /** the figure key of each column (null: the cell has no key); rows sharing a key are summed */
  keys: Array<string | null>;
  /** a row many publishers leave out or print without values: missing it lowers no coverage */
  optional?: boolean;
  /** the rows this row is the subtotal of (a subtotal = the sum of its parts, per column) */
  parts?: string[];
}

export type IdentitySpec =
  /** in every row the last column is the sum of the others (总计 = the applicant columns) */
  | { kind: 'rowTotal' }
  /** per column: the rows on the left add up to the rows on the right (新收 + 上年结转 = 总计 + 结转下年度) */
  | { kind: 'balance'; left: string[]; right: string[] }
  /** per column: total = the sum of the parts; a subtotal part that is not printed counts as its own parts */
  | { kind: 'partsSum'; total: string; parts: string[] }
  /** per column: the parts add up to at most the whole (channels of a total that has more channels) */
  | { kind: 'partsAtMost'; whole: string; parts: string[] }
  /** in every row: one column is at most another (本年 ≤ 历年累计) */
  | { kind: 'columnAtMost'; lower: number; upper: number };

export type SectionId = 'art20' | 'applications' | 'review' | 'statTable';

export interface TableTemplate {
  id: string;
  /** the format era the table belongs to, where only one era prints it */
  era?: 'PRE2019_TABLE' | 'STD2019' | 'STD2021';
  /** what the table is called in the official template */
  title: string;
  /** the report section the table is printed in */
  section: SectionId;
  columns: string[];
  rows: TemplateRow[];
  identities: IdentitySpec[];
  /**
   * The rows are often printed side by side as one line of values under a header (the
   * review/litigation table): the values of the whole section are then read as one row.
   */
  wide?: boolean;
  /** header words that tell this template from another of the same section */
  headerWords?: RegExp;
}
