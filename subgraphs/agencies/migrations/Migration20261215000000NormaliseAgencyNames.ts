import { Migration } from '@mikro-orm/migrations';
import { lookupName } from '../../../lib/text/names.ts';

type Run = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Agency names and aliases are stored normalised from now on (NFKC, trimmed, whitespace
 * collapsed; lib/text/names.ts), and names with bidirectional controls or zero-width characters
 * are refused. This brings the names stored before into that form: the invisible characters
 * dropped, then normalised. Duplicates are found by equality of the stored form, so two agencies
 * of a region whose names become the same — one made to look like the other — cannot both keep
 * it: the name that was already in its normal form keeps it (else the lowest id), and the other
 * becomes `name (#id)`, for an editor to see and correct. Returns what it changed.
 */
export async function normaliseStoredAgencyNames(run: Run): Promise<{ id: number; from: string; to: string }[]> {
  const rows = (await run(`select id, region_code, name, aliases from agencies.agency order by id`)) as {
    id: number;
    region_code: string;
    name: string;
    aliases: string[] | null;
  }[];
  const target = new Map(rows.map((row) => [row.id, lookupName(row.name) || `agency #${row.id}`]));
  const taken = new Set<string>();
  const key = (region: string, name: string) => `${region}\u0000${name}`;
  // Names already normal keep them; then the others, oldest first.
  const order = [...rows.filter((r) => target.get(r.id) === r.name), ...rows.filter((r) => target.get(r.id) !== r.name)];
  const changed: { id: number; from: string; to: string; aliases: string[] }[] = [];
  for (const row of order) {
    let name = target.get(row.id)!;
    for (let n = 0; taken.has(key(row.region_code, name)); n++) name = `${target.get(row.id)!} (#${row.id}${n ? `-${n}` : ''})`;
    taken.add(key(row.region_code, name));
    const aliases = [...new Set((row.aliases ?? []).map(lookupName).filter((alias) => alias.length > 0))];
    const aliasesChanged = aliases.length !== (row.aliases ?? []).length || aliases.some((alias, i) => alias !== row.aliases![i]);
    if (name !== row.name || aliasesChanged) changed.push({ id: row.id, from: row.name, to: name, aliases });
  }
  // Renamed rows take names no row keeps: no statement breaks the unique (region_code, name).
  for (const change of changed) {
    await run(`update agencies.agency set name = $2, aliases = $3::text[], updated_at = now() where id = $1`, [change.id, change.to, change.aliases]);
  }
  return changed.map(({ id, from, to }) => ({ id, from, to }));
}

export class Migration20261215000000NormaliseAgencyNames extends Migration {
  override name = 'Migration20261215000000NormaliseAgencyNames';

  override async up(): Promise<void> {
    await normaliseStoredAgencyNames((text, params) => this.execute(text, params));
  }
}
