// The GraphQL IDE page (/graphql in a browser): GraphiQL with the hub's example queries as tabs,
// the docs panel open (the schema's descriptions are the analysts' data dictionary), and the
// dashboard's bearer token, when this tab has one, as the Authorization header. Written with
// createElement rather than JSX: the dashboard's TypeScript setup is Vue's.
import { createElement as h, useEffect, useState } from 'react';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { EXAMPLES } from './examples';
import { loadSchema, type SchemaSource } from './schemaSource';

/** The key dashboard/src/api/session.ts keeps the signed-in user's token under (this tab only). */
const TOKEN_KEY = 'gongkai.token';

function sessionHeaders(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
};

function SchemaNote({ source }: { source: SchemaSource }) {
  const [text, title] =
    source.origin === 'introspection'
      ? ['文档与补全:服务器内省所得的当前结构', 'Docs and completion: the schema the hub answers to introspection']
      : [
          `文档与补全:构建时内置的公开 API 结构(服务器未开放内省:${source.reason})`,
          'Docs and completion: the public API schema of schema/supergraph.graphql, built into this page (the hub refuses introspection; GONGKAI_INTROSPECTION=1 turns it on)',
        ];
  return h('span', { className: 'ide-note', title, 'data-test': 'schema-source', 'data-origin': source.origin }, text);
}

export function IdeApp() {
  const [source, setSource] = useState<SchemaSource | null>(null);
  const headers = sessionHeaders();
  useEffect(() => {
    void loadSchema(headers).then(setSource);
    // once, on load: the schema does not depend on later header edits
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!source) return h('div', { className: 'ide-loading' }, '正在读取 API 结构…');
  const defaultHeaders = Object.keys(headers).length ? JSON.stringify(headers, null, 2) : undefined;
  return h(
    'div',
    { className: 'ide-shell' },
    h('header', { className: 'ide-bar' }, h('a', { href: '/' }, '← 政务公开监测'), h('strong', null, 'GraphQL 查询台'), h(SchemaNote, { source })),
    h(
      'main',
      { className: 'ide-main' },
      h(GraphiQL, {
        fetcher,
        schema: source.schema,
        defaultTabs: EXAMPLES.map((example) => ({ query: example.query, headers: defaultHeaders })),
        defaultHeaders,
        defaultEditorToolsVisibility: defaultHeaders ? 'headers' : false,
        visiblePlugin: 'Documentation Explorer',
      }),
    ),
  );
}
