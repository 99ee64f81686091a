// Dates as reports and their pages write them: 2014-01-10, 2019年03月27日, 2023 年 1 月 1 日
// (pdftotext), ２０１４年１月１０日 (full-width), 二○一四年一月十日 / 二〇一三年一月二十日 (Chinese
// numerals, with ○, 〇, 零 or a Latin O for zero).

/** Full-width digits to ASCII. Same length as the input, so offsets stay valid. */
export function asciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48));
}

const ZERO = '〇○零OＯ0';
const DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function digitOf(c: string): number | null {
  if (ZERO.includes(c)) return 0;
  if (c >= '0' && c <= '9') return Number(c);
  return DIGIT[c] ?? null;
}

/** A year written digit by digit (二○一二, 二0一三): its number, or null. */
export function chineseYear(s: string): number | null {
  if (s.length !== 4) return null;
  let n = 0;
  for (const c of s) {
    const d = digitOf(c);
    if (d === null) return null;
    n = n * 10 + d;
  }
  return n >= 1900 && n <= 2100 ? n : null;
}

/** 一 … 三十一 (also 元 for the first month, 廿/卅 for 20/30). */
export function chineseSmallNumber(s: string): number | null {
  if (s === '元') return 1;
  const m = /^(?:([二三])?(十)|(廿)|(卅))?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  let tens = 0;
  if (m[2]) tens = m[1] ? DIGIT[m[1]]! : 1;
  else if (m[3]) tens = 2;
  else if (m[4]) tens = 3;
  const units = m[5] ? DIGIT[m[5]]! : 0;
  const n = tens * 10 + units;
  return n > 0 ? n : null;
}

const CN_YEAR = `[${ZERO}0-9一二三四五六七八九]{4}`;
const CN_SMALL = '(?:[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅[一]?|[一二三四五六七八九]|元)';

/** A full date (year, month and day) in Arabic or Chinese numerals; `g` flag, capture groups fixed. */
export const DATE_PATTERN = new RegExp(
  `(\\d{4})\\s*[-年./]\\s*(\\d{1,2})\\s*[-月./]\\s*(\\d{1,2})(?:\\s*日)?|(${CN_YEAR})\\s*年\\s*(${CN_SMALL})\\s*月\\s*(${CN_SMALL})\\s*日`,
  'g',
);

const pad = (n: number) => String(n).padStart(2, '0');

/** The ISO date of a DATE_PATTERN match, or null when it is not a real calendar date. */
export function isoOf(m: RegExpExecArray | RegExpMatchArray): string | null {
  let y: number | null, mo: number | null, d: number | null;
  if (m[1]) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    y = chineseYear(m[4]!);
    mo = chineseSmallNumber(m[5]!);
    d = chineseSmallNumber(m[6]!);
  }
  if (y === null || mo === null || d === null) return null;
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}
