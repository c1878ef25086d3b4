// Credential problems as data, and the message that explains each of them.
import { createTranslator, type Translate } from '../i18n/translate';
import type { CliConfigDefect } from './cliConfig';

/** The setting, variable or file field that chose the profile in use. */
export type ProfileOrigin = 'setting' | 'variable' | 'current';

export type CredentialProblem =
  | { kind: 'configInvalid'; path: string; defect: CliConfigDefect }
  | { kind: 'profileNotFound'; profile: string; path: string; origin: ProfileOrigin }
  | { kind: 'unsupportedMode'; profile: string; mode: string }
  | { kind: 'missingField'; profile: string; mode: string; field: string }
  | { kind: 'invalidProfile'; profile: string; mode: string; detail: string }
  | { kind: 'sourceProfileLoop'; profile: string; chain: string[] }
  | { kind: 'metadataDisabled'; profile: string }
  | { kind: 'legacyVariables'; names: string[] }
  | { kind: 'incompleteEnvironment'; present: string; missing: string }
  | { kind: 'storedSecretMissing'; profile: string }
  /** The source was configured, but asking it for credentials failed. `detail` contains no secret. */
  | { kind: 'sourceFailed'; source: string; detail: string };

/** The modes this extension can turn into credentials, in the CLI's spelling. */
export const SUPPORTED_MODES = [
  'AK',
  'StsToken',
  'RamRoleArn',
  'ChainableRamRoleArn',
  'EcsRamRole',
  'OIDC',
  'CredentialsURI',
  'External',
] as const;

/**
 * Credentials could not be obtained for a reason the user can fix. The message is already in the
 * display language when a translator is given.
 */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';

  constructor(
    readonly problem: CredentialProblem,
    translate: Translate = createTranslator(),
  ) {
    super(describeCredentialProblem(problem, translate));
  }
}

/** Explains a problem in one or two sentences, including what to do next. */
export function describeCredentialProblem(problem: CredentialProblem, t: Translate): string {
  switch (problem.kind) {
    case 'configInvalid':
      return describeConfigDefect(problem.path, problem.defect, t);
    case 'profileNotFound':
      switch (problem.origin) {
        case 'setting':
          return t(
            'Profile "{0}", chosen in the setting alibabaCloud.ecs.profile, was not found in {1}. Switch to another profile.',
            problem.profile,
            problem.path,
          );
        case 'variable':
          return t(
            'Profile "{0}", named by the environment variable ALIBABA_CLOUD_PROFILE, was not found in {1}. Change the variable or switch to another profile.',
            problem.profile,
            problem.path,
          );
        case 'current':
          return t(
            'Profile "{0}", the current profile of {1}, is not in its profile list. Run aliyun configure, or switch to another profile.',
            problem.profile,
            problem.path,
          );
      }
      break;
    case 'unsupportedMode':
      return t(
        'Profile "{0}" uses the mode {1}, which this extension cannot use. Supported modes are {2}. Switch to another profile.',
        problem.profile,
        problem.mode || '-',
        SUPPORTED_MODES.join(', '),
      );
    case 'missingField':
      return t(
        'Profile "{0}" (mode {1}) has no {2}. Run aliyun configure --profile {0} --mode {1} to set it.',
        problem.profile,
        problem.mode,
        problem.field,
      );
    case 'invalidProfile':
      return t(
        'Profile "{0}" (mode {1}) cannot be used: {2}',
        problem.profile,
        problem.mode,
        problem.detail,
      );
    case 'sourceProfileLoop':
      return t(
        'Profile "{0}" names its source profiles in a loop: {1}. Change source_profile in one of them.',
        problem.profile,
        problem.chain.join(' → '),
      );
    case 'metadataDisabled':
      return t(
        'Profile "{0}" uses the mode EcsRamRole, which reads the ECS metadata service, but ALIBABA_CLOUD_ECS_METADATA_DISABLED is true. Switch to another profile, or unset the variable on an ECS instance.',
        problem.profile,
      );
    case 'legacyVariables':
      return t(
        'The environment variables {0} are set, but they are not read. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, and ALIBABA_CLOUD_SECURITY_TOKEN for an STS token, or configure a profile with aliyun configure.',
        problem.names.join(', '),
      );
    case 'incompleteEnvironment':
      return t(
        'The environment variable {0} is set but {1} is not. Set both, or unset {0} to use a profile.',
        problem.present,
        problem.missing,
      );
    case 'storedSecretMissing':
      return t(
        'The AccessKey secret of profile "{0}" is missing from the VS Code secret storage. Add the profile again.',
        problem.profile,
      );
    case 'sourceFailed':
      return t('Getting credentials from {0} failed: {1}', problem.source, problem.detail);
  }
}

function describeConfigDefect(file: string, defect: CliConfigDefect, t: Translate): string {
  switch (defect.reason) {
    case 'unreadable':
      return t(
        'The Alibaba Cloud CLI profile file {0} could not be read ({1}). Check its permissions.',
        file,
        defect.code,
      );
    case 'syntax':
      return t(
        'The Alibaba Cloud CLI profile file {0} is not valid JSON (line {1}, column {2}). Fix it or run aliyun configure.',
        file,
        defect.line,
        defect.column,
      );
    case 'notObject':
    case 'noProfiles':
      return t(
        'The Alibaba Cloud CLI profile file {0} has no "profiles" list. Run aliyun configure to create a profile.',
        file,
      );
  }
}
