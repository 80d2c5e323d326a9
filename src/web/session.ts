// Dashboard sessions: a random id in a cookie (HttpOnly, SameSite=Lax, Secure unless the app runs on
// http://localhost; `__Host-` prefixed when Secure), everything else server-side in a SessionStore — Redis
// in production (keys hold a hash of the id, never the id itself), memory in tests. A session unused for
// the idle timeout is gone; signing in starts a new session id (no fixation).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RedisClient } from '../queue/connection.js';
import type { AccessSnapshot } from './access.js';

export interface SignedInUser {
  login: string;
  id: number;
  /** The user-to-server token: never leaves the server. */
  token: string;
  /** When GitHub says the token expires (ms since the epoch); null when it does not. */
  tokenExpiresAt: number | null;
}

export interface SessionData {
  createdAt: number;
  lastSeenAt: number;
  /** The session's CSRF token, checked on every POST. */
  csrf: string;
  /** While signing in: the OAuth `state` sent to GitHub and where to go afterwards. */
  oauth?: { state: string; returnTo: string };
  user?: SignedInUser;
  /** The installations and repositories GitHub listed for the user, and when. */
  access?: AccessSnapshot;
}

export interface SessionStore {
  get(id: string): Promise<SessionData | null>;
  /** Keeps `data` for `ttlMs` (renewed by every set). */
  set(id: string, data: SessionData, ttlMs: number): Promise<void>;
  delete(id: string): Promise<void>;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { json: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  get(id: string): Promise<SessionData | null> {
    const found = this.sessions.get(id);
    if (!found || found.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return Promise.resolve(null);
    }
    return Promise.resolve(JSON.parse(found.json) as SessionData);
  }

  set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    this.sessions.set(id, { json: JSON.stringify(data), expiresAt: this.now() + ttlMs });
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.sessions.delete(id);
    return Promise.resolve();
  }

  /** How many sessions are kept (tests). */
  get size(): number {
    return this.sessions.size;
  }
}

/** Sessions in Redis under `<prefix>:web:session:<sha256 of the id>`, expiring with the idle timeout. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:web:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  async get(id: string): Promise<SessionData | null> {
    const json = await this.redis.get(this.key(id));
    return json === null ? null : (JSON.parse(json) as SessionData);
  }

  async set(id: string, data: SessionData, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(id), JSON.stringify(data), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}

export interface Session {
  id: string;
  data: SessionData;
}

export interface SessionOptions {
  idleMs: number;
  secure: boolean;
  now?: () => number;
}

/** Renew a session's expiry at most this often (a page view need not always write). */
const TOUCH_EVERY_MS = 60_000;

export class Sessions {
  readonly cookieName: string;
  private readonly now: () => number;

  constructor(
    private readonly store: SessionStore,
    private readonly options: SessionOptions,
  ) {
    this.cookieName = options.secure ? '__Host-dockhand_session' : 'dockhand_session';
    this.now = options.now ?? Date.now;
  }

  /** The request's live session (renewing its expiry), or null. */
  async load(req: IncomingMessage): Promise<Session | null> {
    const id = readCookie(req, this.cookieName);
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const data = await this.store.get(id);
    if (!data) return null;
    const now = this.now();
    if (now - data.lastSeenAt >= this.options.idleMs) {
      await this.store.delete(id);
      return null;
    }
    if (data.user?.tokenExpiresAt != null && data.user.tokenExpiresAt <= now) {
      // GitHub's token is dead: the user signs in again.
      await this.store.delete(id);
      return null;
    }
    if (now - data.lastSeenAt >= TOUCH_EVERY_MS) {
      data.lastSeenAt = now;
      await this.store.set(id, data, this.options.idleMs);
    }
    return { id, data };
  }

  /** A new session with a new id (the old one, if any, deleted), its cookie set on `res`. */
  async start(
    res: ServerResponse,
    fields: Partial<SessionData> = {},
    old?: Session | null,
  ): Promise<Session> {
    if (old) await this.store.delete(old.id);
    const now = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      data: { createdAt: now, lastSeenAt: now, csrf: randomBytes(32).toString('base64url'), ...fields },
    };
    await this.store.set(session.id, session.data, this.options.idleMs);
    appendCookie(res, this.cookie(session.id, Math.ceil(this.options.idleMs / 1000)));
    return session;
  }

  async save(session: Session): Promise<void> {
    session.data.lastSeenAt = this.now();
    await this.store.set(session.id, session.data, this.options.idleMs);
  }

  async end(res: ServerResponse, session: Session | null): Promise<void> {
    if (session) await this.store.delete(session.id);
    appendCookie(res, this.cookie('', 0));
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.options.secure ? '; Secure' : '';
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
  }
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function appendCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
  res.setHeader('set-cookie', [...list, cookie]);
}
