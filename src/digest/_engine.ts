// The Digest engine shared by the openapi-fetch middleware and the fetch wrapper: it prepares a
// request (Authorization up front when a nonce is known), and turns the response into the final one
// (retries on 401, redirects followed by hand so credentials never leave the origin).
import { authorizationSteps, warmAuthorization } from "./_authorization.ts";
import { type DigestChallenge, selectChallenge } from "./_challenge.ts";
import { type BytesHash, cnonceHex, type HashSteps, runHashSteps } from "./_hash.ts";
import { baseHashOf, secretInput } from "./_response.ts";
import { hold } from "./_hold.ts";
import { redirectTarget } from "./_redirect.ts";
import { Lease, OriginSession, type Verdict } from "./_session.ts";
import type { DigestAuthOptions } from "./options.ts";

/** Sends one request (a fetch that is always given a Request). */
export type Send = (request: Request) => Promise<Response>;

/** The final response, and whether it is a 401 for rejected credentials. */
export interface Outcome {
  response: Response;
  rejected: boolean;
}

const MAX_REDIRECTS = 20;
const encoder = new TextEncoder();
/** A status the engine follows when the caller asked for redirects to be followed. */
const isRedirect = (status: number): boolean =>
  (status > 300 && status < 304) || status === 307 || status === 308;
const MAX_ORIGINS = 256;
/** Cached H(username:realm:password) values, per base hash and realm. */
const MAX_SECRETS = 64;

/** Cancels a body we do not hand on; a body that already failed is no concern of ours. */
const discard = (response: Response): Promise<void> | undefined =>
  response.body?.cancel().catch(() => {});

/** One call: the request as the caller made it, and where its Digest dance stands. */
export class Attempt {
  /** The URL without an empty query (runtimes disagree on sending a bare `?`). */
  declare readonly url: string;
  declare readonly origin: string;
  declare readonly method: string;
  /** The request target as sent on the wire: path and query, no fragment. */
  declare readonly uri: string;
  /** No signal can abort the call's requests (see {@linkcode KnownRequest}). */
  declare readonly unsignalled: boolean;
  /** We follow redirects ourselves (the caller asked for `redirect: "follow"`). */
  declare readonly follow: boolean;
  declare readonly hops: number;
  /** Away from the caller's origin: sent without credentials, its redirects followed likewise. */
  declare readonly anonymous: boolean;
  /** Not ours to handle (not http(s), or the caller set Authorization). */
  declare readonly passthrough: boolean;
  /** The request as the caller made it; its body, once read (see `#spare`), is in `bytes`. */
  declare readonly source: Request;
  declare lease: Lease | undefined;
  /** The first request to send. */
  declare request: Request;
  /**
   * The caller's request and its signal, which every request of the call follows directly (not
   * through copies, see _hold.ts); and the last request sent, which the runtime's fetch follows.
   */
  declare readonly caller: Request;
  declare sent: Request | undefined;
  /** Whether the last request sent carried Authorization, and with which nc. */
  authenticated = false;
  nc = 0;
  /**
   * The body, once read (or known as a string or bytes): every later send carries it again. A
   * string is encoded only when one needs its bytes.
   */
  #body: string | Uint8Array<ArrayBuffer> | undefined;
  /**
   * A clone of the caller's request, made before its body went out: read only when a later send
   * (a retry, a redirect) or qop `auth-int` needs the body. Most calls never read it.
   */
  #spare: Request | undefined;
  /** The caller's request (bodyless, not following redirects) went out itself. */
  #sourceSent = false;
  /** The request as made follows redirects by itself: every send is a copy that does not. */
  declare readonly sourceFollows: boolean;
  /** The last request sent asked for a fresh challenge after an nc rejection. */
  probing = false;
  readonly used = { challenge: false, stale: false, nc: false };

