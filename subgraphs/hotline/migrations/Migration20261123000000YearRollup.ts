import { Migration } from '@mikro-orm/migrations';

/**
 * The year rollup: the hotline figures of every region for every calendar year, computed ahead
 * (subgraphs/hotline/rollups/yearRollup.ts, docs/performance.md). Aggregating a province's
 * 200 000 tickets of a year with exact medians costs a second; reading its stored rows costs
 * milliseconds.
 *
 * Stale rows must never be served, whichever way tickets change (import, sample, seed, a
 * hand-written UPDATE): triggers on hotline.ticket bump the generation of every (province, year)
 * a statement touches, old and new values alike, in the writing transaction itself. A refresh
 * records the generation it computed; rows count as current only while the two are equal.
 * Existing tickets get their (province, year) recorded here as stale, for
 * `gongkai hotline refresh-rollups`.
 */
export class Migration20261123000000YearRollup extends Migration {
  override name = 'Migration20261123000000YearRollup';

  override up(): void {
    this.addSql(`
      create table hotline.year_rollup (
        year smallint not null,
        subtree boolean not null,
        key text collate "C" not null,
        g smallint not null,
        lvl text,
        category_code text,
        line_code text,
        channel_code text,
        as_of timestamptz,
        received int not null,
        direct int not null,
        referred int not null,
        resolved int not null,
        resolved_on_time int not null,
        resolved_with_due int not null,
        overdue int not null,
        rated int not null,
        satisfied int not null,
        basically_satisfied int not null,
        dissatisfied int not null,
        median_hours double precision,
        p90_hours double precision
      )`);
    this.addSql(`create index year_rollup_key_idx on hotline.year_rollup (year, subtree, key)`);
    this.addSql(`
      create table hotline.year_rollup_state (
        province_prefix char(2) not null,
        year smallint not null,
        generation bigint not null default 1,
        refreshed_generation bigint,
        refreshed_at timestamptz,
        primary key (province_prefix, year)
      )`);
    this.addSql(`
      create function hotline.year_rollup_touched() returns trigger language plpgsql as $$
      begin
        -- the (province, year) of every row the statement wrote, before and after
        if tg_op = 'INSERT' then
          insert into hotline.year_rollup_state as s (province_prefix, year)
          select distinct left(region_code, 2), extract(year from received_at at time zone 'Asia/Shanghai')::smallint from new_rows
          on conflict (province_prefix, year) do update set generation = s.generation + 1;
        elsif tg_op = 'DELETE' then
          insert into hotline.year_rollup_state as s (province_prefix, year)
          select distinct left(region_code, 2), extract(year from received_at at time zone 'Asia/Shanghai')::smallint from old_rows
          on conflict (province_prefix, year) do update set generation = s.generation + 1;
        else
          insert into hotline.year_rollup_state as s (province_prefix, year)
          select distinct left(c.region_code, 2), extract(year from c.received_at at time zone 'Asia/Shanghai')::smallint
            from new_rows n join old_rows o on o.id = n.id
            cross join lateral (values (n.region_code, n.received_at), (o.region_code, o.received_at)) as c(region_code, received_at)
           where (n.region_code, n.received_at, n.agency_id, n.due_at, n.resolved_at, n.satisfaction, n.dispatch_mode,
                  n.line_code, n.category_code, n.channel_code)
                 is distinct from
                 (o.region_code, o.received_at, o.agency_id, o.due_at, o.resolved_at, o.satisfaction, o.dispatch_mode,
                  o.line_code, o.category_code, o.channel_code)
          on conflict (province_prefix, year) do update set generation = s.generation + 1;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger year_rollup_insert after insert on hotline.ticket referencing new table as new_rows
                   for each statement execute function hotline.year_rollup_touched()`);
    this.addSql(`create trigger year_rollup_update after update on hotline.ticket referencing old table as old_rows new table as new_rows
                   for each statement execute function hotline.year_rollup_touched()`);
    this.addSql(`create trigger year_rollup_delete after delete on hotline.ticket referencing old table as old_rows
                   for each statement execute function hotline.year_rollup_touched()`);
    this.addSql(`
      create function hotline.year_rollup_truncated() returns trigger language plpgsql as $$
      begin
        truncate hotline.year_rollup, hotline.year_rollup_state;
        return null;
      end $$`);
    this.addSql(`create trigger year_rollup_truncate after truncate on hotline.ticket
                   for each statement execute function hotline.year_rollup_truncated()`);
    this.addSql(`
      insert into hotline.year_rollup_state (province_prefix, year)
      select distinct left(region_code, 2), extract(year from received_at at time zone 'Asia/Shanghai')::smallint from hotline.ticket`);
  }
}
