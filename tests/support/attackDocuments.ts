// Documents built to exhaust the gateway, for the attack matrix (tests/security/queryShape.test.ts)
// and for load tests that send them in a loop while checking that the hub keeps answering.

export interface FragmentBombOptions {
  /** How many fragments spread the next one twice (the expanded document has 2^levels leaves). */
  levels?: number;
  /** The type every fragment is on. */
  on?: string;
  /** The field each fragment selects besides its two spreads. */
  leaf?: string;
  /**
   * The field of the operation that spreads the first fragment: `{ <root> { ...F0 } }`; null
   * spreads it at the operation itself (`{ ...F0 }`, fragments on Query).
   */
  root?: string | null;
}

/**
 * The worst fragment document of issue 13, class 1: fragment F<i> selects a field and spreads
 * F<i+1> twice, `levels` deep — about 1 KB for 23 levels, anonymous, every fragment used, no
 * cycle, valid against the hub's schema. A walk that does not memoise per fragment visits
 * 2^levels spreads; the expanded selection the query planner would see is as large.
 */
export function fragmentBombDocument(options: FragmentBombOptions = {}): string {
  const { levels = 23, on = 'Region', leaf = 'code', root = 'region(code: "430000")' } = options;
  const fragments: string[] = [];
  for (let i = 0; i < levels; i++) fragments.push(`fragment F${i} on ${on} { ${leaf} ...F${i + 1} ...F${i + 1} }`);
  fragments.push(`fragment F${levels} on ${on} { ${leaf} }`);
  const operation = root === null ? '{ ...F0 }' : `{ ${root} { ...F0 } }`;
  return `${operation}\n${fragments.join('\n')}`;
}

/**
 * The same shape on __typename only, which the cost model prices at 0: refused by the size of
 * its expansion, not by its cost.
 */
export function typenameBombDocument(levels = 23): string {
  return fragmentBombDocument({ levels, on: 'Query', leaf: '__typename', root: null });
}
