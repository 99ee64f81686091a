import { Migration } from '@mikro-orm/migrations';

/** The gateway's registry: municipal subgraphs and the history of composed supergraphs. */
export class Migration20261201000000Registry extends Migration {
  override name = 'Migration20261201000000Registry';

  override up(): void {
    this.addSql(`create schema if not exists registry`);
    this.addSql(`
      create table registry.subgraph (
        name text primary key check (name ~ '^[a-z][a-z0-9_]{1,39}$'),
        url text not null check (url ~ '^https?://'),
        -- the region whose team owns it; null for a national one
        owner_region text collate "C" check (owner_region ~ '^[0-9]{6}$'),
        -- the SDL it was composed with (fetched from url with { _service { sdl } })
        sdl text not null,
        status text not null default 'UNKNOWN' check (status in ('UP', 'DOWN', 'UNKNOWN')),
        last_checked_at timestamptz,
        last_error text,
        registered_by text not null,
        registered_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table registry.supergraph_version (
        version integer primary key check (version > 0),
        supergraph_sdl text not null,
        -- the municipal subgraphs it was composed from: [{ name, url, ownerRegion, sdl }]
        subgraphs jsonb not null,
        -- sha-256 of the hub's own SDLs it was composed with: a gateway whose hub SDLs differ
        -- (a newer release) recomposes from subgraphs instead of serving supergraph_sdl
        hub_digest text not null,
        created_at timestamptz not null default now(),
        created_by text not null,
        note text
      )`);
  }
}
