// User-facing reasons for refused joins and for API errors, in English; the translator maps
// them to the display language.
import type { Translate } from '../i18n/translate';
import type { EcsApiError } from '../ecs/errors';
import type { JoinRefusal, LeaveRefusal } from './rules';

export interface JoinSubject {
  /** Label of the instance, or of the network interface when `kind` is `networkInterface`. */
  instanceLabel: string;
  groupLabel: string;
  kind?: 'instance' | 'networkInterface';
}

/** Explains why a join was refused locally: what is wrong and what to do, naming both sides. */
export function describeRefusal(refusal: JoinRefusal, subject: JoinSubject, t: Translate): string {
  if (subject.kind === 'networkInterface') {
    const text = describeNetworkInterfaceRefusal(refusal, subject, t);
    if (text) {
      return text;
    }
  }
  const { instanceLabel: instance, groupLabel: group } = subject;
  switch (refusal.rule) {
    case 'networkInterfaceNotFound':
    case 'networkInterfaceStatus':
      // Only network interface joins produce these; they are described above.
      return (
        describeNetworkInterfaceRefusal(refusal, { ...subject, kind: 'networkInterface' }, t) ?? ''
      );
    case 'instanceNotFound':
      return t(
        'Instance {0} was not found in region {1}, so it cannot join security group {2}. Refresh the view; the instance may have been released.',
        instance,
        refusal.regionId,
        group,
      );
    case 'groupNotFound':
      return t(
        'Security group {0} was not found in region {1}, so instance {2} cannot join it. Refresh the view; the group may have been deleted.',
        group,
        refusal.regionId,
        instance,
      );
    case 'status':
      return t(
        'Instance {0} is {1}; it must be Running or Stopped to join security group {2}. Wait until it is Running, or stop it, and try again.',
        instance,
        refusal.status,
        group,
      );
    case 'securityLock':
      return t(
        'Instance {0} is locked for security reasons, so it cannot join security group {1}. Resolve the lock in the Alibaba Cloud console first.',
        instance,
        group,
      );
    case 'alreadyMember':
      return t('Instance {0} is already in security group {1}.', instance, group);
    case 'region':
      return t(
        'Instance {0} is in region {1} but security group {2} is in region {3}. Choose a group in {1}.',
        instance,
        refusal.instanceRegion,
        group,
        refusal.groupRegion,
      );
    case 'networkType':
      return t(
        'Instance {0} uses the {1} network but security group {2} uses the {3} network. Choose a group of the same network type.',
        instance,
        refusal.instanceNetwork,
        group,
        refusal.groupNetwork,
      );
    case 'vpc':
      return t(
        'Instance {0} is in VPC {1} but security group {2} is in VPC {3}. Choose a group in {1}.',
        instance,
        refusal.instanceVpc,
        group,
        refusal.groupVpc,
      );
    case 'groupType':
      return t(
        'Security group {0} is of type {1}, but instance {2} is in {3} of type {4}; an instance cannot be in normal and enterprise groups at once. Choose a group of type {4}.',
        group,
        refusal.groupType,
        instance,
        refusal.memberGroupId,
        refusal.memberType,
      );
    case 'instanceLimit':
      return t(
        'Instance {0} is already in {1} security groups, the limit of {2}, so it cannot join security group {3}. Remove it from a group first, or raise the setting alibabaCloud.ecs.maxSecurityGroupsPerInstance if your quota is higher.',
        instance,
        refusal.count,
        refusal.limit,
        group,
      );
    case 'groupFull':
      return t(
        'Security group {0} is full ({1} of {2} instances), so instance {3} cannot join it. Choose another group or remove instances from it.',
        group,
        refusal.count,
        refusal.limit,
        instance,
      );
  }
}

/**
 * Describes the reasons that read differently for a secondary network interface; undefined for the rules
 * whose instance wording also fits.
 */
