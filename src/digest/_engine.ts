// The Digest engine shared by the openapi-fetch middleware and the fetch wrapper: it prepares a
// request (Authorization up front when a nonce is known), and turns the response into the final one
// (retries on 401, redirects followed by hand so credentials never leave the origin).
import { buildAuthorization, requestUri } from "./_authorization.ts";
import { type DigestChallenge, selectChallenge } from "./_challenge.ts";
import { type BytesHash, randomHex } from "./_hash.ts";
import { type Lease, OriginSession } from "./_session.ts";
import type { DigestAuthOptions } from "./options.ts";

/** Sends one request (a fetch that is always given a Request). */
export type Send = (request: Request) => Promise<Response>;

/** The final response, and whether it is a 401 for rejected credentials. */
export interface Outcome {
  response: Response;
  rejected: boolean;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const MAX_ORIGINS = 256;
const DEFAULT_MAX_NONCES = 16;
const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
];

/** Cancels a body we do not hand on; a body that already failed is no concern of ours. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

/**
 * The request without an empty query (`/path?`): runtimes disagree on whether to send the `?` (Deno
 * does, Node's undici does not), and `uri` must match what goes on the wire.
 */
function withoutEmptyQuery(request: Request): Request {
  if (!request.url.endsWith("?")) return request;
  return new Request(request.url.slice(0, -1), {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: request.redirect,
    signal: request.signal,
    duplex: "half",
  } as RequestInit);
}

/** One call: the request as the caller made it, and where its Digest dance stands. */
export class Attempt {
  readonly url: URL;
  readonly method: string;
  readonly uri: string;
  /** We follow redirects ourselves (the caller asked for `redirect: "follow"`). */
  readonly follow: boolean;
  readonly hops: number;
  /** Not ours to handle (not http(s), or the caller set Authorization). */
  readonly passthrough: boolean;
  /** An unsent copy of the request, for the next send. */
  template: Request;
  lease: Lease | undefined;
  /** The first request to send. */
  request: Request;
  /** Whether the last request sent carried Authorization, and with which nc. */
  authenticated = false;
  nc = 0;
  /** The body bytes, once read for auth-int or a redirect. */
  bytes: Uint8Array | undefined;
  /** The last request sent asked for a fresh challenge after an nc rejection. */
  probing = false;
  readonly used = { challenge: false, stale: false, nc: false };

  constructor(original: Request, hops: number) {
    const request = withoutEmptyQuery(original);
    this.url = new URL(request.url);
    this.method = request.method;
    this.uri = requestUri(this.url);
    this.follow = request.redirect === "follow";
    this.hops = hops;
    this.passthrough = (this.url.protocol !== "http:" && this.url.protocol !== "https:") ||
      request.headers.has("authorization");
    this.template = request;
    this.request = request;
  }

  /** A request to send now, with or without Authorization; keeps an unsent copy for later. */
  take(authorization: string | undefined): Request {
    const headers = new Headers(this.template.headers);
    if (authorization === undefined) headers.delete("authorization");
    else headers.set("authorization", authorization);
    const init: RequestInit = { headers };
    if (this.follow) init.redirect = "manual";
    if (this.template.body === null) return new Request(this.template, init);
    if (this.bytes) {
      init.body = this.bytes as Uint8Array<ArrayBuffer>;
      return new Request(this.template, init);
    }
    const copy = this.template.clone();
    const request = new Request(this.template, init);
    this.template = copy;
    return request;
  }

  /** The body bytes (read from a copy, so the template stays sendable). */
  async body(): Promise<Uint8Array> {
    if (!this.bytes) {
      this.bytes = this.template.body === null
        ? new Uint8Array()
        : new Uint8Array(await this.template.clone().arrayBuffer());
    }
    return this.bytes;
  }

  /** Releases the unsent copy of the body. */
  dispose(): void {
    if (this.passthrough || this.template.body === null || this.template.bodyUsed) return;
    this.template.body.cancel().catch(() => {});
  }
}

