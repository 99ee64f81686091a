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
