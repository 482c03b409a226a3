/** The estimate as a plain-text report for people and as JSON for machines; both deterministic. */
import { totalsBy, type CostLine, type Estimate } from './estimate.js';

export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(absolute % 100).padStart(2, '0')}`;
}

function quantity(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

/** Rows padded into columns: the first `leftAligned` columns left-aligned, the others right-aligned. */
export function columns(rows: readonly (readonly string[])[], leftAligned = 1): string[] {
  const widths = (rows[0] ?? []).map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, index) => (index < leftAligned ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** Components as rows, regions as columns, with totals both ways. */
export function summaryTable(lines: readonly CostLine[], regions: readonly string[]): string[] {
  const byCell = totalsBy(lines, (line) => `${line.component}\u0000${line.region}`);
  const byComponent = totalsBy(lines, (line) => line.component);
  const byRegion = totalsBy(lines, (line) => line.region);
  const components = [...byComponent.keys()].sort();
  const cell = (cents: number | undefined): string => (cents === undefined ? '-' : dollars(cents));
  return columns([
    ['component', ...regions, 'total'],
    ...components.map((component) => [
      component,
      ...regions.map((region) => cell(byCell.get(`${component}\u0000${region}`))),
      cell(byComponent.get(component)),
    ]),
    [
      'total',
      ...regions.map((region) => cell(byRegion.get(region))),
      dollars(lines.reduce((sum, l) => sum + l.cents, 0)),
    ],
  ]);
}

export function renderText(estimate: Estimate): string {
  const fallbacks = estimate.prices.filter((price) => price.from !== price.region);
  const verified = estimate.prices.filter((price) => price.status === 'verified').length;
  const out = [
    `Monthly cost estimate: environment "${estimate.environment}", USD, ${estimate.hoursPerMonth}-hour month, on-demand list prices before tax`,
    '',
    ...summaryTable(estimate.lines, estimate.regions),
    '',
    'Lines:',
    ...columns(
      [
        ['  region', 'component', 'item', 'quantity', 'unit price', 'monthly'],
        ...estimate.lines.map((line) => [
          `  ${line.region}`,
          line.component,
          line.item,
          `${quantity(line.quantity)} ${line.unit.replace(/ \(.*$/, '')}`,
          `${line.unitPrice}${line.pricedFrom === line.region ? '' : ` (${line.pricedFrom})`}`,
          dollars(line.cents),
        ]),
      ],
      3,
    ),
    '',
    'Usage assumptions (`usage` in the environment file; docs/cost.md):',
    ...Object.entries(estimate.usage).map(([key, value]) => `  usage.${key} = ${value}`),
  ];
  if (fallbacks.length > 0) {
    out.push('', 'Prices taken from another region (--price-fallback):');
    for (const price of fallbacks) out.push(`  ${price.region} ${price.key}: ${price.from}'s ${price.price}`);
  }
  out.push('', 'Not priced:');
  for (const entry of estimate.notPriced)
    out.push(`  ${entry.decision} ${entry.type} (${entry.count}): ${entry.reason}`);
  out.push(
    '',
    `Price sources (${verified} of ${estimate.prices.length} verified against a page read on the date shown; the rest carried from the published list, see cost/prices/*.json):`,
  );
  for (const price of estimate.prices)
    out.push(
      `  ${price.from} ${price.key} ${price.price} per ${price.unit}: ${price.source} (${price.status}, ${price.read})`,
    );
  return `${out.join('\n')}\n`;
}

export function renderJson(estimate: Estimate): string {
  const byRegion = Object.fromEntries(
    [...totalsBy(estimate.lines, (line) => line.region)].sort().map(([k, c]) => [k, c / 100]),
  );
  const byComponent = Object.fromEntries(
    [...totalsBy(estimate.lines, (line) => line.component)].sort().map(([k, c]) => [k, c / 100]),
  );
  return `${JSON.stringify(
    {
      environment: estimate.environment,
      currency: estimate.currency,
      hoursPerMonth: estimate.hoursPerMonth,
      total: estimate.totalCents / 100,
      byRegion,
      byComponent,
      lines: estimate.lines.map(({ cents, ...line }) => ({ ...line, monthly: cents / 100 })),
      usage: estimate.usage,
      notPriced: estimate.notPriced,
      prices: estimate.prices,
    },
    null,
    2,
  )}\n`;
}