  /**
   * `known`: what the caller already knows (createDigestFetch): whether to follow redirects (the
   * request itself then does not), and the body bytes. `anonymous`: a hop away from the caller's
   * origin, sent without credentials.
   */
  constructor(request: Request, hops: number, known?: KnownRequest, anonymous = false) {
    this.caller = request;
    let url = request.url;
    if (url.endsWith("?")) {
      url = url.slice(0, -1);
      request = new Request(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: request.redirect,
        signal: request.signal,
        duplex: "half",
      } as RequestInit);
    }
    // A serialised http(s) URL: scheme "://" host [":" port] "/" path ["?" query] ["#" fragment].
    const path = url.indexOf("/", url.indexOf("//") + 2);
    const hash = url.indexOf("#");
    this.url = url;
    this.origin = url.slice(0, path);
    this.uri = hash < 0 ? url.slice(path) : url.slice(path, hash);
    this.method = request.method;
    const follows = this.sourceFollows = request.redirect === "follow";
    this.follow = known ? known.follow : follows;
    this.unsignalled = known?.unsignalled === true;
    this.#body = known?.body;
    this.hops = hops;
    this.anonymous = anonymous;
    this.passthrough = !(url.startsWith("http:") || url.startsWith("https:")) ||
      request.headers.has("authorization");
    this.source = this.request = request;
    if (this.passthrough && this.follow && !follows) {
      this.request = new Request(request, { redirect: "follow", signal: this.signal });
    }
  }

  /** The caller's signal (asked for only when needed: a runtime may make it on demand). */
  get signal(): AbortSignal {
    return this.caller.signal;
  }

  /** The body bytes, when the request has a body. */
  get bytes(): Uint8Array<ArrayBuffer> | undefined {
    const body = this.#body;
    return typeof body === "string" ? (this.#body = encoder.encode(body)) : body;
  }

  /**
   * Keeps the body for later sends, unread: a method that may carry one, and no body known yet.
   * (`Request.body` is not asked: a runtime may turn a string body into a stream for it.)
   */
  keep(): void {
    const method = this.method;
    if (this.#body === undefined && method !== "GET" && method !== "HEAD") {
      this.#spare = this.source.clone();
    }
  }

  /** The body is kept unread: {@linkcode read} it before a send that needs it. */
  get unread(): boolean {
    return this.#spare !== undefined;
  }

  /** Reads the kept body once (when there is one), so that every later send can carry it. */
  async read(): Promise<void> {
    const spare = this.#spare!;
    const buffer = await spare.arrayBuffer();
    this.#spare = undefined;
    // Reading a null body leaves it unused: there was none.
    if (spare.bodyUsed) this.#body = new Uint8Array(buffer);
  }

  /**
   * A request to send now, with or without Authorization. Every copy follows the caller's signal
   * directly (see _hold.ts).
   */
  take(authorization?: string): Request {
    const source = this.source;
    const follows = this.sourceFollows;
    let request = source;
    if (this.#sourceSent || follows || source.bodyUsed) {
      const init: RequestInit = { signal: this.signal };
      if (follows) init.redirect = "manual";
      if (this.#body !== undefined) init.body = this.bytes!;
      request = new Request(source, init);
    } else {
      // Not following redirects by itself, body unread: the caller's request goes out as it is
      // (the first time; the bytes serve any later send).
      this.#sourceSent = true;
    }
    if (authorization) request.headers.set("authorization", authorization);
    else if (this.#sourceSent) request.headers.delete("authorization");
    return this.sent = request;
  }
}

/** What createDigestFetch knows of a request before the engine sees it. */
export interface KnownRequest {
  /** Follow redirects (by hand: the request is made with `redirect: "manual"`). */
  follow: boolean;
  /** The body, when it was a string or bytes (a string is encoded only when needed). */
  body: string | Uint8Array<ArrayBuffer> | undefined;
  /** No signal can abort the request (none was given): nothing to keep alive for one. */
  unsignalled?: boolean;
}

type Checked = Required<Omit<DigestAuthOptions, "sha512_256">> & {
  sha512_256: BytesHash | undefined;
};

/** Checks the options and returns them normalised. */
export function checkOptions(options: DigestAuthOptions): Checked {
  const fail = (what: string, must = "a non-empty string"): never => {
    throw new TypeError(`Cannot set up Digest authentication: ${what} must be ${must}`);
  };
  if (typeof options !== "object" || !options) fail("options", "an object");
  const { username, password, sha512_256, maxNonces = 32 } = options;
  if (typeof username !== "string" || !username) fail("username");
  if (typeof password !== "string" || !password) fail("password");
  if (sha512_256 !== undefined && typeof sha512_256 !== "function") {
    fail("sha512_256", 'a function such as sha512_256 from "@noble/hashes/sha2.js"');
  }
  if (!Number.isInteger(maxNonces) || maxNonces < 1) fail("maxNonces", "a positive integer");
  return { username, password, sha512_256, maxNonces };
}

/** The Digest client: sessions per origin, and the steps of one call. */
export class DigestEngine {
  readonly #options: Checked;
  readonly #sessions = new Map<string, OriginSession>();
  /** H(username:realm:password) per base hash and realm: as secret as the password. */
  readonly #secrets = new Map<string, string>();
  #lastOrigin: string | undefined;
  #lastSession: OriginSession | undefined;

  constructor(options: DigestAuthOptions) {
    this.#options = checkOptions(options);
  }

  /** The session of an origin. */
  #session(origin: string): OriginSession {
    const sessions = this.#sessions;
    // The origin used last is already last in the map.
    if (origin === this.#lastOrigin) return this.#lastSession!;
    let session = sessions.get(origin);
    if (session) {
      // Most recently used last, so the oldest goes first when the map is full.
      sessions.delete(origin);
    } else {
      session = new OriginSession(this.#options.maxNonces);
      if (sessions.size >= MAX_ORIGINS) sessions.delete(sessions.keys().next().value!);
    }
    sessions.set(origin, session);
    this.#lastOrigin = origin;
    this.#lastSession = session;
    return session;
  }

  /**
   * Waits for its turn, then prepares the first request of a call (Authorization when known). At
   * once, without a promise, when nothing needs waiting for (a warm origin, MD5, no body to read).
   */
  begin(request: Request, hops = 0, known?: KnownRequest): Attempt | Promise<Attempt> {
    const attempt = new Attempt(request, hops, known);
    if (attempt.passthrough) return attempt;
    attempt.keep();
    return this.#enter(attempt);
  }

  /** Takes the call's hold on its origin, then prepares its first request. */
  #enter(attempt: Attempt): Attempt | Promise<Attempt> {
    const lease = this.#session(attempt.origin).acquire(attempt);
    if (!(lease instanceof Lease)) {
      return lease.then((lease) => {
        attempt.lease = lease;
        return this.#first(attempt);
      });
    }
    attempt.lease = lease;
    return this.#first(attempt);
  }

  /** Prepares the first request of a call that holds its lease. */
  #first(attempt: Attempt): Attempt | Promise<Attempt> {
    let first: Request | Promise<Request>;
    try {
      first = this.#prepare(attempt, true);
    } catch (error) {
      this.abandon(attempt);
      throw error;
    }
    if (first instanceof Request) {
      attempt.request = first;
      return attempt;
    }
    return first.then((request) => {
      attempt.request = request;
      return attempt;
    }, (error) => {
      this.abandon(attempt);
      throw error;
    });
  }

  /**
   * Turns the response to the first request into the final one: retries on 401 through `send`,
   * follows redirects. A 401 that survives the retries comes back with `rejected: true`. At once,
   * without a promise, for a response that is neither a 401 nor a redirect to follow.
   */
  complete(attempt: Attempt, first: Response, send: Send): Outcome | Promise<Outcome> {
    const lease = attempt.lease;
    if (!lease) return { response: first, rejected: false };
    const status = first.status;
    if (status === 401 || (attempt.follow && isRedirect(status))) {
      return this.#complete(attempt, lease, first, send);
    }
    lease.finish("ok", attempt.authenticated);
    // A copy was sent: it must live as long as the response (see _hold.ts).
    if (!attempt.unsignalled && attempt.sent !== attempt.caller) hold(first, attempt);
    return { response: first, rejected: false };
  }

  async #complete(attempt: Attempt, lease: Lease, first: Response, send: Send): Promise<Outcome> {
    let response = first;
    try {
      while (response.status === 401) {
        const next = await this.#retry(attempt, lease, response);
        if (!next) {
          lease.finish("rejected", true);
          hold(response, attempt);
          return { response, rejected: true };
        }
        response = await send(next);
      }
      lease.finish("ok", attempt.authenticated);
      hold(response, attempt);
      if (attempt.follow && isRedirect(response.status)) {
        const location = response.headers.get("location");
        if (location !== null) return await this.#redirect(attempt, response, location, send);
      }
      return { response, rejected: false };
    } catch (error) {
      lease.finish("failed", false);
      throw error;
    }
  }

  /** Releases what a call holds when it ends without a response (network error, abort). */
  abandon(attempt: Attempt): void {
    attempt.lease?.finish("failed", false);
  }

  /** The next request of a call: with Authorization from the lease's nonce, or without. */
  #prepare(attempt: Attempt, authenticate: boolean): Request | Promise<Request> {
    const lease = attempt.lease!;
    const slot = lease.slot;
    attempt.authenticated = authenticate && !!slot;
    if (!slot || !authenticate) return attempt.take();
    if (slot.challenge.qop === "auth-int" && attempt.unread) {
      // The body goes into the hash: read it first.
      return attempt.read().then(() => this.#prepare(attempt, authenticate));
    }
    const nc = attempt.nc = slot.nextNc();
    lease.sent();
    const challenge = slot.challenge;
    const warm = warmAuthorization(
      challenge,
      this.#options.username,
      attempt.method,
      attempt.uri,
      nc,
    );
    if (warm !== undefined) return attempt.take(warm);
    const header = runHashSteps(
      baseHashOf(challenge.algorithm),
      this.#authorization(attempt, challenge, nc),
      this.#options.sha512_256,
    );
    return typeof header === "string" ? attempt.take(header) : header.then((h) => attempt.take(h));
  }

  /** The steps of an Authorization header, with H(A1) kept per base hash and realm. */
  *#authorization(attempt: Attempt, challenge: DigestChallenge, nc: number): HashSteps<string> {
    const options = this.#options;
    const key = `${challenge.algorithm} ${challenge.realm}`;
    const secrets = this.#secrets;
    let ha1 = secrets.get(key);
    if (!ha1) {
      ha1 = yield secretInput(options.username, challenge.realm, options.password);
      if (secrets.size >= MAX_SECRETS) secrets.clear();
      secrets.set(key, ha1);
    }
    return yield* authorizationSteps({
      username: options.username,
      password: options.password,
      challenge,
      ha1,
      method: attempt.method,
      uri: attempt.uri,
      nc,
      cnonce: cnonceHex(),
      body: challenge.qop === "auth-int" ? attempt.bytes ?? new Uint8Array() : undefined,
    });
  }

  /** The request to send after a 401, or undefined when the call must give up. */
  async #retry(attempt: Attempt, lease: Lease, response: Response): Promise<Request | undefined> {
    lease.answered();
    const session = lease.session;
    const signal = attempt.signal;
    let challenge: DigestChallenge;
    try {
      challenge = selectChallenge(response.headers.get("www-authenticate"), {
        method: attempt.method,
        url: attempt.url,
        status: 401,
        sha512_256: this.#options.sha512_256,
      });
    } catch (error) {
      await discard(response);
      throw error;
    }
    const used = attempt.used;
    const slot = lease.slot;
    // A challenge that repeats the opaque is tied to the same nc counter (Apache): a nonce of one's
    // own then takes a fresh challenge, asked for without Authorization.
    const repeated = challenge.opaque !== undefined && challenge.opaque === slot?.challenge.opaque;
    let verdict: Verdict | undefined;
    if (!attempt.authenticated) {
      // The first try without Authorization, or the probe for a fresh challenge.
      if (!attempt.probing) {
        if (used.challenge) return;
        used.challenge = true;
      }
    } else if (session.resolver === lease) {
      // Checking the credentials alone failed: wrong credentials, unless the nonce was spent.
      verdict = await session.verdict(lease, challenge, false, repeated ? 1 : 2, signal);
      if (verdict === "rejected") return;
    } else if (challenge.stale && !used.stale) {
      used.stale = true;
      lease.retire();
    } else if (
      !used.nc && slot && (slot.contended || (session.verified && attempt.nc > 1))
    ) {
      // Maybe rejected for its nc (a strict server and a shared nonce). Before the credentials are
      // known to work, wait to hear whether they do.
      used.nc = true;
      verdict = session.verified
        ? "nc"
        : await session.verdict(lease, challenge, !used.challenge, 0, signal);
    } else if (!used.challenge) {
      used.challenge = true;
      lease.retire();
    } else {
      return;
    }
    // Next: 0 = authenticate on the challenge, 1 = on the nonce held, 2 = ask for a fresh challenge.
    let next = 0;
    if (verdict === "rejected") {
      if (used.challenge) return;
      used.challenge = true;
      lease.retire();
    } else if (verdict) {
      // Retry on a nonce of its own. This retry also stands for the authenticated retry.
      used.challenge = true;
      if (typeof verdict === "object" || lease.seat) {
        // Checking the credentials alone, or a lane of the pool rejected for its nc: the lane
        // moves to the challenge's nonce (same opaque, a count of its own from 1).
        lease.retire();
        if (typeof verdict === "object") challenge = verdict;
      } else {
        // Off the shared nonce. Rejected for its nc: the origin checks nc in order (the shared
        // nonce becomes a lane of the pool once its other requests are back); this request takes
        // a free lane, or builds one, or waits in line.
        // A 401 that repeats the opaque gave this request nothing of its own (Apache counts per
        // opaque); one with a fresh opaque gave it a nonce of its own.
        if (repeated) slot!.rechallenge = challenge;
        if (verdict === "nc") session.learnStrict();
        lease.leave();
        if (session.strict && (repeated || verdict === "probe")) {
          await session.seat(lease, signal, true);
        }
        if (lease.slot) next = 1;
        else {
          lease.own = true;
          if (verdict === "probe" || repeated) next = 2;
        }
      }
    }
    // The body for the retry, read before the challenge lets the others go: the retry leaves first.
    if (attempt.unread) await attempt.read();
    await discard(response);
    if (!next) lease.adopt(challenge);
    attempt.probing = next > 1;
    return await this.#prepare(attempt, next < 2);
  }

  /** Follows a redirect: Authorization afresh on the same origin, none anywhere else. */
  async #redirect(
    attempt: Attempt,
    response: Response,
    location: string,
    send: Send,
  ): Promise<Outcome> {
    await discard(response);
    const { method, source } = attempt;
    if (attempt.hops >= MAX_REDIRECTS) {
      throw new TypeError(
        `Cannot follow redirects of ${method} ${attempt.url}: more than ${MAX_REDIRECTS}`,
      );
    }
    const status = response.status;
    const target = redirectTarget(location, attempt.url, method, status);
    const toGet = status === 303
      ? method !== "GET" && method !== "HEAD"
      : status < 303 && method === "POST";
    if (!toGet && attempt.unread) await attempt.read();
    const headers = new Headers(source.headers);
    // Ours, when the caller's request went out carrying it: each hop gets its own, or none.
    headers.delete("authorization");
    if (toGet) {
      for (const name of ["type", "length", "encoding", "language", "location"]) {
        headers.delete(`content-${name}`);
      }
    }
    const next = new Request(target, {
      method: toGet ? "GET" : method,
      headers,
      body: toGet ? null : attempt.bytes ?? null,
      signal: attempt.signal,
    });
    let outcome: Outcome;
    if (attempt.anonymous || target.origin !== attempt.origin) {
      // Another origin never sees these credentials. Its redirects are followed here too (not by
      // the runtime, which would follow one from https down to http), without credentials.
      const onward = new Attempt(next, attempt.hops + 1, {
        follow: true,
        body: toGet ? undefined : attempt.bytes,
      }, true);
      const response = await send(onward.take());
      const location = response.headers.get("location");
      outcome = location !== null && isRedirect(response.status)
        ? await this.#redirect(onward, response, location, send)
        : { response, rejected: false };
      hold(outcome.response, onward);
    } else outcome = await this.run(next, send, attempt.hops + 1);
    hold(outcome.response, attempt);
    hold(outcome.response, next);
    return outcome;
  }

  /** A whole call: {@linkcode begin}, the first send, {@linkcode complete}. */
  async run(request: Request, send: Send, hops = 0, known?: KnownRequest): Promise<Outcome> {
    const begun = this.begin(request, hops, known);
    const attempt = begun instanceof Attempt ? begun : await begun;
    let response: Response;
    try {
      response = await send(attempt.request);
    } catch (error) {
      this.abandon(attempt);
      throw error;
    }
    const outcome = this.complete(attempt, response, send);
    return outcome instanceof Promise ? await outcome : outcome;
  }
}
