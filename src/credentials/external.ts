// The CLI's External mode: a command prints credentials as JSON on its standard output.
import { execFile } from 'node:child_process';
import type { CredentialLink, LinkCredentials } from './links';

/** Credentials are fetched again this long before the expiration the command reported. */
const REFRESH_MARGIN_MS = 3 * 60_000;
const DEFAULT_TIMEOUT_MS = 60_000;
/** Output larger than this is not credentials; the command is stopped. */
const MAX_OUTPUT_BYTES = 64 * 1024;

export interface ExternalCommandOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Raised when the command fails or prints something other than credentials. */
export class ExternalCommandError extends Error {
  override readonly name = 'ExternalCommandError';
}

/**
 * Runs `process_command` without a shell and reads `{mode, access_key_id, access_key_secret,
 * sts_token, expiration}` from its output. `mode` must be AK or StsToken. The result is reused
 * until 3 minutes before `expiration`. Without an expiration it is reused until a credential
 * error replaces this object.
 *
 * Error messages name the program and the failure but never include the command's output or
 * its standard error, since either may contain the secret.
 */
export class ExternalCredentialsProvider implements CredentialLink {
  private cached: { credentials: LinkCredentials; expiresAt: number | undefined } | undefined;
  private readonly argv: string[];

  constructor(
    command: string,
    private readonly options: ExternalCommandOptions = {},
  ) {
    this.argv = splitCommand(command);
    if (this.argv.length === 0) {
      throw new ExternalCommandError('process_command is empty');
    }
  }

  getProviderName(): string {
    return 'external';
  }

  async getCredentials(): Promise<LinkCredentials> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cached;
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - REFRESH_MARGIN_MS > now)) {
      return cached.credentials;
    }
    const output = await this.run();
    const parsed = parseExternalOutput(output);
    this.cached = parsed;
    return parsed.credentials;
  }

  private run(): Promise<string> {
    const [program, ...args] = this.argv;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      execFile(
        program,
        args,
        {
          timeout: timeoutMs,
          maxBuffer: MAX_OUTPUT_BYTES,
          env: this.options.env ?? process.env,
          windowsHide: true,
          encoding: 'utf8',
        },
        (error, stdout) => {
          if (error) {
            reject(new ExternalCommandError(describeFailure(program, error, timeoutMs)));
          } else {
            resolve(stdout);
          }
        },
      );
    });
  }
}

/** The error of `execFile`: `code` is an errno name when the start failed, else the exit code. */
interface ExecFailure extends Error {
  code?: unknown;
  killed?: boolean;
  signal?: string | null;
}

function describeFailure(program: string, error: ExecFailure, timeoutMs: number): string {
  if (error.code === 'ENOENT') {
    return `the command ${program} was not found`;
  }
  if (error.code === 'EACCES') {
    return `the command ${program} is not executable`;
  }
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return `the command ${program} printed more than ${MAX_OUTPUT_BYTES} bytes`;
  }
  if (error.killed && error.signal === 'SIGTERM') {
    return `the command ${program} did not finish within ${Math.round(timeoutMs / 1000)} s`;
  }
  if (typeof error.code === 'number') {
    return `the command ${program} exited with code ${error.code}`;
  }
  if (error.signal) {
    return `the command ${program} was ended by ${error.signal}`;
  }
  return `the command ${program} failed (${String(error.code ?? 'unknown error')})`;
}

/** Reads the command's JSON output. Exported for tests. */
export function parseExternalOutput(output: string): {
  credentials: LinkCredentials;
  expiresAt: number | undefined;
} {
  let data: unknown;
  try {
    data = JSON.parse(output);
  } catch {
    throw new ExternalCommandError('the command output is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ExternalCommandError('the command output is not a JSON object');
  }
  const fields = data as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim() : '');
  const accessKeyId = text('access_key_id');
  const accessKeySecret = text('access_key_secret');
  const securityToken = text('sts_token');
  const mode = text('mode') || (securityToken ? 'StsToken' : 'AK');
  if (mode.toLowerCase() !== 'ak' && mode.toLowerCase() !== 'ststoken') {
    throw new ExternalCommandError(
      `the command output has mode ${mode}, but only AK and StsToken are supported`,
    );
  }
  if (!accessKeyId) {
    throw new ExternalCommandError('the command output has no access_key_id');
  }
  if (!accessKeySecret) {
    throw new ExternalCommandError('the command output has no access_key_secret');
  }
  const sts = mode.toLowerCase() === 'ststoken';
  if (sts && !securityToken) {
    throw new ExternalCommandError('the command output has mode StsToken but no sts_token');
  }
  return {
    credentials: {
      accessKeyId,
      accessKeySecret,
      securityToken: sts ? securityToken : '',
      providerName: 'external',
    },
    expiresAt: expirationOf(fields),
  };
}

/** `expiration` as an ISO 8601 time or Unix seconds, or `sts_expiration` in Unix seconds. */
function expirationOf(fields: Record<string, unknown>): number | undefined {
  for (const name of ['expiration', 'sts_expiration']) {
    const value = fields[name];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
      return value * 1000;
    }
    if (typeof value === 'string' && value.trim() !== '') {
      const seconds = Number(value);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value);
      if (Number.isFinite(ms) && ms > 0) {
        return ms;
      }
    }
  }
  return undefined;
}

/**
 * Splits a command line into program and arguments: whitespace separates words, and single or
 * double quotes group them. A backslash inside double quotes escapes `"` and `\`. No shell is
 * involved, so `$VAR`, globs and pipes are passed on as written.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < command.length; index++) {
    const char = command[index];
    if (quote === "'") {
      if (char === "'") {
        quote = undefined;
      } else {
        current += char;
      }
    } else if (quote === '"') {
      const next = command[index + 1];
      if (char === '\\' && (next === '"' || next === '\\')) {
        current += next;
        index++;
      } else if (char === '"') {
        quote = undefined;
      } else {
        current += char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) {
        words.push(current);
        current = '';
        started = false;
      }
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) {
    throw new ExternalCommandError('process_command has an unclosed quote');
  }
  if (started) {
    words.push(current);
  }
  return words;
}
