// How a stored report version is read back: one column list for every query that returns
// reports, so that every resolver sees the same shape.
export interface ReportRow {
  id: number;
  agency_id: number;
  region_code: string;
  year: number;
  version: number;
  format: string | null;
  published_on: string | null;
  agency_name: string | null;
  document_id: number | null;
  correction_note: string | null;
  data_origin: string;
  /** ISO 8601 text */
  submitted_at: string;
  superseded_at: string | null;
  is_late: boolean | null;
  /** The extractor's self-check, null unless the version was read from a document by it. */
  self_check_template: string | null;
  self_check_coverage: number | null;
  self_check_consistency: number | null;
  self_check_identities: number | null;
}

/** Timestamps leave the database as ISO 8601 text, whatever the driver's type parsing. */
export const isoTimestamp = (column: string): string => `(to_json(${column}) #>> '{}')`;

export const REPORT_COLUMNS = `r.id, r.agency_id, r.region_code, r.year, r.version, r.format,
  to_char(r.published_on, 'YYYY-MM-DD') as published_on, r.agency_name, r.document_id, r.correction_note,
  r.data_origin, ${isoTimestamp('r.submitted_at')} as submitted_at, ${isoTimestamp('r.superseded_at')} as superseded_at, r.is_late,
  r.self_check_template, r.self_check_coverage, r.self_check_consistency, r.self_check_identities`;

export interface FigureRow {
  report_id: number;
  key: string;
  value: number;
  approx: boolean;
  source_text: string | null;
  source_start: number | null;
  source_end: number | null;
}

export interface FlagRow {
  id: number | null;
  report_id: number | null;
  agency_id: number;
  year: number;
  code: string;
  severity: 'INFO' | 'WARNING' | 'ERROR';
  message: string;
  figure_keys: string[];
  details: Record<string, unknown>;
}
