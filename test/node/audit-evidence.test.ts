import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, checkEvidence, evidenceHash, fingerprint } from '../../protocol/index.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import { runCli } from '../helpers/cli-io.js';

/**
 * The evidence bundle of one case, over real nodes: Open Gate refers a presumed victim to ASTRA
 * with her consent and hands over; the bundle holds the consent versions, ASTRA's signed messages
 * and receipts, and the audit entries with inclusion proofs; it verifies offline (protocol only,
 * and the real CLI), and changing any single byte makes it fail.
 */

let dn: DirectoryNetwork;
let caseId: string;
let bundle: Uint8Array;
let dir: string;
const FIELDS = ['/person/givenName', '/person/languages', '/person/gender', '/needs'];

beforeAll(async () => {
  dn = await startCaseworkNetwork();
  dir = mkdtempSync(join(tmpdir(), 'corridor-evidence-'));
  const ids = await caseWithConsent(dn, 'open-gate', { recipients: ['org:astra'], fields: FIELDS });
  caseId = ids.caseId;
  const offered = await dn.api('open-gate', 'POST', '/api/v1/referrals', offerTo('org:astra', ids));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  expect((await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') })).status).toBe(200);
  await dn.net.drain();
  expect((await dn.api('open-gate', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).status).toBe(200);
  await dn.net.drain();
  expect((await dn.api('open-gate', 'GET', `/api/v1/cases/${caseId}`)).status).toBe(200);
  const n = dn.net.nodes['open-gate']!;
  const res = await fetch(`${n.url}/api/v1/cases/${caseId}/evidence`, { headers: { authorization: `Bearer ${n.token}` } });
  expect(res.status).toBe(200);
  bundle = new Uint8Array(await res.arrayBuffer());
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dn?.close();
});

describe('the evidence bundle', () => {
  it('holds the consents, the messages both ways with receipts, and the audit entries; it verifies offline', () => {
    const checked = checkEvidence(bundle);
    expect(checked).toMatchObject({ ok: true, summary: { caseId, node: 'node:open-gate', org: 'org:open-gate', consents: 1 } });
    if (!checked.ok) return;
    expect(checked.summary.received).toBeGreaterThanOrEqual(1); // ASTRA's accept
    expect(checked.summary.sent).toBeGreaterThanOrEqual(2); // offer, handover (and the consent record)
    expect(checked.summary.receipts).toBe(checked.summary.sent);
    const kinds = (JSON.parse(new TextDecoder().decode(bundle)).evidence.audit.entries as { entry: string }[]).map(
      (e) => (JSON.parse(Buffer.from(e.entry, 'base64url').toString('utf8')) as AuditEntry).kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['consent-given', 'case-viewed', 'message-queued', 'message-sent', 'message-delivered', 'message-acknowledged']));
    // no personal data in the file: nothing of the person's case data is in the bundle's text
    const text = new TextDecoder().decode(bundle);
    for (const secret of ['Marija', 'Testović', '+381 64 555 0199', 'debt bondage']) expect(text).not.toContain(secret);
  });

  it('the export is in the audit log: case-exported with the SHA-256 of the exact bytes', () => {
    const ctx = dn.net.nodes['open-gate']!.node.ctx;
    const last = ctx.audit.entriesAbout(caseId).at(-1)!;
    const entry = JSON.parse(new TextDecoder().decode(last.bytes)) as AuditEntry;
    // exported by the signed-in coordinator, named by the account's opaque id
    expect(entry).toMatchObject({ kind: 'case-exported', actor: expect.stringMatching(/^account:[0-7][0-9A-HJKMNP-TV-Z]{25}$/), subject: { caseId }, hashes: { export: evidenceHash(bundle) } });
  });

  it('the directory version installed is in every node\'s log, with its hash', () => {
    for (const name of ['open-gate', 'astra', 'lefoe-ibf']) {
      const rows = dn.net.nodes[name]!.node.ctx.handle.sqlite.prepare('SELECT bytes FROM audit_entry ORDER BY seq').all() as { bytes: Buffer }[];
      const installed = rows.map((r) => JSON.parse(r.bytes.toString('utf8')) as AuditEntry).filter((e) => e.kind === 'directory-updated');
      expect(installed).toEqual([expect.objectContaining({ subject: { directoryVersion: 1 }, hashes: { directory: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } })]);
    }
  });

  it('checks the organisation key fingerprint when given', () => {
    const ctx = dn.net.nodes['open-gate']!.node.ctx;
    expect(checkEvidence(bundle, { orgKeyFingerprint: fingerprint(ctx.keys.orgPublicKey) }).ok).toBe(true);
    const other = fingerprint(dn.net.nodes.astra!.node.ctx.keys.orgPublicKey);
    expect(checkEvidence(bundle, { orgKeyFingerprint: other })).toEqual({ ok: false, part: 'evidence.orgPublicKey', reason: 'org-key' });
  });

  it('changing any single byte makes it fail (every position class, then random positions and values)', () => {
    const flipAt = (i: number, value: number) => {
      const copy = Uint8Array.from(bundle);
      copy[i] = value;
      return copy;
    };
    // the first, the last, and a spread of positions through the whole file, each one bit flipped
    const step = Math.max(1, Math.floor(bundle.length / 400));
    for (let i = 0; i < bundle.length; i += step) expect(checkEvidence(flipAt(i, bundle[i]! ^ 0x01)).ok, `byte ${i}`).toBe(false);
    expect(checkEvidence(flipAt(bundle.length - 1, bundle.at(-1)! ^ 0x20)).ok).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bundle.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, v) => {
        fc.pre(v !== bundle[i]);
        return checkEvidence(flipAt(i, v)).ok === false;
      }),
      { numRuns: 300 },
    );
    // appended or removed bytes too
    expect(checkEvidence(Uint8Array.from([...bundle, 0x0a])).ok).toBe(false);
    expect(checkEvidence(bundle.subarray(0, bundle.length - 1)).ok).toBe(false);
  });

  it('corridor audit evidence writes it and corridor audit check-evidence verifies it offline; one changed byte fails with one line', async () => {
    const n = dn.net.nodes['open-gate']!;
    const file = join(dir, 'case.json');
    // the evidence holds case data: a coordinator's session, not the operator's machine credential
    const session = join(dir, 'coordinator-session');
    writeFileSync(session, `${n.token}\n`, { mode: 0o600 });
    const written = await runCli(['audit', 'evidence', caseId, '--out', file, '--node', n.url, '--token-file', session, '--json']);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ file, caseId });
    const fp = fingerprint(n.node.ctx.keys.orgPublicKey);
    const ok = await runCli(['audit', 'check-evidence', file, '--org-key-fingerprint', fp]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('The evidence verifies');
    const de = await runCli(['audit', 'check-evidence', file, '--lang', 'de', '--json']);
    expect(JSON.parse(de.stdout)).toMatchObject({ ok: true, caseId, fingerprintChecked: false });

    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x04;
    writeFileSync(file, bytes);
    const failed = await runCli(['audit', 'check-evidence', file]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(failed.stderr).toContain('does NOT verify');
    // a missing file, no file: one line each
    expect((await runCli(['audit', 'check-evidence', join(dir, 'none.json')])).code).not.toBe(0);
    expect((await runCli(['audit', 'check-evidence'])).code).not.toBe(0);
  });

  it('an unknown case: 404, nothing recorded', async () => {
    const n = dn.net.nodes['open-gate']!;
    const size = n.node.ctx.audit.size();
    const res = await fetch(`${n.url}/api/v1/cases/01JAAAAAAAAAAAAAAAAAAAAAAA/evidence`, { headers: { authorization: `Bearer ${n.token}` } });
    expect(res.status).toBe(404);
    expect(n.node.ctx.audit.size()).toBe(size);
  });

  it('corridor audit verify after all this: the log verifies (text and --json)', async () => {
    const n = dn.net.nodes['open-gate']!;
    const r = await runCli(['audit', 'verify', '--node', n.url, '--data-dir', n.dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The audit log verifies');
    const j = await runCli(['audit', 'verify', '--node', n.url, '--data-dir', n.dataDir, '--json', '--lang', 'sr']);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, problem: null });
  });
});
