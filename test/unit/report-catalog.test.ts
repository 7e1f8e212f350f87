import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { buildReportCatalog, reportProblems } from '../../src/domain/reports/report-catalog.js';
import { ReportDefinitionSchema, type ReportDefinition } from '../../src/domain/reports/report-definition.js';
import { testConfig, testTeam } from '../support/test-config.js';

const CONFIG_FILES = ['switchboard.json', 'team.json', 'auto-reply.json', 'routing.json', 'crm.json', 'desk.json', 'report-types.json', 'reports.json'];

/** A copy of the shipped config/ folder with `edits` applied to its JSON files. */
function configDir(edits: Record<string, (json: any) => void>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-reports-'));
  for (const name of CONFIG_FILES) {
    const json = JSON.parse(readFileSync(join(process.cwd(), 'config', name), 'utf8'));
    edits[name]?.(json);
    writeFileSync(join(dir, name), JSON.stringify(json));
  }
  return dir;
}

function loadError(edits: Record<string, (json: any) => void>): Error {
  try {
    loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, configDir(edits));
  } catch (err) {
    return err as Error;
  }
  throw new Error('the config loaded');
}

const shippedReports = JSON.parse(readFileSync(join(process.cwd(), 'config', 'reports.json'), 'utf8')).reports as Array<{ id: string }>;
const reportIndex = (id: string) => shippedReports.findIndex((r) => r.id === id);
const report = (json: any, id: string) => json.reports.find((r: any) => r.id === id);
const dealsType = (json: any) => json.reportTypes.find((t: any) => t.id === 'deals');

describe('the shipped report config', () => {
  const config = loadConfig({}, process.cwd());
  const catalog = buildReportCatalog(config);

  it('loads with every standard report, the targets and the digest', () => {
    expect(catalog.timeZone).toBe('Asia/Seoul');
    expect([...catalog.types.keys()]).toEqual(['deals', 'contacts', 'companies', 'conversations', 'messages', 'tasks', 'contacts-with-deals']);
    expect([...catalog.reports.keys()]).toEqual([
      'deals-created', 'deals-won', 'deals-lost', 'deals-per-manager', 'revenue', 'average-deal-per-manager', 'loss-reasons', 'deal-age-per-stage',
      'first-response-per-manager', 'first-response-per-team', 'first-response-per-channel', 'conversations-by-status', 'bot-resolutions', 'sla-breaches',
      'tasks-per-manager', 'stage-funnel', 'kpi-vs-plan', 'lead-sources', 'lead-campaigns', 'landing-pages',
    ]);
    expect(catalog.targets).toHaveLength(9);
    expect(new Set(catalog.targets.map((t) => t.month))).toEqual(new Set(['2026-11', '2026-12', '2027-01']));
    expect(catalog.digest).toEqual({ enabled: true, weekday: 'mon', at: '09:00', reports: ['deals-per-manager', 'revenue', 'first-response-per-manager', 'tasks-per-manager'] });
  });

  it('resolves related fields and custom fields to their object, path and type', () => {
    const deals = catalog.types.get('deals')!;
    expect(deals.fields.get('owner.name')).toMatchObject({ key: 'owner.name', alias: 'owner', object: 'users', path: 'name', spec: { type: 'string' } });
    expect(deals.fields.get('amountMinor')).toMatchObject({ alias: null, object: 'deals', path: 'amountMinor', spec: { type: 'money' } });
    expect(deals.fields.get('company.customFields.industry')).toMatchObject({ alias: 'company', object: 'companies', path: 'customFields.industry', spec: { type: 'string' } });
    expect(deals.fields.get('contact.customFields.budget')).toMatchObject({ object: 'contacts', spec: { type: 'number', label: 'Budget' } });
    expect(catalog.types.get('contacts-with-deals')!.related).toEqual([{ as: 'deal', object: 'deals', from: '_id', to: 'contactId', join: 'with' }]);
  });

  it('is what test configs get by default, minus targets of managers the test team lacks; time zone from the first team (UTC)', () => {
    const config = testConfig('unused_db', { team: testTeam() });
    expect(config.reports.reports).toHaveLength(20);
    expect(config.reports.targets).toEqual([]);
    expect(buildReportCatalog(config).timeZone).toBe('UTC');
    expect(buildReportCatalog({ ...config, reports: { ...config.reports, timeZone: 'America/New_York' } }).timeZone).toBe('America/New_York');
  });
});