/** Checks the options and returns them normalised. */
export function checkOptions(options: DigestAuthOptions):
  & Required<
    Omit<DigestAuthOptions, "sha512_256">
  >
  & { sha512_256: BytesHash | undefined } {
  const fail = (what: string): never => {
    throw new TypeError(`Cannot set up Digest authentication: ${what}`);
  };
  if (typeof options !== "object" || options === null) fail("options must be an object");
  if (typeof options.username !== "string" || options.username === "") {
    fail("username must be a non-empty string");
  }
  if (typeof options.password !== "string" || options.password === "") {
    fail("password must be a non-empty string");
  }
  if (options.sha512_256 !== undefined && typeof options.sha512_256 !== "function") {
    fail('sha512_256 must be a function such as sha512_256 from "@noble/hashes/sha2.js"');
  }
  const maxNonces = options.maxNonces ?? DEFAULT_MAX_NONCES;
  if (!Number.isInteger(maxNonces) || maxNonces < 1) {
    fail("maxNonces must be a positive integer");
  }
  return {
    username: options.username,
    password: options.password,
    sha512_256: options.sha512_256,
    maxNonces,
  };
}

/** The Digest client: sessions per origin, and the steps of one call. */
export class DigestEngine {
  readonly #username: string;
  readonly #password: string;
  readonly #sha512_256: BytesHash | undefined;
  readonly #maxNonces: number;
  readonly #sessions = new Map<string, OriginSession>();

  constructor(options: DigestAuthOptions) {
    const checked = checkOptions(options);
    this.#username = checked.username;
    this.#password = checked.password;
    this.#sha512_256 = checked.sha512_256;
    this.#maxNonces = checked.maxNonces;
  }

  /** The session of an origin (for tests). */
  session(origin: string): OriginSession {
    let session = this.#sessions.get(origin);
    if (session) {
      // Most recently used last, so the oldest goes first when the map is full.
      this.#sessions.delete(origin);
    } else {
      session = new OriginSession(this.#maxNonces);
      if (this.#sessions.size >= MAX_ORIGINS) {
        this.#sessions.delete(this.#sessions.keys().next().value!);
      }
    }
    this.#sessions.set(origin, session);
    return session;
  }

  /** Waits for its turn, then prepares the first request of a call (Authorization when known). */
  async begin(request: Request, hops = 0): Promise<Attempt> {
    const attempt = new Attempt(request, hops);
    if (attempt.passthrough) return attempt;
    attempt.lease = await this.session(attempt.url.origin).acquire(request.signal);
    try {
      attempt.request = await this.#prepare(attempt, true);
    } catch (error) {
      this.abandon(attempt);
      throw error;
    }
    return attempt;
  }

  /**
   * Turns the response to the first request into the final one: retries on 401 through `send`,
   * follows redirects. A 401 that survives the retries comes back with `rejected: true`.
   */
  async complete(attempt: Attempt, first: Response, send: Send): Promise<Outcome> {
    const lease = attempt.lease;
    if (!lease) return { response: first, rejected: false };
    let response = first;
    try {
      while (response.status === 401) {
        const next = await this.#retry(attempt, response);
        if (!next) {
          lease.finish("rejected", true);
          return { response, rejected: true };
        }
        response = await send(next);
      }
      lease.finish("ok", attempt.authenticated);
      if (
        attempt.follow && REDIRECT_STATUSES.has(response.status) && response.headers.has("location")
      ) {
        return await this.#redirect(attempt, response, send);
      }
      return { response, rejected: false };
    } catch (error) {
      lease.finish("failed", false);
      throw error;
    } finally {
      attempt.dispose();
    }
  }

  /** Releases what a call holds when it ends without a response (network error, abort). */
  abandon(attempt: Attempt): void {
    attempt.lease?.finish("failed", false);
    attempt.dispose();
  }

  /** The next request of a call: with Authorization from the lease's nonce, or without. */
  async #prepare(attempt: Attempt, authenticate: boolean): Promise<Request> {
    const slot = attempt.lease?.slot;
    if (!authenticate || !slot) {
      attempt.authenticated = false;
      return attempt.take(undefined);
    }
    const challenge = slot.challenge;
    const body = challenge.qop === "auth-int" ? await attempt.body() : undefined;
    const nc = slot.nextNc();
    const authorization = await buildAuthorization({
      challenge,
      username: this.#username,
      password: this.#password,
      method: attempt.method,
      uri: attempt.uri,
      nc,
      cnonce: randomHex(16),
      ...(body ? { body } : {}),
      sha512_256: this.#sha512_256,
    });
    attempt.authenticated = true;
    attempt.nc = nc;
    return attempt.take(authorization);
  }

