import type { ActionHandler } from '../model';
import { describeInstances } from './instances';
import { joinSecurityGroup, leaveSecurityGroup } from './membership';
import { describeNetworkInterfaces } from './networkInterfaces';
import { describeAccountAttributes, describeRegions } from './regions';
import { describeSecurityGroupAttribute, describeSecurityGroups } from './securityGroups';
import { describeVpcs } from './vpcs';

/** ECS 2014-05-26 actions that the server implements, by their x-acs-action name. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  DescribeAccountAttributes: describeAccountAttributes,
  DescribeInstances: describeInstances,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeRegions: describeRegions,
  DescribeSecurityGroupAttribute: describeSecurityGroupAttribute,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeVpcs: describeVpcs,
  JoinSecurityGroup: joinSecurityGroup,
  LeaveSecurityGroup: leaveSecurityGroup,
};
