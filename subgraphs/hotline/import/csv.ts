// A streaming RFC 4180 parser: quoted fields with "" escapes and line breaks inside them, CRLF
// or LF, comma or tab separators. Each record carries the line its first field starts on, so a
// rejected row can be reported by the line number an editor shows.

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvParser {
  private readonly separator: string;
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  /** Just saw a quote inside a quoted field: either an escaped quote or the closing one. */
  private quotePending = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;
  private lastWasCR = false;

  constructor(separator = ',') {
    this.separator = separator;
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const sep = this.separator;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (c === '\n') continue;
      }
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false;
          // fall through: c ends the field or the record, or is stray text after the quote
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n' || (c === '\r' && (this.lastWasCR = true))) {
            this.line++;
            this.field += '\n';
          } else this.field += c;
          continue;
        }
      }
      if (c === sep) {
        this.fields.push(this.field);
        this.field = '';
        this.fieldStarted = true;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') this.lastWasCR = true;
        this.endRecord(out);
        this.line++;
        this.recordLine = this.line;
      } else if (c === '"' && this.field === '') {
        this.quoted = true;
        this.fieldStarted = true;
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.quoted && !this.quotePending) {
      // unterminated quote: keep what there is, the row's validation will say what is wrong
      this.quoted = false;
    }
    this.quoted = false;
    this.quotePending = false;
    this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]): void {
    if (this.fieldStarted || this.field !== '' || this.fields.length > 0) {
      this.fields.push(this.field);
      // a line holding only whitespace is not a record
      if (!(this.fields.length === 1 && this.fields[0]!.trim() === '')) out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
  }
}

/** Quotes a value for a CSV file when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