  /** The request to send after a 401, or undefined when the call must give up. */
  async #retry(attempt: Attempt, response: Response): Promise<Request | undefined> {
    const lease = attempt.lease!;
    let challenge: DigestChallenge;
    try {
      challenge = selectChallenge(response.headers.get("www-authenticate"), {
        method: attempt.method,
        url: attempt.url.href,
        status: response.status,
        sha512_256: this.#sha512_256,
      });
    } catch (error) {
      await discard(response);
      throw error;
    }
    const used = attempt.used;
    if (!attempt.authenticated) {
      // The first try without Authorization, or the probe for a fresh challenge.
      if (attempt.probing) attempt.probing = false;
      else if (used.challenge) return undefined;
      else used.challenge = true;
    } else if (challenge.stale && !used.stale) {
      used.stale = true;
      lease.retire();
    } else if (!used.nc && lease.suspectNc(attempt.nc)) {
      // Maybe rejected for its nc (a strict server and a shared nonce): retry on a nonce of its
      // own. A challenge that repeats the opaque is tied to the same nc counter (Apache), so ask
      // for a fresh one without Authorization.
      // This retry also stands for the authenticated retry: no further one with a new challenge.
      used.nc = true;
      used.challenge = true;
      const repeated = challenge.opaque !== undefined &&
        challenge.opaque === lease.slot?.challenge.opaque;
      lease.retire();
      lease.own = true;
      if (repeated) {
        await discard(response);
        attempt.probing = true;
        return await this.#prepare(attempt, false);
      }
    } else if (!used.challenge) {
      used.challenge = true;
      lease.retire();
    } else {
      return undefined;
    }
    await discard(response);
    lease.adopt(challenge);
    return await this.#prepare(attempt, true);
  }

  /** Follows a redirect: Authorization afresh on the same origin, none anywhere else. */
  async #redirect(attempt: Attempt, response: Response, send: Send): Promise<Outcome> {
    await discard(response);
    if (attempt.hops >= MAX_REDIRECTS) {
      throw new TypeError(
        `Cannot follow redirects of ${attempt.method} ${attempt.url.href}: more than ${MAX_REDIRECTS}`,
      );
    }
    const target = new URL(response.headers.get("location")!, attempt.url);
    const status = response.status;
    const toGet = status === 303
      ? attempt.method !== "GET" && attempt.method !== "HEAD"
      : (status === 301 || status === 302) && attempt.method === "POST";
    const headers = new Headers(attempt.template.headers);
    headers.delete("authorization");
    let body: Uint8Array<ArrayBuffer> | null = null;
    if (toGet) { for (const name of BODY_HEADERS) headers.delete(name); }
    else if (attempt.template.body !== null) body = await attempt.body() as Uint8Array<ArrayBuffer>;
    const next = new Request(target, {
      method: toGet ? "GET" : attempt.method,
      headers,
      body,
      redirect: "follow",
      signal: attempt.template.signal,
    });
    if (target.origin !== attempt.url.origin) {
      // Another origin never sees these credentials; the runtime follows any further redirects.
      return { response: await send(next), rejected: false };
    }
    return await this.run(next, send, attempt.hops + 1);
  }

  /** A whole call: {@linkcode begin}, the first send, {@linkcode complete}. */
  async run(request: Request, send: Send, hops = 0): Promise<Outcome> {
    const attempt = await this.begin(request, hops);
    let response: Response;
    try {
      response = await send(attempt.request);
    } catch (error) {
      this.abandon(attempt);
      throw error;
    }
    return await this.complete(attempt, response, send);
  }
}
