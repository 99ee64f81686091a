// Schema drift: a municipal subgraph redeployed with another SDL than the one it was registered
// (and composed) with. The gateway's query plans still ask it for what the registered SDL has —
// a field it dropped fails its whole answer — so the health check compares the two, and a
// drifted subgraph is not called until it matches again or is re-registered.
import { parse, print, type DefinitionNode } from 'graphql';

/**
 * The SDL as printed by graphql-js, its top-level definitions sorted: whitespace, comments and
 * the order of its types do not count as changes; anything else (a field, a type, an argument,
 * a description, a directive) does.
 */
export function normaliseSdl(sdl: string): string {
  const document = parse(sdl, { noLocation: true });
  const printed = document.definitions.map((definition: DefinitionNode) => print(definition));
  return printed.sort().join('\n\n');
}

/** Whether the SDL a subgraph answers now differs from the one registered; an SDL that does not parse has drifted. */
export function sdlDrifted(registered: string, live: string): boolean {
  let now: string;
  try {
    now = normaliseSdl(live);
  } catch {
    return true;
  }
  try {
    return normaliseSdl(registered) !== now;
  } catch {
    // the registered one composed, so it parses; a stored one that does not is compared as text
    return registered.trim() !== live.trim();
  }
}
