// The openapi-fetch middleware behind digestAuth (and the Atlas client's API-key authentication):
// per-call state keyed by openapi-fetch's per-call options, the engine's steps in the three hooks.
import type { Middleware } from "openapi-fetch";
import { Attempt, DigestEngine, type KnownRequest, type Outcome } from "./_engine.ts";
import type { Lease } from "./_session.ts";
import type { DigestAuthOptions } from "./options.ts";

/**
 * What a client that makes its requests with `redirect: "manual"` tells the engine: follow them
 * anyway (by hand), so that a request goes out as it is, without a copy.
 */
const FOLLOW: KnownRequest = { follow: true, body: undefined };

/**
 * The Digest middleware. `followAlways`: redirects are followed whatever the request's `redirect`
 * says (for a client that makes every request with `redirect: "manual"`, the Atlas client).
 */
export function createDigestMiddleware(
  options: DigestAuthOptions,
  followAlways: boolean,
): Middleware {
  const engine = new DigestEngine(options);
  // Per-call state, keyed by openapi-fetch's per-call options object (the same object in every hook
  // of a call, even when a later middleware replaced the request). Weak, so nothing outlives the call.
  const attempts = new WeakMap<object, Attempt>();
  // If a later middleware short-circuits, neither onResponse nor onError runs: release the call's
  // hold on its nonce once its request is garbage. (Registering last avoids the case.)
  const leaked = new FinalizationRegistry<Lease>((lease) => lease.finish("failed", false));
  const take = (key: object): Attempt | undefined => {
    const attempt = attempts.get(key);
    if (attempt) {
      attempts.delete(key);
      leaked.unregister(attempt);
    }
    return attempt;
  };
  /** Keeps the call's state for its onResponse or onError; the request to send. */
  const started = (attempt: Attempt, key: object): Request | undefined => {
    if (attempt.passthrough) return undefined;
    attempts.set(key, attempt);
    // Only a hold that others wait on (the challenge, a lane, a check of the credentials).
    const lease = attempt.lease!;
    if (lease.pilot || lease.seat || !lease.session.verified) {
      leaked.register(attempt.request, lease, attempt);
    }
    return attempt.request;
  };
  const final = (outcome: Outcome, response: Response): Response | undefined =>
    outcome.response === response ? undefined : outcome.response;
  // The hooks return a promise only when the call has to wait (openapi-fetch awaits either).
  return {
    onRequest(
      { request, options: callOptions },
    ): Request | undefined | Promise<Request | undefined> {
      const attempt = engine.begin(request, 0, followAlways ? FOLLOW : undefined);
      return attempt instanceof Attempt
        ? started(attempt, callOptions)
        : attempt.then((attempt) => started(attempt, callOptions));
    },
    onResponse(
      { response, options: callOptions },
    ): Response | undefined | Promise<Response | undefined> {
      const attempt = take(callOptions);
      if (!attempt) return undefined;
      // Called unbound (a plain function value), as openapi-fetch calls it: Workers reject a fetch
      // whose `this` is not the global object ("Illegal invocation").
      const outcome = engine.complete(attempt, response, callOptions.fetch);
      return outcome instanceof Promise
        ? outcome.then((outcome) => final(outcome, response))
        : final(outcome, response);
    },
    onError({ options: callOptions }): undefined {
      const attempt = take(callOptions);
      if (attempt) engine.abandon(attempt);
      return undefined;
    },
  };
}
