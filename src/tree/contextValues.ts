// Context values of tree items. `when` clauses in package.json match these strings.
export const CONTEXT = {
  region: 'alibabaCloud.ecs.region',
  vpc: 'alibabaCloud.ecs.vpc',
  classic: 'alibabaCloud.ecs.classic',
  instanceFolder: 'alibabaCloud.ecs.instanceFolder',
  groupFolder: 'alibabaCloud.ecs.securityGroupFolder',
  instance: 'alibabaCloud.ecs.instance',
  networkInterface: 'alibabaCloud.ecs.networkInterface',
  securityGroup: 'alibabaCloud.ecs.securityGroup',
  /** A group shown under an instance: the instance is a member of it. */
  memberGroup: 'alibabaCloud.ecs.memberSecurityGroup',
  error: 'alibabaCloud.ecs.error',
  placeholder: 'alibabaCloud.ecs.placeholder',
  /** The last row of a paged folder: loading, Load More, or a failed page. */
  loadMore: 'alibabaCloud.ecs.loadMore',
} as const;

/** The context key set while no credentials are found; the welcome view depends on it. */
export const NO_CREDENTIALS_KEY = 'alibabaCloud.ecs.noCredentials';