function describeNetworkInterfaceRefusal(
  refusal: JoinRefusal,
  subject: JoinSubject,
  t: Translate,
): string | undefined {
  const { instanceLabel: eni, groupLabel: group } = subject;
  switch (refusal.rule) {
    case 'networkInterfaceNotFound':
      return t(
        'Network interface {0} was not found in region {1}, so it cannot join security group {2}. Refresh the view; it may have been deleted.',
        eni,
        refusal.regionId,
        group,
      );
    case 'networkInterfaceStatus':
      return t(
        'Network interface {0} is {1}; it must be Available or InUse to join security group {2}. Wait until it is attached or detached, and try again.',
        eni,
        refusal.status,
        group,
      );
    case 'alreadyMember':
      return t('Network interface {0} is already in security group {1}.', eni, group);
    case 'securityLock':
      return t(
        'The instance of network interface {0} is locked for security reasons, so the interface cannot join security group {1}.',
        eni,
        group,
      );
    case 'vpc':
      return t(
        'Network interface {0} is in VPC {1} but security group {2} is in VPC {3}. Choose a group in {1}.',
        eni,
        refusal.instanceVpc,
        group,
        refusal.groupVpc,
      );
    case 'instanceLimit':
      return t(
        'Network interface {0} is already in {1} security groups, the limit of {2}, so it cannot join security group {3}. Remove it from a group first, or raise the setting alibabaCloud.ecs.maxSecurityGroupsPerInstance if your quota is higher.',
        eni,
        refusal.count,
        refusal.limit,
        group,
      );
    default:
      return undefined;
  }
}

/**
 * Returns a short reason for a picker row, where the row itself already names the group or instance:
 * one line that fits beside a name instead of the full sentence of `describeRefusal`.
 */
export function describeRefusalBrief(refusal: JoinRefusal, t: Translate): string {
  switch (refusal.rule) {
    case 'instanceNotFound':
    case 'groupNotFound':
      return t('Not found in region {0}.', refusal.regionId);
    case 'networkInterfaceNotFound':
      return t('The network interface was not found in region {0}.', refusal.regionId);
    case 'status':
      return t('The instance is {0}; it must be Running or Stopped.', refusal.status);
    case 'networkInterfaceStatus':
      return t('The network interface is {0}; it must be Available or InUse.', refusal.status);
    case 'securityLock':
      return t('The instance is locked for security reasons.');
    case 'alreadyMember':
      return t('Already in this group.');
    case 'region':
      return t(
        'In region {0}; the instance is in {1}.',
        refusal.groupRegion,
        refusal.instanceRegion,
      );
    case 'networkType':
      return t(
        'A {0}-network group; the instance uses the {1} network.',
        refusal.groupNetwork,
        refusal.instanceNetwork,
      );
    case 'vpc':
      return t('In VPC {0}; the instance is in VPC {1}.', refusal.groupVpc, refusal.instanceVpc);
    case 'groupType':
      return t(
        'A {0} group; the instance is in {1}, a {2} group.',
        refusal.groupType,
        refusal.memberGroupId,
        refusal.memberType,
      );
    case 'instanceLimit':
      return t('Already in {0} groups, the limit of {1}.', refusal.count, refusal.limit);
    case 'groupFull':
      return t('Full: {0} of {1} instances.', refusal.count, refusal.limit);
  }
}

/** Explains why leaving a group was refused locally. */
export function describeLeaveRefusal(
  refusal: LeaveRefusal,
  subject: JoinSubject,
  t: Translate,
): string {
  const { instanceLabel: instance, groupLabel: group } = subject;
  if (subject.kind === 'networkInterface') {
    if (refusal.rule === 'notMember') {
      return t(
        'Network interface {0} is not in security group {1}. The view has been refreshed.',
        instance,
        group,
      );
    }
    if (refusal.rule === 'lastGroup') {
      return t(
        'Security group {0} is the only group of network interface {1}, which must stay in at least one group. Join it to another group first.',
        group,
        instance,
      );
    }
    if (refusal.rule === 'status') {
      return t(
        'Network interface {0} is {1}; it must be Available or InUse to leave security group {2}.',
        instance,
        refusal.status,
        group,
      );
    }
  }
  switch (refusal.rule) {
    case 'instanceNotFound':
      return t(
        'Instance {0} was not found in region {1}, so it cannot leave security group {2}. Refresh the view; the instance may have been released.',
        instance,
        refusal.regionId,
        group,
      );
    case 'notMember':
      return t(
        'Instance {0} is not in security group {1}. The view has been refreshed.',
        instance,
        group,
      );
    case 'lastGroup':
      return t(
        'Security group {0} is the only group of instance {1}, and an instance must stay in at least one group. Join it to another group first.',
        group,
        instance,
      );
    case 'status':
      return t(
        'Instance {0} is {1}; it must be Running or Stopped to leave security group {2}. Wait until it is Running, or stop it, and try again.',
        instance,
        refusal.status,
        group,
      );
    case 'securityLock':
      return t(
        'Instance {0} is locked for security reasons, so it cannot leave security group {1}. Resolve the lock in the Alibaba Cloud console first.',
        instance,
        group,
      );
  }
}

/**
 * Explains an API error code in the user's language. Codes from the JoinSecurityGroup and
 * LeaveSecurityGroup references and the common credential errors have their own text; any other
 * code returns undefined, and the caller shows the API's message as it came.
 */
