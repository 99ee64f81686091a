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

/** The token as pasted, without a "Bearer " prefix or spaces; null when it is not a JWT (header.payload.signature). */
export function pastedToken(pasted: string): string | null {
  const trimmed = pasted.trim().replace(/^Bearer\s+/i, '');
  return decodeClaims(trimmed) ? trimmed : null;
}

/** Keeps a token the gateway accepted for this tab. */
export function signIn(token: string): void {
  session.token = token;
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function signOut(): void {
  session.token = null;
  sessionStorage.removeItem(STORAGE_KEY);
}
