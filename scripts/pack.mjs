// Builds the publishable npm package `netpol-atlas` and packs it into .pack/netpol-atlas-<version>.tgz:
// packaging/npm/src/main.ts (the CLI, and `ui` running the proxy with the Kubernetes client)
// bundled by esbuild into one file, and the built web app beside it. The package has no dependencies, so installing the
// tarball needs no registry. The manifest is packaging/npm/package.json; its version is the CLI's
// (apps/cli/package.json), the one `--version` prints.
//
//   node scripts/pack.mjs [--skip-web]   (`pnpm pack:npm`; --skip-web reuses apps/web/dist)
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, '.pack');
const STAGE = join(OUT, 'netpol-atlas');
const WEB = join(ROOT, 'apps', 'web');
const BIN = 'dist/netpol-atlas.mjs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Runs a command; throws with its output when it fails. */
function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

/** `vite build` of apps/web, run directly so no package manager wraps it. */
function buildWeb() {
  const vite = createRequire(join(WEB, 'package.json')).resolve('vite/package.json');
  run(process.execPath, [join(dirname(vite), 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: WEB,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * One ESM file for node. Bundled CommonJS dependencies (yaml's node build, some of the
 * Kubernetes client's) call `require` for node built-ins, which an ES module lacks: the banner
 * gives them one.
 */
async function bundleCli() {
  const result = await build({
    entryPoints: [join(ROOT, 'packaging', 'npm', 'src', 'main.ts')],
    outfile: join(STAGE, BIN),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Identifiers stay: an "internal error, please report it" stack then names real functions,
    // and renaming them saves no measurable start-up time.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    banner: {
      js: "import { createRequire as __netpolRequire } from 'node:module'; const require = __netpolRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  chmodSync(join(STAGE, BIN), 0o755);
  return result.metafile;
}

/** The directory of the npm package an input of the bundle belongs to (pnpm's layout), if any. */
function packageDirOf(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? realpathSync(join(ROOT, match[1])) : undefined;
}

/** Where `name` resolves from `fromDir`, as node looks for it: node_modules folders upwards. */
function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The packages the built web app may contain: the app's dependencies and theirs, workspace
 * packages left out. Vite reports no module list, so this errs on the side of naming too many.
 */
function webPackageDirs() {
  const dirs = new Set();
  const visit = (dir) => {
    const { dependencies = {} } = readJson(join(dir, 'package.json'));
    for (const [name, spec] of Object.entries(dependencies)) {
      if (String(spec).startsWith('workspace:')) continue;
      const found = findPackageDir(name, dir);
      if (found && !dirs.has(found)) {
        dirs.add(found);
        visit(found);
      }
    }
  };
  visit(WEB);
  return dirs;
}

/**
 * Redistributing bundled code means shipping its licences: one file naming every package in the
 * CLI bundle and in the web app, with its licence text.
 */
function thirdPartyNotices(metafile) {
  const dirs = webPackageDirs();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input);
    if (dir) dirs.add(dir);
  }
  const sections = [...dirs]
    .map((dir) => {
      const pkg = readJson(join(dir, 'package.json'));
      const licenceFile = readdirSync(dir).find((name) => /^licen[cs]e(\.(md|txt))?$/i.test(name));
      const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : '(no licence file)';
      return { id: `${pkg.name}@${pkg.version}`, licence: pkg.license ?? 'unknown', text };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const body = sections.map((s) => `${s.id} (${s.licence})\n\n${s.text}\n`).join(`\n${'-'.repeat(72)}\n\n`);
  writeFileSync(
    join(STAGE, 'dist', 'THIRD-PARTY-NOTICES.txt'),
    `netpol-atlas includes the following packages (in ${BIN} and dist/web).\n\n${body}`,
  );
  return sections.length;
}

/**
 * Stages and packs the package. Returns the tarball's path and what npm reports about it.
 * @param {{ skipWeb?: boolean, log?: (line: string) => void }} [options]
 */
export async function pack({ skipWeb = false, log = (line) => console.log(line) } = {}) {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(join(STAGE, 'dist'), { recursive: true });
  if (!skipWeb) {
    log('pack: building the web app (vite build)');
    buildWeb();
  }
  if (!existsSync(join(WEB, 'dist', 'index.html')))
    throw new Error('apps/web/dist is missing: run without --skip-web');
  cpSync(join(WEB, 'dist'), join(STAGE, 'dist', 'web'), { recursive: true });

  log('pack: bundling the CLI, the proxy and their dependencies (esbuild)');
  const metafile = await bundleCli();
  const noticed = thirdPartyNotices(metafile);

  const manifest = readJson(join(ROOT, 'packaging', 'npm', 'package.json'));
  const { version } = readJson(join(ROOT, 'apps', 'cli', 'package.json'));
  // The version goes right after the name, where readers of a package.json look for it.
  const { name, ...rest } = manifest;
  writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify({ name, version, ...rest }, null, 2)}\n`);
  cpSync(join(ROOT, 'packaging', 'npm', 'README.md'), join(STAGE, 'README.md'));

  const [report] = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', OUT], {
      cwd: STAGE,
      env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false' },
    }),
  );
  const tarball = join(OUT, report.filename);
  log(
    `pack: ${relative(ROOT, tarball)}: ${(report.size / 1024 / 1024).toFixed(1)} MB packed, ` +
      `${(report.unpackedSize / 1024 / 1024).toFixed(1)} MB unpacked, ${report.entryCount} files; ` +
      `${noticed} third-party packages in THIRD-PARTY-NOTICES.txt`,
  );
  return { tarball, version, size: report.size, unpackedSize: report.unpackedSize, files: report.entryCount };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await pack({ skipWeb: process.argv.includes('--skip-web') });
  } catch (error) {
    console.error(`pack: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
