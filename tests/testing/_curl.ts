// Runs curl (an independent Digest client) as a child process and returns status and body.
import { execFile } from "node:child_process";

export interface CurlResult {
  status: number;
  body: string;
}

const MARK = "\n--curl-status:";

/** Runs `curl -s --digest -u user:pass ...args url...`; one result per URL, in order. */
export function curl(
  credentials: string,
  urls: string[],
  args: string[] = [],
): Promise<CurlResult[]> {
  const argv = ["-s", "--digest", "-u", credentials, "-w", `${MARK}%{http_code}\n`, ...args];
  for (const url of urls) argv.push(url);
  return new Promise((resolve, reject) => {
    execFile("/usr/bin/curl", argv, { timeout: 20_000 }, (error, stdout) => {
      if (error && error.code !== 0 && !stdout.includes(MARK)) {
        reject(error);
        return;
      }
      const results: CurlResult[] = [];
      let rest = stdout;
      while (rest.includes(MARK)) {
        const at = rest.indexOf(MARK);
        const end = rest.indexOf("\n", at + MARK.length);
        results.push({
          body: rest.slice(0, at),
          status: Number(rest.slice(at + MARK.length, end)),
        });
        rest = rest.slice(end + 1);
      }
      resolve(results);
    });
  });
}
