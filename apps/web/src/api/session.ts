/**
 * The signed-in session: tokens kept in localStorage so the offline outbox can still send
 * after the browser was closed (a refresh token lives 14 days; logout ends it on the server).
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  mustChangePassword: boolean;
}

const KEY = 'saolou.session';
type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = read();
/** True once a refresh failed: the page shows a sign-in dialog over what the user was doing. */
let expired = false;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export const sessionStore = {
  get: () => current,
  isExpired: () => expired,
  set(session: Session | null) {
    current = session;
    expired = false;
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  markExpired() {
    expired = true;
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
