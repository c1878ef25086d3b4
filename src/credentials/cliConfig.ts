// Reads the Alibaba Cloud CLI's profile file. The file is only ever read: the extension keeps its
// own profile choice and never writes the CLI's file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One entry of `profiles[]` in the CLI's config.json, with the fields this extension reads. */
export interface CliProfile {
  name: string;
  /** As written in the file; `normalizeMode` maps it to the CLI's spelling. */
  mode: string;
  region_id?: string;
  access_key_id?: string;
  access_key_secret?: string;
  sts_token?: string;
  sts_region?: string;
  sts_endpoint?: string;
  ram_role_name?: string;
  ram_role_arn?: string;
  ram_session_name?: string;
  external_id?: string;
  source_profile?: string;
  expired_seconds?: number;
  process_command?: string;
  credentials_uri?: string;
  oidc_provider_arn?: string;
  oidc_token_file?: string;
  enable_vpc?: boolean;
  private_key?: string;
  key_pair_name?: string;
  cloud_sso_sign_in_url?: string;
  bearer_token?: string;
}

export interface CliConfiguration {
  /** The profile the CLI uses when none is named; may be empty. */
  current: string;
  profiles: CliProfile[];
}

/** The reason a profile file exists but cannot be used. */
export type CliConfigDefect =
  | { reason: 'unreadable'; code: string }
  | { reason: 'syntax'; line: number; column: number }
  | { reason: 'notObject' }
  | { reason: 'noProfiles' };

export type CliConfigResult =
  | { kind: 'loaded'; path: string; config: CliConfiguration }
  | { kind: 'missing'; path: string }
  | { kind: 'invalid'; path: string; defect: CliConfigDefect };

/**
 * Returns the path of the CLI's profile file: ALIBABA_CLOUD_CONFIG_FILE when set (as in
 * credentials-go's CLIProfileCredentialsProvider), else `~/.aliyun/config.json`.
 */
export function cliConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ALIBABA_CLOUD_CONFIG_FILE?.trim();
  if (override) {
    return override;
  }
  return path.join(os.homedir(), '.aliyun', 'config.json');
}

/**
 * Reads and checks the profile file. Never throws, and never copies the file's text into the
 * result, because the file contains secrets.
 */
export function loadCliConfig(file: string = cliConfigPath()): CliConfigResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { kind: 'missing', path: file };
    }
    return { kind: 'invalid', path: file, defect: { reason: 'unreadable', code: code ?? 'EIO' } };
  }
  return parseCliConfig(text, file);
}

/** Parses the text of a profile file; `file` is only copied into the result. */
export function parseCliConfig(text: string, file: string): CliConfigResult {
  let data: unknown;
  try {
    data = JSON.parse(stripByteOrderMark(text));
  } catch (error) {
    return { kind: 'invalid', path: file, defect: syntaxDefect(text, error) };
  }
  if (!isRecord(data)) {
    return { kind: 'invalid', path: file, defect: { reason: 'notObject' } };
  }
  if (!Array.isArray(data.profiles)) {
    return { kind: 'invalid', path: file, defect: { reason: 'noProfiles' } };
  }
  const profiles: CliProfile[] = [];
  for (const entry of data.profiles) {
    if (isRecord(entry) && typeof entry.name === 'string' && entry.name !== '') {
      profiles.push({
        ...(entry as Partial<CliProfile>),
        name: entry.name,
        mode: typeof entry.mode === 'string' ? entry.mode : '',
      });
    }
  }
  const current = typeof data.current === 'string' ? data.current : '';
  return { kind: 'loaded', path: file, config: { current, profiles } };
}

/** Finds a profile by its exact name, as the CLI does. */
export function findProfile(config: CliConfiguration, name: string): CliProfile | undefined {
  return config.profiles.find((profile) => profile.name === name);
}

/**
 * Locates a JSON syntax error by line and column only. V8's own message may quote part of the
 * text, which could be a secret. Both are 0 when V8 gave no position.
 */
function syntaxDefect(text: string, error: unknown): CliConfigDefect {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message);
  if (!position) {
    return { reason: 'syntax', line: 0, column: 0 };
  }
  const offset = Number(position[1]);
  const before = stripByteOrderMark(text).slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { reason: 'syntax', line, column };
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
