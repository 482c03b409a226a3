/**
 * AWS commercial regions this toolkit accepts. Availability-zone letters vary per account (the
 * letter-to-zone mapping is shuffled), so validation checks that a zone belongs to its region
 * rather than which letters an account sees.
 */
export const KNOWN_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

/** `us-east-1` → `us_east_1`: the provider alias and construct-id form of a region. */
export function regionAlias(region: string): string {
  return region.replace(/-/g, '_');
}

/** True when `zone` is a zone name of `region`, such as `us-east-1a` for `us-east-1`. */
export function zoneBelongsToRegion(zone: string, region: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}
