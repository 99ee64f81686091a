// Counts the SQL statements the process sends, so tests and the benchmark can prove that a
// GraphQL request costs a bounded number of statements however many regions it touches.
let total = 0;

export const countStatement = (): void => {
  total++;
};

export const statementsSoFar = (): number => total;

/** Runs `work` and returns how many statements it sent (meaningful only with no concurrent work). */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = total;
  const result = await work();
  return { result, statements: total - before };
}
