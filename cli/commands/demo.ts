import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCommand } from 'citty';
import { type DemoNetwork, type DemoOrg, startDemoNetwork } from '../demo/network.js';
import { type Step, runScenario } from '../demo/scenario.js';
import { type StoryKey, tell } from '../demo/story.js';
import { type CliApp, outputArgs, outputFor } from './shared.js';

const NAMES: Record<DemoOrg, string> = { 'open-gate': 'Open Gate', astra: 'ASTRA', 'lefoe-ibf': 'LEFÖ-IBF' };

/**
 * `corridor demo [--keep]` (and `npm start`): three real node processes on localhost with their
 * own databases in a temporary directory, the seed directory signed by demo stewards, and the
 * story told step by step as each organisation sees it. `--keep` leaves the network running and
 * says how to use the CLI against each node; otherwise everything is stopped and removed.
 */
export function demoCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'demo', description: app.t('help.demo') },
    args: { ...outputArgs(app.t), keep: { type: 'boolean', description: app.t('arg.keep') } },
    async run({ args }) {
      const out = outputFor(app, args.json === true);
      const say = (key: StoryKey, vars?: Record<string, string | number>) => tell(app.lang, key, vars);
      const dir = mkdtempSync(join(tmpdir(), 'corridor-demo-'));
      let net: DemoNetwork | null = null;
      const steps: Step[] = [];
      try {
        if (!out.json) out.line(out.style('strong', say('demo.start')));
        net = await startDemoNetwork(dir);
        await runScenario(net, (step) => {
          steps.push(step);
          if (!out.json) out.line(`${out.style('strong', `[${NAMES[step.org]}]`)} ${say(step.say as StoryKey, step.vars)}`);
        });
        const nodes = Object.fromEntries(Object.values(net.nodes).map((n) => [n.org, { url: n.url, dataDir: n.dataDir }]));
        if (out.json) out.data({ complete: true, steps, kept: args.keep === true, ...(args.keep ? { nodes } : {}) });
        else out.line(out.style('ok', say('demo.done')));
        if (args.keep) {
          if (!out.json) {
            out.line(say('demo.kept'));
            for (const n of Object.values(net.nodes)) out.line(`  ${say('demo.keptNode', { name: NAMES[n.name as DemoOrg], url: n.url, dir: n.dataDir })}`);
          }
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
        }
      } finally {
        await net?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}
