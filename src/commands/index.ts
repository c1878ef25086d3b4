// Command IDs; package.json contributes the same strings.
export const COMMAND = {
  joinSecurityGroup: 'alibabaCloud.ecs.joinSecurityGroup',
  addInstances: 'alibabaCloud.ecs.addInstances',
  leaveSecurityGroup: 'alibabaCloud.ecs.leaveSecurityGroup',
  undo: 'alibabaCloud.ecs.undo',
  refresh: 'alibabaCloud.ecs.refresh',
  switchRegion: 'alibabaCloud.ecs.switchRegion',
  showLog: 'alibabaCloud.ecs.showLog',
  quickActions: 'alibabaCloud.ecs.quickActions',
  openSettings: 'alibabaCloud.ecs.openSettings',
} as const;
