// The flows-1m figure: a million observed flows (Hubble JSON lines) through the CLI's streaming
// path, `netpol flows --dirpath DIR --flows FILE -o json`, on a seeded synthetic cluster.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { WorkloadPeer } from '@netpol-atlas/evaluator';
import { SeededRandom, type SourceFile } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { runCli } from '../apps/cli/src/cli.ts';
import { nodeIO } from '../apps/cli/src/nodeIO.ts';
import {
  collectGarbage,
  type Figure,
  type FigureSpec,
  MB,
  median,
  type RssSampler,
  round,
} from './measure.ts';

/** Flows in the figure's file. */
const FLOWS = 1_000_000;
/** Distinct conversations the flows repeat (a real capture is many flows of few pairs). */
const CONVERSATIONS = 4000;
/** Addresses outside the cluster the workloads talk to. */
const EXTERNAL_ADDRESSES = 64;

interface Pod {
  namespace: string;
  name: string;
  ip: string;
  labels: string[];
}

function podsOf(workloads: readonly WorkloadPeer[]): Pod[] {
  return workloads.flatMap((w) =>
    w.pods
      .filter((p) => !p.hostNetwork && p.ips.length > 0)
      .map((p) => ({
        namespace: w.namespace,
        name: p.name,
        ip: p.ips[0]!,
        labels: Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`),
      })),
  );
}

function endpoint(pod: Pod): string {
  return JSON.stringify({ namespace: pod.namespace, labels: pod.labels, pod_name: pod.name });
}

/**
 * Writes `FLOWS` Hubble `GetFlowsResponse` lines: seeded conversations between the cluster's pods
 * (on a port of the destination's containers, else a common one), 5% to external addresses, 1%
 * from pods the manifests lack (DNS servers in kube-system), a few replies, a tenth of the
 * pod-to-pod connections seen a second time at the destination's node; times advance.
 */
async function writeFlows(
  path: string,
  workloads: readonly WorkloadPeer[],
  seed: number,
  flows = FLOWS,
): Promise<void> {
  const random = new SeededRandom(seed);
  const pods = podsOf(workloads);
  const ports = new Map(
    workloads.flatMap((w) => w.pods.map((p) => [p.name, w.ports.map((c) => c.containerPort)])),
  );
  const conversations = Array.from({ length: CONVERSATIONS }, () => {
    const src = pods[random.int(pods.length)]!;
    const dst = pods[random.int(pods.length)]!;
    const known = ports.get(dst.name) ?? [];
    const port = known.length > 0 ? known[random.int(known.length)]! : [80, 443, 8080, 5432][random.int(4)]!;
    return { src, dst, port, srcJson: endpoint(src), dstJson: endpoint(dst) };
  });
  const externals = Array.from(
    { length: EXTERNAL_ADDRESSES },
    () => `203.0.${random.int(256)}.${random.int(256)}`,
  );
  const dns = JSON.stringify({
    namespace: 'kube-system',
    labels: ['k8s:k8s-app=kube-dns'],
    pod_name: 'coredns-5dd5756b68-x2k4j',
  });
  const out = createWriteStream(path);
  let time = Date.parse('2026-12-01T10:00:00Z');
  let batch: string[] = [];
  for (let i = 0; i < flows; i++) {
    time += random.int(3);
    const at = new Date(time).toISOString();
    const c = conversations[random.int(CONVERSATIONS)]!;
    const roll = random.next();
    let src = c.srcJson;
    let dst = c.dstJson;
    let ips = `"source":"${c.src.ip}","destination":"${c.dst.ip}"`;
    let l4 = `{"TCP":{"source_port":${32768 + random.int(28000)},"destination_port":${c.port},"flags":{"SYN":true}}}`;
    if (roll < 0.05) {
      const address = externals[random.int(EXTERNAL_ADDRESSES)]!;
      dst = '{"identity":2,"labels":["reserved:world"]}';
      ips = `"source":"${c.src.ip}","destination":"${address}"`;
      l4 = `{"TCP":{"source_port":${32768 + random.int(28000)},"destination_port":443}}`;
    } else if (roll < 0.06) {
      src = dns;
      ips = `"source":"10.96.0.10","destination":"${c.dst.ip}"`;
    } else if (roll < 0.07) {
      l4 = `{"UDP":{"source_port":${32768 + random.int(28000)},"destination_port":53}}`;
    }
    const verdict = random.next() < 0.02 ? 'DROPPED' : 'FORWARDED';
    const line = `{"flow":{"time":"${at}","verdict":"${verdict}","IP":{${ips},"ipVersion":"IPv4"},"l4":${l4},"source":${src},"destination":${dst},"Type":"L3_L4","node_name":"node-${random.int(20)}","traffic_direction":"EGRESS","is_reply":${roll > 0.99}},"node_name":"node-1","time":"${at}"}`;
    batch.push(line);
    // A tenth of the pod-to-pod connections are seen again at the destination's node (ingress):
    // Hubble's second observation of one connection, which must not count twice.
    if (roll >= 0.05 && roll <= 0.99 && random.next() < 0.1 && i + 1 < flows) {
      i++;
      batch.push(
        line
          .replace('"traffic_direction":"EGRESS"', '"traffic_direction":"INGRESS"')
          .replace(/"node_name":"node-\d+"/, `"node_name":"node-${random.int(20)}"`),
      );
    }
    if (batch.length >= 10_000) {
      if (!out.write(`${batch.join('\n')}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = [];
    }
  }
  out.write(batch.length > 0 ? `${batch.join('\n')}\n` : '');
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/**
 * The flows-1m figure: `netpol flows` in process over a million seeded Hubble flows (the manifests
 * and the flow file on disk, the output discarded). `ms` is the whole command: reading the
 * manifests and compiling them, streaming the file, matching and aggregating, judging every
 * aggregated flow (with its explanation) and writing the JSON report.
 */
export async function measureFlows(
  spec: FigureSpec,
  files: readonly SourceFile[],
  sizes: Record<string, number>,
  sampler: RssSampler,
  runs: number,
): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-flows-bench-'));
  try {
    const manifests = join(dir, 'manifests');
    for (const file of files) {
      mkdirSync(dirname(join(manifests, file.path)), { recursive: true });
      writeFileSync(join(manifests, file.path), file.text);
    }
    const flowsPath = join(dir, 'flows.jsonl');
    const { cluster } = new Workspace(files).cluster();
    await writeFlows(flowsPath, cluster.workloads, spec.cluster.seed);
    const flowFileMB = statSync(flowsPath).size / MB;
    let output = '';
    const io = nodeIO({
      stdout: (text) => {
        output += text;
      },
      stderr: () => {},
    });
    await collectGarbage();
    const baseMB = process.memoryUsage.rss() / MB;
    const times: number[] = [];
    const cpu: number[] = [];
    let exit = 0;
    sampler.start();
    for (let run = 0; run <= runs; run++) {
      output = '';
      await collectGarbage();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      exit = await runCli(['flows', '--dirpath', manifests, '--flows', flowsPath, '-o', 'json', '-q'], io);
      const ms = performance.now() - t0;
      const used = process.cpuUsage(c0);
      sampler.sample();
      // Run 0 is the warm-up: it pays for JIT compilation and is not reported.
      if (run > 0) {
        times.push(ms);
        // CPU time too: on a shared machine the wall clock measures the neighbours as well.
        cpu.push((used.user + used.system) / 1000);
      }
    }
    const peakMB = sampler.stop();
    const report = JSON.parse(output) as {
      summary: { records: number; observedAllowed: number; observedDenied: number; unmatchedRecords: number };
    };
    return {
      name: spec.name,
      ms: round(median(times)),
      peakMB: round(peakMB),
      baseMB: round(baseMB),
      minMs: round(Math.min(...times)),
      cpuMs: round(median(cpu)),
      runs,
      ...sizes,
      flows: FLOWS,
      flowFileMB: round(flowFileMB),
      records: report.summary.records,
      observedAllowed: report.summary.observedAllowed,
      observedDenied: report.summary.observedDenied,
      unmatched: report.summary.unmatchedRecords,
      errors: exit === 0 ? 0 : 1,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
