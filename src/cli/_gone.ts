// `delete --wait` means "until it is gone": a 404 to the DELETE itself says it is gone already
// (deleted by an earlier run, e.g. the one whose wait timed out and printed how to resume). Only
// with --wait: a plain `delete` of a missing id stays an error, since the id may be mistyped.
import { AtlasApiError } from "../atlas/atlas_api_error.ts";

/**
 * Sends a delete; with `wait`, a 404 answer means the resource is gone already. Returns whether
 * it was there to delete.
 */
export async function deleteUnlessGone(
  send: () => Promise<unknown>,
  wait: boolean | undefined,
): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (wait && error instanceof AtlasApiError && error.status === 404) return false;
    throw error;
  }
}

/**
 * The result line of a `delete --wait`: how long the deletion took, or, when there was nothing
 * to delete, that it is gone without claiming a deletion happened.
 */
export function goneLine(subject: string, there: boolean, took: string): string {
  return there
    ? `${subject} is deleted after ${took}\n`
    : `${subject} is gone: nothing to delete\n`;
}

/** The line that says a `delete --wait` found nothing to delete. */
export function alreadyGone(subject: string, flag: string): string {
  return `${subject} is not there: deleted already (if you expected it, check ${flag})\n`;
}
