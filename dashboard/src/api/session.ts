// The signed-in user's bearer token, for this browser tab only (sessionStorage): closing the tab
// signs out, and no other site's page can read it. What the token lets its holder see is the
// API's to say; the claims shown here only tell the user who they are signed in as.
import { reactive } from 'vue';

const STORAGE_KEY = 'gongkai.token';

export interface TokenClaims {
  subject: string | null;
  region: string | null;
  roles: string[];
  expiresAt: Date | null;
}

function decodeClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(decodeURIComponent(escape(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))))) as Record<string, unknown>;
    const roles = Array.isArray(json.roles) ? json.roles.map(String) : typeof json.roles === 'string' ? json.roles.split(/[ ,]+/) : [];
    return {
      subject: typeof json.sub === 'string' ? json.sub : null,
      region: typeof json.region === 'string' ? json.region : null,
      roles,
      expiresAt: typeof json.exp === 'number' ? new Date(json.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

export const session = reactive({
  token: sessionStorage.getItem(STORAGE_KEY),
  get claims(): TokenClaims | null {
    return this.token ? decodeClaims(this.token) : null;
  },
});

/** Keeps the token for this tab; false when it is not a JWT (header.payload.signature). */
export function signIn(token: string): boolean {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  if (!decodeClaims(trimmed)) return false;
  session.token = trimmed;
  sessionStorage.setItem(STORAGE_KEY, trimmed);
  return true;
}

export function signOut(): void {
  session.token = null;
  sessionStorage.removeItem(STORAGE_KEY);
}
