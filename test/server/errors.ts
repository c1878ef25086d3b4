import { randomUUID } from 'node:crypto';

/** ECS API error: the error code, the HTTP status to send and the message. */
export class EcsApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'EcsApiError';
  }
}

/** Uppercase UUID, the format of ECS RequestIds. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function hostIdFor(regionId: string | undefined): string {
  return regionId ? `ecs.${regionId}.aliyuncs.com` : 'ecs.aliyuncs.com';
}

/** Builds the JSON error body that the ECS gateway sends for 4xx and 5xx responses. */
export function errorBody(
  error: EcsApiError,
  requestId: string,
  regionId: string | undefined,
): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: hostIdFor(regionId),
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Ecs`,
  };
}

export function missingParameter(name: string): EcsApiError {
  return new EcsApiError(
    `MissingParameter.${name}`,
    400,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

export function invalidParameter(name: string, reason: string): EcsApiError {
  return new EcsApiError('InvalidParameter', 400, `The specified parameter "${name}" ${reason}`);
}

export function instanceNotFound(instanceId: string): EcsApiError {
  return new EcsApiError(
    'InvalidInstanceId.NotFound',
    404,
    `The specified InstanceId does not exist: ${instanceId}.`,
  );
}

export function networkInterfaceNotFound(networkInterfaceId: string): EcsApiError {
  return new EcsApiError(
    'InvalidEniId.NotFound',
    404,
    `The specified NetworkInterfaceId does not exist: ${networkInterfaceId}.`,
  );
}

export function securityGroupNotFound(securityGroupId: string): EcsApiError {
  return new EcsApiError(
    'InvalidSecurityGroupId.NotFound',
    404,
    `The specified SecurityGroupId does not exist: ${securityGroupId}.`,
  );
}

export function regionNotFound(regionId: string): EcsApiError {
  return new EcsApiError(
    'InvalidRegionId.NotFound',
    404,
    `The specified RegionId does not exist: ${regionId}.`,
  );
}
