// The hub's example queries (examples/queries/*.graphql), one GraphiQL tab each, in file-name
// order. Each file starts with a comment line saying what it asks (中文 / English); one that
// needs a bearer token says so on a `# token: <roles> <region>` line (e.g. `# token: analyst
// 430000`), which tests/dashboard/exampleQueries.test.ts reads to run it as such a user.
const files = import.meta.glob<string>('../../../examples/queries/*.graphql', { query: '?raw', import: 'default', eager: true });

export interface Example {
  /** The file name, e.g. 01-readme-overview.graphql. */
  file: string;
  query: string;
}

export const EXAMPLES: readonly Example[] = Object.entries(files)
  .map(([path, query]) => ({ file: path.slice(path.lastIndexOf('/') + 1), query }))
  .sort((a, b) => a.file.localeCompare(b.file));

/** Where GraphiQL keeps the open tabs, which it restores instead of the examples given to it. */
const GRAPHIQL_TABS_KEY = 'graphiql:tabState';
/** Which examples the tabs kept in this browser started from. */
export const EXAMPLES_SEEN_KEY = 'gongkai.ide.examples';

/** FNV-1a: only tells one set of examples from another, nothing secret depends on it. */
function fingerprint(examples: readonly Example[]): string {
  let hash = 0x811c9dc5;
  for (const char of examples.map((example) => `${example.file}\n${example.query}`).join('\0')) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

/**
 * A user keeps their tabs from one visit to the next, but after a build with other example
 * queries the IDE opens with the new ones (GraphiQL's history keeps what was run before).
 */
export function forgetTabsOfOtherExamples(examples: readonly Example[] = EXAMPLES): void {
  try {
    const current = fingerprint(examples);
    if (localStorage.getItem(EXAMPLES_SEEN_KEY) === current) return;
    localStorage.removeItem(GRAPHIQL_TABS_KEY);
    localStorage.setItem(EXAMPLES_SEEN_KEY, current);
  } catch {
    // no localStorage (a locked-down browser): GraphiQL then keeps nothing either
  }
}