describe('a bad report definition stops start-up with the file, path and field', () => {
  const d = reportIndex('deals-won');
  const r = reportIndex('revenue');
  // Tried: each case below, one at a time, on a copy of the shipped config folder.
  it.each<[string, Record<string, (json: any) => void>, RegExp]>([
    ['a field the primary object lacks', { 'report-types.json': (j) => dealsType(j).fields.push('amount') }, /report-types\.json reportTypes\.0\.fields\.\d+: "amount" is not a field of deals \(fields: _id, createdAt, .*amountMinor.*; related: owner\.<field>, contact\.<field>, company\.<field>\)/],
    ['a related field the related object lacks', { 'report-types.json': (j) => dealsType(j).fields.push('owner.nme') }, /report-types\.json reportTypes\.0\.fields\.\d+: "owner\.nme" is not a field: users \(alias "owner"\) has no "nme" \(fields: _id, createdAt, updatedAt, name, email, role, active\)/],
    ['four related objects', { 'report-types.json': (j) => dealsType(j).related.push({ as: 'team', object: 'teams', from: 'ownerId' }) }, /report-types\.json:\n\s+reportTypes\.0\.related: a report type joins at most three related objects/],
    ['a join "from" that is not an id', { 'report-types.json': (j) => (dealsType(j).related[0].from = 'title') }, /report-types\.json reportTypes\.0\.related\.0\.from: "title" is text — owner is joined by an id field/],
    ['a join "from" holding ids of another object', { 'report-types.json': (j) => (dealsType(j).related[1].from = 'ownerId') }, /report-types\.json reportTypes\.0\.related\.1\.from: "ownerId" holds users ids, not contacts/],
    ['an alias clashing with a primary field', { 'report-types.json': (j) => (dealsType(j).related[1].as = 'source') }, /report-types\.json reportTypes\.0\.related\.1\.as: the alias "source" is also a field of deals/],
    ['an undeclared custom field of contacts', { 'report-types.json': (j) => j.reportTypes.find((t: any) => t.id === 'contacts').fields.push('customFields.shoeSize') }, /report-types\.json reportTypes\.1\.fields\.\d+: "customFields\.shoeSize" is not a field of contacts \(fields: .*customFields\.budget/],
    ['a sum of a text field', { 'reports.json': (j) => (report(j, 'revenue').measures[0].field = 'title') }, new RegExp(`reports\\.json reports\\.${r}\\.measures\\.0\\.field: "title" is text — sum needs a number`)],
    ['a bucket on a text field', { 'reports.json': (j) => (report(j, 'revenue').groupings[0] = { field: 'status', bucket: 'month' }) }, new RegExp(`reports\\.json reports\\.${r}\\.groupings\\.0\\.bucket: "status" is text — only a date field takes a bucket`)],
    ['a date grouping without a bucket', { 'reports.json': (j) => delete report(j, 'revenue').groupings[0].bucket }, new RegExp(`reports\\.json reports\\.${r}\\.groupings\\.0\\.bucket: "closedAt" is a date — give a bucket \\(day, week, month, quarter, year\\)`)],
    ['an unknown report type', { 'reports.json': (j) => (report(j, 'deals-won').type = 'dealz') }, new RegExp(`reports\\.json reports\\.${d}\\.type: no report type "dealz" \\(types: deals, contacts`)],
    ['a field outside the type', { 'reports.json': (j) => (report(j, 'deals-won').filters[0].field = 'contact.customFields.need') }, new RegExp(`reports\\.json reports\\.${d}\\.filters\\.0\\.field: "contact\\.customFields\\.need" is not a field of report type "deals"`)],
    ['a period default that does not parse', { 'reports.json': (j) => (report(j, 'revenue').period.default = 'next fortnight') }, new RegExp(`reports\\.json reports\\.${r}\\.period\\.default: "next fortnight" is not a period — try today`)],
    ['a period on a text field', { 'reports.json': (j) => (report(j, 'revenue').period.field = 'status') }, new RegExp(`reports\\.json reports\\.${r}\\.period\\.field: "status" is text — a period needs a date field`)],
    ['within on a text field', { 'reports.json': (j) => report(j, 'revenue').filters.push({ field: 'status', op: 'within', value: 'this month' }) }, new RegExp(`reports\\.json reports\\.${r}\\.filters\\.1\\.op: "status" is text — within needs a date field`)],
    ['within a bad period', { 'reports.json': (j) => report(j, 'revenue').filters.push({ field: 'createdAt', op: 'within', value: 'last 0 days' }) }, new RegExp(`reports\\.json reports\\.${r}\\.filters\\.1\\.value: "last 0 days" is not a period`)],
    ['a formula on an unknown measure', { 'reports.json': (j) => (report(j, 'revenue').formulas[0].measure = 'profit') }, new RegExp(`reports\\.json reports\\.${r}\\.formulas\\.0\\.measure: no measure "profit" \\(measures: revenue, avgDeal, deals\\)`)],
    ['a formula key used by a measure', { 'reports.json': (j) => (report(j, 'revenue').formulas[0].key = 'deals') }, new RegExp(`reports\\.json reports\\.${r}\\.formulas\\.0\\.key: "deals" is also the key of measures\\.2`)],
    ['sortBy naming no measure', { 'reports.json': (j) => (report(j, 'revenue').sortBy = 'profit') }, new RegExp(`reports\\.json reports\\.${r}\\.sortBy: no measure or formula "profit"`)],
    ['a duplicate report id', { 'reports.json': (j) => (report(j, 'deals-won').id = 'deals-created') }, new RegExp(`reports\\.json reports\\.${d}\\.id: "deals-created" is used by another report too`)],
    ['a funnel on an unknown pipeline', { 'reports.json': (j) => (report(j, 'stage-funnel').pipelineId = 'rentals') }, new RegExp(`reports\\.json reports\\.${reportIndex('stage-funnel')}\\.pipelineId: no pipeline "rentals" in crm\\.json \\(pipelines: sales\\)`)],
    ['lead sources without "by"', { 'reports.json': (j) => delete report(j, 'lead-sources').by }, new RegExp(`reports\\.json reports\\.${reportIndex('lead-sources')}\\.by: lead-sources needs "by"`)],
    ['a target for an unknown manager', { 'reports.json': (j) => (j.targets[0].manager = 'nobody@acme.example') }, /reports\.json targets\.0\.manager: no manager "nobody@acme\.example" in team\.json/],
    ['a digest naming an unknown report', { 'reports.json': (j) => (j.digest.reports[1] = 'pipeline-health') }, /reports\.json digest\.reports\.1: no report "pipeline-health" in reports\.json/],
    ['an unknown time zone', { 'reports.json': (j) => (j.timeZone = 'Mars/Olympus') }, /reports\.json timeZone: unknown time zone "Mars\/Olympus"/],
  ])('%s', (_name, edits, message) => {
    const error = loadError(edits);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  });

  it('lists every problem at once', () => {
    const error = loadError({ 'reports.json': (j) => ((j.targets[0].manager = 'nobody@acme.example'), (j.digest.reports[0] = 'nope')) });
    expect(error.message.split('\n')).toEqual([
      'Report definitions are wrong:',
      '  reports.json targets.0.manager: no manager "nobody@acme.example" in team.json',
      expect.stringMatching(/^ {2}reports\.json digest\.reports\.0: no report "nope" in reports\.json \(reports: deals-created, /),
    ]);
  });
});

describe('reportProblems for a report sent over the API', () => {
  const catalog = buildReportCatalog(loadConfig({}, process.cwd()));
  const define = (input: unknown): ReportDefinition => ReportDefinitionSchema.parse(input);

  it('is empty for a good report and names each path of a bad one', () => {
    const good = define({ id: 'by-industry', name: 'By industry', type: 'deals', groupings: [{ field: 'company.customFields.industry' }], measures: [{ key: 'revenue', fn: 'sum', field: 'amountMinor' }] });
    expect(reportProblems(catalog, good)).toEqual([]);
    const bad = define({
      id: 'bad',
      name: 'Bad',
      type: 'deals',
      filters: [{ field: 'amountMinor', op: 'gt', value: 'lots' }, { field: 'status', op: 'in', value: 'won' }],
      measures: [{ key: 'n', fn: 'count' }, { key: 'total', fn: 'sum', field: 'amount' }, { key: 'avg', fn: 'avg', field: 'closedAt' }],
    });
    expect(reportProblems(catalog, bad)).toEqual([
      'filters.0.value: "amountMinor" is money; "lots" is not',
      'filters.1.value: in needs a list of values',
      expect.stringMatching(/^measures\.1\.field: "amount" is not a field of report type "deals" \(fields: _id, number, /),
      'measures.2.field: "closedAt" is a date — avg needs a number',
    ]);
  });
});
