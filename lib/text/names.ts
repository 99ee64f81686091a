// Names people enter (agency names and aliases, the agency name a submitted report gives) are
// shown to everyone and compared with each other: one must not be able to pass for another.
// A name is stored in one form — NFKC, trimmed, inner whitespace collapsed to one space — so that
// names that look the same are the same string (全角 ＡＢＣ and ABC, 　 and a space, compatibility
// ideographs and their unified forms), and duplicates are found by plain equality. Characters
// that change how a name is displayed without being seen — bidirectional controls, zero-width
// characters, other invisible formatting characters — are refused: a name that needs one is
// made to deceive.
import { invalidArgument } from '../graphql/errors.ts';

/** Bidirectional controls: embeddings and overrides, isolates, marks (LRM, RLM, ALM). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
/** Zero-width space, non-joiner, joiner; word joiner; zero-width no-break space (BOM). */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/u;
/** Anything else drawn as nothing: format characters, default-ignorable code points (soft hyphen, variation selectors, fillers…). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Control characters other than whitespace (tabs and line breaks are whitespace, collapsed like spaces). */
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/u;

/** Every character of the four kinds above, for dropping them from names read from documents. */
const EVERY_DECEPTIVE = new RegExp([BIDI_CONTROL, ZERO_WIDTH, INVISIBLE, CONTROL].map((pattern) => pattern.source).join('|'), 'gu');

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** What makes a name deceptive, as a message for the client; null when nothing does. */
export function deceptiveCharacter(value: string): string | null {
  const at = (pattern: RegExp): { char: string; index: number } | null => {
    const match = pattern.exec(value);
    return match ? { char: match[0], index: [...value.slice(0, match.index)].length } : null;
  };
  const bidi = at(BIDI_CONTROL);
  if (bidi) {
    return `a bidirectional control character (${codePoint(bidi.char)}) at position ${bidi.index + 1}, which changes the order in which a name is displayed; U+202A–U+202E, U+2066–U+2069, U+200E, U+200F and U+061C are not allowed in names`;
  }
  const zeroWidth = at(ZERO_WIDTH);
  if (zeroWidth) {
    return `a zero-width character (${codePoint(zeroWidth.char)}) at position ${zeroWidth.index + 1}, invisible where the name is shown; U+200B–U+200D, U+2060 and U+FEFF are not allowed in names`;
  }
  const invisible = at(INVISIBLE);
  if (invisible) return `an invisible formatting character (${codePoint(invisible.char)}) at position ${invisible.index + 1}, which is not allowed in names`;
  const control = at(CONTROL);
  if (control) return `a control character (${codePoint(control.char)}) at position ${control.index + 1}, which is not allowed in names`;
  return null;
}

/** The stored form of a name: NFKC, trimmed, every run of whitespace one space. */
export const normaliseName = (value: string): string => value.normalize('NFKC').trim().replace(/\s+/gu, ' ');

/**
 * A name from a client, in its stored form, or BAD_USER_INPUT naming the argument: empty, too
 * long, or holding a character that would make it display as something it is not.
 */
export function nameArgument(argument: string, value: string, maxLength: number): string {
  const problem = deceptiveCharacter(value);
  if (problem) throw invalidArgument(argument, `${argument} contains ${problem}`, { reason: 'DECEPTIVE_NAME' });
  const name = normaliseName(value);
  // NFKC maps no visible character to one of those above; checked again all the same.
  const after = deceptiveCharacter(name);
  if (after) throw invalidArgument(argument, `${argument} contains ${after}`, { reason: 'DECEPTIVE_NAME' });
  if (name.length === 0) throw invalidArgument(argument, `${argument} must not be empty`);
  if ([...name].length > maxLength) throw invalidArgument(argument, `${argument} is limited to ${maxLength} characters`);
  return name;
}

/**
 * A name read from a document or an import file, for looking it up among stored names: the
 * invisible characters dropped (a document is not refused for them), then the stored form.
 */
export const lookupName = (value: string): string => normaliseName(value.replace(EVERY_DECEPTIVE, ''));

/** A search string, in the form names are stored in (ＡＢＣ finds ABC); as given if nothing of it is left. */
export const searchForm = (value: string): string => lookupName(value) || value;
