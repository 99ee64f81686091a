// Each subgraph owns its Postgres schema: no subgraph's code may name another's tables.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../lib/config.ts';
import { projectRoot } from '../support/cli.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('schema ownership', () => {
  it.each(SUBGRAPH_NAMES)('the %s subgraph names no other subgraph schema in its SQL', (owner) => {
    const others = SUBGRAPH_NAMES.filter((name) => name !== owner);
    const foreign = new RegExp(`\\b(${others.join('|')})\\.[a-z_]+\\b`, 'g');
    const offences = sourceFiles(join(projectRoot, 'subgraphs', owner)).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(foreign)]
        .map((match) => `${file}: ${match[0]}`)
        // imports of .ts modules are not SQL
        .filter((hit) => !/\.ts$/.test(hit)),
    );
    expect(offences).toEqual([]);
  });
});
