/** A LIKE pattern matching `search` anywhere, with the user's own % and _ taken literally. */
export const likeContains = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
