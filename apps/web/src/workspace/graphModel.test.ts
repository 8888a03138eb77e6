import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peerNodeId } from '../model/index.ts';
import { compileWorkspace } from './compileWorkspace.ts';

const PUBLIC = fileURLToPath(new URL('../../../../public/', import.meta.url));

function filesIn(dir: string): { id: string; path: string; text: string }[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`;
      if (statSync(path).isDirectory()) return filesIn(path);
      return /\.ya?ml$/.test(name) ? [{ id: path, path, text: readFileSync(path, 'utf8') }] : [];
    });
}

const workspaces = [
  ['demo', filesIn(`${PUBLIC}demo`)],
  ...readdirSync(`${PUBLIC}samples`)
    .filter((name) => statSync(`${PUBLIC}samples/${name}`).isDirectory())
    .map((name) => [name, filesIn(`${PUBLIC}samples/${name}`)] as const),
] as const;

describe('graphModelOf: what a NetworkPolicy admits', () => {
  it.each(workspaces)(
    '%s: every workload a peer holds, then every address range a peer covers',
    (_, files) => {
      const compiled = compileWorkspace(files);
      const { cluster, model } = compiled;
      const nodeIndex = new Map(model.nodes.map((n, i) => [n.id, i]));
      let checked = 0;
      for (const policy of cluster.policies) {
        const summary = model.policies.find((p) => p.id === policy.id && p.kind === 'NetworkPolicy')!;
        const peers = [...policy.ingress, ...policy.egress].flatMap((r) => r.peers ?? []);
        // Read straight from the definition: by id, through the node index.
        const expected = new Set<number>();
        for (const peer of peers)
          for (const w of cluster.workloads)
            if (peer.members[w.index] === 1) expected.add(nodeIndex.get(peerNodeId(w.id))!);
        const { ingressExternals, egressExternals, domainExternals } = compiled.analysis;
        for (const e of [...ingressExternals, ...egressExternals, ...domainExternals]) {
          const covered = peers.some((peer) => {
            const set = peer.ipv4 ?? [];
            for (let i = 0; i < set.length; i += 2)
              if (e.first >= set[i]! && e.last <= set[i + 1]!) return true;
            return false;
          });
          const id = peerNodeId(e.id);
          if (covered && nodeIndex.has(id)) expected.add(nodeIndex.get(id)!);
        }
        expect([...summary.admits]).toEqual([...expected].sort((a, b) => a - b));
        checked += summary.admits.length;
      }
      if (cluster.policies.length > 0) expect(checked).toBeGreaterThan(0);
    },
  );

  it('keeps its member lists across an edit, with the same answers', () => {
    const files = filesIn(`${PUBLIC}demo`);
    const first = compileWorkspace(files);
    const edited = files.map((f) =>
      f.text.includes('NetworkPolicy') ? { ...f, text: `${f.text}\n# note\n` } : f,
    );
    const next = compileWorkspace(edited, {}, first);
    expect(next.revision).not.toBe(first.revision);
    expect(next.admitted).toBe(first.admitted);
    expect(next.model.policies.map((p) => [...p.admits])).toEqual(
      first.model.policies.map((p) => [...p.admits]),
    );
  });
});
