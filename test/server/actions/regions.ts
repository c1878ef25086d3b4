import { invalidParameter } from '../errors';
import type { ActionContext } from '../model';
import { requireRegion } from '../model';

/** Region endpoints that differ from the `ecs.<regionId>.aliyuncs.com` rule. */
const SPECIAL_ENDPOINTS: Record<string, string> = {
  'cn-hangzhou': 'ecs-cn-hangzhou.aliyuncs.com',
};

export function describeRegions({ params, state }: ActionContext) {
  // NOTE: the real API also returns names in ja and other languages. The fixture stores Chinese
  // and English names only, so every language other than zh-CN gets the English name.
  const language = params.get('AcceptLanguage') ?? 'zh-CN';
  const region = state.regions.map((entry) => ({
    RegionId: entry.regionId,
    LocalName: language === 'zh-CN' ? entry.localName['zh-CN'] : entry.localName['en-US'],
    RegionEndpoint:
      entry.regionEndpoint ??
      SPECIAL_ENDPOINTS[entry.regionId] ??
      `ecs.${entry.regionId}.aliyuncs.com`,
    Status: entry.status ?? 'available',
  }));
  return { Regions: { Region: region } };
}

/** Attribute names that DescribeAccountAttributes accepts, as its API page lists them. */
const ATTRIBUTE_NAMES = [
  'instance-network-type',
  'max-security-groups',
  'max-elastic-network-interfaces',
  'max-postpaid-instance-vcpu-count',
  'max-spot-instance-vcpu-count',
  'used-postpaid-instance-vcpu-count',
  'used-spot-instance-vcpu-count',
  'max-postpaid-yundisk-capacity',
  'used-postpaid-yundisk-capacity',
  'max-dedicated-hosts',
  'supported-postpaid-instance-types',
  'max-axt-command-count',
  'max-axt-invocation-daily',
  'real-name-authentication',
  'max-cloud-assistant-activation-count',
];

function attributeValues(context: ActionContext, regionId: string, name: string) {
  const { state } = context;
  switch (name) {
    case 'instance-network-type':
      return [{ Value: 'vpc' }, { Value: 'classic' }];
    case 'max-security-groups':
      return [{ Value: '100', Count: 1 }];
    case 'max-elastic-network-interfaces':
      return [{ Value: '100', Count: 1 }];
    case 'used-postpaid-instance-vcpu-count': {
      const used = state.instances
        .filter((instance) => instance.regionId === regionId)
        .reduce((sum, instance) => sum + (instance.cpu ?? 2), 0);
      return [{ Value: String(used), Count: 1 }];
    }
    case 'real-name-authentication':
      return [{ Value: 'yes' }];
    default:
      // NOTE: the fixture contains no data for the other attributes, so they have no values.
      return [];
  }
}

export function describeAccountAttributes(context: ActionContext) {
  const regionId = requireRegion(context);
  const requested = context.params.indexedList('AttributeName', 8) ?? ATTRIBUTE_NAMES;
  for (const name of requested) {
    if (!ATTRIBUTE_NAMES.includes(name)) {
      throw invalidParameter('AttributeName', `contains the unknown attribute "${name}".`);
    }
  }
  const items = requested.map((name) => ({
    AttributeName: name,
    AttributeValues: { ValueItem: attributeValues(context, regionId, name) },
  }));
  return { AccountAttributeItems: { AccountAttributeItem: items } };
}
