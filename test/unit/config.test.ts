import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseEnv, parseSettings } from '../../src/config/load-config.js';

describe('environment', () => {
  it('uses defaults for unset and empty variables', () => {
    const env = parseEnv({ PORT: '', MONGODB_URI: undefined });
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', MONGODB_DB: 'switchboard', LOG_LEVEL: 'info' });
    expect(env.MONGODB_URI).toBeUndefined();
  });

  it('names each wrong variable and how to fix it', () => {
    const attempt = () => parseEnv({ PORT: 'eighty', MONGODB_URI: 'postgres://x', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/PORT: .*set it to a TCP port/);
    expect(message).toMatch(/MONGODB_URI: must start with mongodb:\/\/.*unset it to use the embedded database/);
    expect(message).toMatch(/ADMIN_TOKEN: must be at least 24 characters/);
    expect(message).toMatch(/LOG_LEVEL: .*use one of/);
  });
});

describe('settings file', () => {
  it('loads the shipped config/switchboard.json', () => {
    const config = loadConfig({}, process.cwd());
    expect(config.settings.inboxes.some((i) => i.channel === 'webchat')).toBe(true);
  });

  it('reports every bad field with its path', () => {
    const bad = { inboxes: [{ id: 'Web Site', channel: 'webchat', name: 'x' }, { id: 'tg', channel: 'pigeon', name: 'y' }], delivery: { maxAttempts: 0 } };
    expect(() => parseSettings(bad, 'config/x.json')).toThrow(/inboxes\.0\.id[\s\S]*inboxes\.1\.channel[\s\S]*delivery\.maxAttempts/);
    expect(() => parseSettings({ inboxes: [{ id: 'a', channel: 'webchat', name: 'A' }, { id: 'a', channel: 'webchat', name: 'B' }] }, 'f')).toThrow(/duplicate inbox id "a"/);
  });

  it('says which file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'missing.json' }, dir)).toThrow(/Cannot read settings file .*missing\.json/);
    writeFileSync(join(dir, 'broken.json'), '{ "inboxes": [');
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'broken.json' }, dir)).toThrow(/broken\.json is not valid JSON/);
  });
});

describe('team, bot and routing files', () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sb-config-'));
    for (const name of ['switchboard.json', 'team.json', 'auto-reply.json', 'routing.json', 'crm.json', 'desk.json', 'report-types.json', 'reports.json']) {
      writeFileSync(join(d, name), readFileSync(join(process.cwd(), 'config', name)));
    }
    return d;
  };
  const edit = (d: string, name: string, change: (json: any) => void) => {
    const json = JSON.parse(readFileSync(join(d, name), 'utf8'));
    change(json);
    writeFileSync(join(d, name), JSON.stringify(json));
  };

  it('loads the shipped team, auto-reply and routing files', () => {
    const config = loadConfig({}, process.cwd());
    expect(config.team.teams.map((t) => t.id)).toContain(config.routing.defaultTeam);
    expect(config.autoReply.languages).toEqual(['en', 'ko']);
  });

  it('loads the shipped roles, old role names as their new ones, and refuses unknown roles and permissions by field', () => {
    const config = loadConfig({}, process.cwd());
    expect(config.team.roles.map((r) => r.id)).toContain('sales-assistant');
    const d = dir();
    edit(d, 'team.json', (j) => {
      j.managers[1].role = 'supervisor';
      j.managers[2].role = 'viewer';
    });
    const aliased = loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d);
    expect(aliased.team.managers.slice(1, 3).map((m) => m.role)).toEqual(['head_of_sales', 'observer']);
    const bad: Array<[(j: any) => void, RegExp]> = [
      [(j) => (j.managers[0].role = 'janitor'), /managers\.0\.role: no role "janitor"/],
      [(j) => (j.roles[0].permissions['deals.steal'] = 'all'), /roles\.0\.permissions/],
      [(j) => (j.roles[0].permissions['deals.read'] = 'everyone'), /roles\.0\.permissions\.deals\.read/],
      [(j) => (j.roles[0].id = 'admin'), /roles\.0\.id: is the id of a built-in role/],
      [(j) => (j.roles[0].permissions['tasks.write'] = 'team'), /roles\.0\.permissions\.tasks\.write: needs "tasks\.read" with scope "team" or wider/],
      [(j) => (j.roles[0].permissions = { 'deals.write': 'own' }), /roles\.0\.permissions\.deals\.write: needs "deals\.read"/],
      [(j) => j.roles.push({ ...j.roles[0] }), /roles\.1\.id: role "sales-assistant" is declared twice/],
    ];
    for (const [change, message] of bad) {
      const broken = dir();
      edit(broken, 'team.json', change);
      expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, broken)).toThrow(message);
    }
  });

  it('rejects a stage automation giving a task to a role that does not exist', () => {
    const d = dir();
    edit(d, 'crm.json', (j) => {
      const stage = j.pipelines[0].stages.find((s: any) => s.automations?.some((a: any) => a.actions.some((x: any) => x.assignee?.role)));
      const action = stage.automations.flatMap((a: any) => a.actions).find((x: any) => x.assignee?.role);
      action.assignee.role = 'janitor';
    });
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d)).toThrow(/crm\.json pipelines\.0\.stages\.\d+\.automations\.\d+\.actions\.\d+\.assignee\.role: no role "janitor"/);
  });

  it('rejects a routing rule naming a team that does not exist', () => {
    const d = dir();
    edit(d, 'routing.json', (j) => (j.rules[0].then.team = 'marketing'));
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d)).toThrow(/routing\.json rules\.0 .*then\.team: no team "marketing" in team\.json/);
  });

  it('rejects business hours with a bad time zone or time, naming the field', () => {
    const d = dir();
    edit(d, 'team.json', (j) => {
      j.businessHours.office.timeZone = 'Asia/Soeul';
      j.businessHours.office.weekly.mon[0].from = '9am';
    });
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d)).toThrow(/team\.json[\s\S]*businessHours\.office\.timeZone[\s\S]*businessHours\.office\.weekly\.mon\.0\.from/);
  });

  it('rejects an FAQ pattern that is not a regular expression and a default language not offered', () => {
    const d = dir();
    edit(d, 'auto-reply.json', (j) => {
      j.faq[2].patterns = ['(unclosed'];
      j.defaultLanguage = 'fr';
    });
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d)).toThrow(/auto-reply\.json[\s\S]*faq\.2\.patterns[\s\S]*defaultLanguage: must be one of languages/);
  });

  it('rejects a manager in a team that does not exist', () => {
    const d = dir();
    edit(d, 'team.json', (j) => j.managers[0].teams.push('ghosts'));
    expect(() => loadConfig({ SWITCHBOARD_CONFIG: 'switchboard.json' }, d)).toThrow(/managers\.0\.teams\.1: no team "ghosts"/);
  });
});
