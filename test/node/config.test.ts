import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../node/config.js';

const minimal = { CORRIDOR_NODE_ID: 'node:astra', CORRIDOR_ORG_ID: 'org:astra', CORRIDOR_DATA_DIR: '/var/lib/corridor' };

describe('loadConfig: one pure function over CORRIDOR_* variables', () => {
  it('fills defaults from three variables', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      node: 'node:astra',
      org: 'org:astra',
      dataDir: '/var/lib/corridor',
      dbPath: '/var/lib/corridor/corridor.db',
      host: '127.0.0.1',
      port: 4000,
      publicUrl: undefined,
      maxBodyBytes: 4 * 1024 * 1024,
      logLevel: 'info',
      dbSync: 'normal',
    });
    expect(config.outbox).toMatchObject({ autoStart: true, retryBaseMs: 30_000, retryCapMs: 6 * 3600_000, concurrency: 16 });
  });

  it('reads every variable, ignores unrelated ones and empty values', () => {
    const config = loadConfig({
      ...minimal,
      CORRIDOR_HOST: '0.0.0.0',
      CORRIDOR_PORT: '8443',
      CORRIDOR_PUBLIC_URL: 'https://corridor.astra.example/',
      CORRIDOR_LOG_LEVEL: 'debug',
      CORRIDOR_RETRY_BASE_SECONDS: '10',
      CORRIDOR_RETRY_CAP_SECONDS: '3600',
      CORRIDOR_DB_SYNC: 'full',
      CORRIDOR_MAX_BODY_BYTES: '',
      HOME: '/root',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8443, publicUrl: 'https://corridor.astra.example', logLevel: 'debug', dbSync: 'full', maxBodyBytes: 4 * 1024 * 1024 });
    expect(config.outbox).toMatchObject({ retryBaseMs: 10_000, retryCapMs: 3_600_000 });
  });

  it('lists every bad variable at once, without echoing any value', () => {
    try {
      loadConfig({ CORRIDOR_NODE_ID: 'Jelena Petrović', CORRIDOR_PORT: '99999', CORRIDOR_DATA_DIR: 'relative/dir', CORRIDOR_LOG_LEVEL: 'loud', CORRIDOR_PUBLIC_URL: 'ftp://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['CORRIDOR_NODE_ID', 'CORRIDOR_ORG_ID', 'CORRIDOR_PORT', 'CORRIDOR_DATA_DIR', 'CORRIDOR_LOG_LEVEL', 'CORRIDOR_PUBLIC_URL']) expect(problems).toContain(name);
      expect((error as ConfigError).message).not.toMatch(/Jelena|99999|relative|loud|ftp/);
    }
  });

  it('CORRIDOR_KEY_FILE: none by default (the passphrase then comes on stdin), an absolute path, never echoed', () => {
    expect(loadConfig(minimal).keyFile).toBeUndefined();
    expect(loadConfig({ ...minimal, CORRIDOR_KEY_FILE: '/media/usb/astra.key' }).keyFile).toBe('/media/usb/astra.key');
    expect(() => loadConfig({ ...minimal, CORRIDOR_KEY_FILE: 'astra.key' })).toThrow(/CORRIDOR_KEY_FILE: must be an absolute path/);
    expect(() => loadConfig({ ...minimal, CORRIDOR_KEY_FILE: 'astra.key' })).not.toThrow(/astra\.key/);
  });

  it('the web interface: on the node port + 80 by default, this machine only; its own port, any free port, or off', () => {
    expect(loadConfig(minimal).web).toEqual({ host: '127.0.0.1', port: 4080 });
    expect(loadConfig({ ...minimal, CORRIDOR_PORT: '0' }).web).toEqual({ host: '127.0.0.1', port: 0 });
    expect(loadConfig({ ...minimal, CORRIDOR_WEB_PORT: '8080', CORRIDOR_WEB_HOST: '0.0.0.0' }).web).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(loadConfig({ ...minimal, CORRIDOR_WEB_PORT: 'off' }).web).toBeUndefined();
    expect(() => loadConfig({ ...minimal, CORRIDOR_WEB_PORT: 'sometimes' })).toThrow(/CORRIDOR_WEB_PORT/);
  });

  it('refuses a retry cap below the base', () => {
    expect(() => loadConfig({ ...minimal, CORRIDOR_RETRY_BASE_SECONDS: '600', CORRIDOR_RETRY_CAP_SECONDS: '60' })).toThrow(ConfigError);
  });
});
