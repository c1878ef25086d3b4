import { EcsApiError } from './errors';
import type { EcsGateway } from './gateway';

/** The error code every call of a `RefusingGateway` raises; messages.ts explains it. */
export const INVALID_ENDPOINT_CODE = 'InvalidEndpointSetting';

/**
 * A gateway that sends nothing: every call fails with the reason. It replaces the SDK
 * gateway while the endpoint setting cannot be used, so that a typo in the setting never sends
 * signed requests to the Alibaba Cloud endpoint instead of the intended one.
 */
export class RefusingGateway implements EcsGateway {
  constructor(
    /** The setting's value as written, for the message. */
    private readonly endpointValue: string,
  ) {}

  private refuse(action: string): never {
    throw new EcsApiError(INVALID_ENDPOINT_CODE, 0, this.endpointValue, '', '', action);
  }

  async listRegions(): Promise<never> {
    this.refuse('DescribeRegions');
  }

  async listVpcs(): Promise<never> {
    this.refuse('DescribeVpcs');
  }

  async listInstances(): Promise<never> {
    this.refuse('DescribeInstances');
  }

  async listSecurityGroups(): Promise<never> {
    this.refuse('DescribeSecurityGroups');
  }

  async listNetworkInterfaces(): Promise<never> {
    this.refuse('DescribeNetworkInterfaces');
  }

  async joinSecurityGroup(): Promise<never> {
    this.refuse('JoinSecurityGroup');
  }

  async leaveSecurityGroup(): Promise<never> {
    this.refuse('LeaveSecurityGroup');
  }
}
