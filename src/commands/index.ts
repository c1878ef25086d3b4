// Command IDs; package.json contributes the same strings.
export const COMMAND = {
  joinSecurityGroup: 'alibabaCloud.ecs.joinSecurityGroup',
  addInstance: 'alibabaCloud.ecs.addInstance',
  refresh: 'alibabaCloud.ecs.refresh',
  switchRegion: 'alibabaCloud.ecs.switchRegion',
  showLog: 'alibabaCloud.ecs.showLog',
  quickActions: 'alibabaCloud.ecs.quickActions',
  openSettings: 'alibabaCloud.ecs.openSettings',
} as const;