export function describeErrorCode(code: string, t: Translate): string | undefined {
  switch (code) {
    case 'InvalidSecurityGroupId.NotFound':
      return t(
        'The security group does not exist in this account and region. Check the security group ID.',
      );
    case 'InstanceSecurityGroupLimitExceeded':
      return t(
        'The instance is already in the maximum number of security groups. Remove it from a group first.',
      );
    case 'IncorrectInstanceStatus':
      return t(
        'The instance is not in a state that allows this operation. It must be Running or Stopped.',
      );
    case 'InstanceLockedForSecurity':
      return t('The instance is locked for security reasons, so the operation was denied.');
    case 'SecurityGroupInstanceLimitExceeded':
      return t(
        'The security group already holds the maximum number of instances. Choose another group.',
      );
    case 'InvalidInstanceId.NotFound':
      return t('The instance does not exist. Check the instance ID and region.');
    case 'InvalidInstanceId.Mismatch':
      return t(
        'The instance and the security group are not in the same VPC, or not of the same network type.',
      );
    case 'InvalidInstanceId.AlreadyExists':
      return t('The instance is already in this security group.');
    case 'InternalError':
      return t(
        'ECS failed to process the request because of an internal error. Try again; if it keeps failing, open a ticket with the request ID.',
      );
    case 'AclLimitExceed':
      return t('The access point quota is exceeded.');
    case 'InvalidOperation.MultiGroupType':
      return t('An instance cannot be in normal and enterprise security groups at the same time.');
    case 'InvalidSecurityGroupAssociation.NotFound':
    case 'InstanceNotInSecurityGroup':
      return t('The instance is not in this security group.');
    case 'InstanceLastSecurityGroup':
      return t('The instance must stay in at least one security group.');
    case 'InvalidAccessKeyId.NotFound':
      return t('The AccessKey ID does not exist. Check the credentials you configured.');
    case 'InvalidAccessKeyId.Inactive':
      return t('The AccessKey is disabled. Enable it in the RAM console or use another one.');
    case 'SignatureDoesNotMatch':
      return t('The request signature does not match. Check that the AccessKey secret is correct.');
    case 'InvalidSecurityToken.Expired':
      return t('The STS security token has expired. Get new temporary credentials.');
    case 'Forbidden.RAM':
      return t(
        'The RAM user or role is not allowed to perform this action. Ask an administrator for the ECS permission.',
      );
    case 'RequestTimeout':
      return t(
        'The request timed out. Check the network and the endpoint setting, then try again.',
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ECONNRESET':
    case 'NetworkError':
      return t(
        'The ECS endpoint could not be reached. Check the network and the setting alibabaCloud.ecs.endpoint.',
      );
    default:
      return undefined;
  }
}

/** Formats an API error as one line: the explanation, then the code, status and request ID. */
export function describeApiError(error: EcsApiError, t: Translate): string {
  if (error.code === 'InvalidEndpointSetting') {
    // The message of this local error is the setting's value.
    return t(
      'Nothing was sent, because the setting alibabaCloud.ecs.endpoint is "{0}", which is not a URL with only a scheme, host and port. Write it like http://127.0.0.1:18090 or https://ecs.cn-hangzhou.aliyuncs.com, or leave it empty for the Alibaba Cloud endpoints.',
      error.apiMessage,
    );
  }
  const endpoint = error.statusCode === 0 ? endpointOf(error.apiMessage) : undefined;
  let explanation = describeErrorCode(error.code, t) ?? error.apiMessage;
  if (endpoint && error.code === 'RequestTimeout') {
    explanation = t(
      'The request to {0} timed out. Check the network and the endpoint setting, then try again.',
      endpoint,
    );
  } else if (endpoint && NETWORK_ERROR_CODES.has(error.code)) {
    explanation = t(
      'The ECS endpoint {0} could not be reached. Check the network and the setting alibabaCloud.ecs.endpoint.',
      endpoint,
    );
  }
  const status = error.statusCode ? ` ${error.statusCode}` : '';
  const requestId = error.requestId ? t(', request ID {0}', error.requestId) : '';
  return t('{0} ({1}{2}{3})', explanation, error.code, status, requestId);
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'NetworkError',
]);

/**
 * Finds the scheme, host and port of the request in a transport error's message; the SDK's HTTP
 * client ends such messages with the method and the full URL.
 */
function endpointOf(message: string): string | undefined {
  return /\bhttps?:\/\/[^/\s?]+/.exec(message)?.[0];
}
