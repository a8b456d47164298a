/* global fetch -- Node 20's built-in fetch talks to the local registry */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from '../launch/build-if-stale.mjs';
import { codeSnippets, packageDirs } from './readme-snippets.mjs';

// A release, end to end, as users meet it: every package is published with a changesets
// snapshot version to a real registry (Verdaccio on 127.0.0.1, temporary storage, no uplinks),
// then installed into fresh projects outside the repository, each with its own npm cache.
// Nothing here skips: a missing build or tool fails the test.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-registry-'));
const SNAPSHOT_TAG = 'e2e';
let registry = '';
let server = null;
let serverLog = '';

/** Runs a command to completion; throws with its output when it fails. */
function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function waitForRegistry(deadline) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`verdaccio exited ${server.exitCode}:\n${serverLog}`);
    try {
      if ((await fetch(`${registry}/-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`verdaccio did not answer on ${registry} within the time limit:\n${serverLog}`);
}

/** Creates the publishing user and returns its token (Verdaccio's CouchDB-style user endpoint). */
async function publisherToken() {
  const response = await fetch(`${registry}/-/user/org.couchdb.user:pagelab`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'pagelab', password: 'release-test-only' }),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== 'string') throw new Error(`verdaccio refused the test user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** npm/pnpm environment that reads only `npmrc` and caches in `cache`: never the user's config or cache. */
function npmEnv(npmrc, cache) {
  // Under `pnpm test`, pnpm exports its own npm_config_* (registry=npmjs.org among them), which
  // would beat the project's .npmrc: drop them all and name the local registry outright.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  return { ...env, npm_config_registry: `${registry}/`, npm_config_userconfig: npmrc, npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

/**
 * A copy of the workspace's packages (what `files` publishes, from the current build) in which
 * `changeset version --snapshot` rewrites versions, so the repository stays clean.
 */
function snapshotCopy() {
  const release = join(scratch, 'release');
  mkdirSync(join(release, 'packages'), { recursive: true });
  writeFileSync(join(release, 'package.json'), JSON.stringify({ name: 'pagelab-release', private: true }) + '\n');
  writeFileSync(join(release, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n');
  cpSync(join(root, '.changeset'), join(release, '.changeset'), { recursive: true });
  for (const dir of packageDirs(root)) {
    cpSync(join(root, 'packages', dir), join(release, 'packages', dir), {
      recursive: true,
      // Only what `files` publishes matters; skipping the rest keeps the copy small.
      filter: (path) => !/[\\/](node_modules|\.turbo|fixtures|bench)$/.test(path),
    });
  }
  run(join(root, 'node_modules', '.bin', 'changeset'), ['version', '--snapshot', SNAPSHOT_TAG], {
    cwd: release,
    env: { ...process.env, npm_config_offline: 'true' },
  });
  resolveWorkspaceRanges(join(release, 'packages'));
  return release;
}

/**
 * Turns `workspace:^` ranges into `^<version>` as `pnpm publish` does inside an installed
 * workspace (this copy has no node_modules, so pnpm would refuse to).
 */
function resolveWorkspaceRanges(packagesDir) {
  const versions = new Map();
  const manifests = readdirSync(packagesDir).map((dir) => {
    const path = join(packagesDir, dir, 'package.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    versions.set(manifest.name, manifest.version);
    return { path, manifest };
  });
  for (const { path, manifest } of manifests) {
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (!range.startsWith('workspace:')) continue;
        const version = versions.get(name);
        if (version === undefined) throw new Error(`${manifest.name}: ${field}.${name} is ${range} but no workspace package has that name`);
        const kind = range.slice('workspace:'.length);
        manifest[field][name] = kind === '*' ? version : kind === '^' || kind === '~' ? `${kind}${version}` : kind;
      }
    }
    writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  }
}

function versionIn(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

/** A fresh consumer project outside the repository, with its own .npmrc and npm cache. */
function consumer(name) {
  const dir = join(scratch, 'consumers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }) + '\n');
  writeFileSync(join(dir, '.npmrc'), `registry=${registry}/\n`);
  const env = npmEnv(join(dir, '.npmrc'), join(scratch, `npm-cache-${name}`));
  return {
    dir,
    env,
    install: (...specs) => run('npm', ['install', '--no-package-lock', ...specs.map((s) => `${s}@${SNAPSHOT_TAG}`)], { cwd: dir, env }),
    installed: () => readdirSync(join(dir, 'node_modules', '@pagelab')).sort(),
  };
}

beforeAll(async () => {
  buildIfStale(root, packageDirs(root), 'release test'); // a no-op under pnpm test, which builds first

  const home = join(scratch, 'verdaccio');
  mkdirSync(home);
  const uplink = process.env.PAGELAB_UPLINK_REGISTRY ?? 'https://registry.npmjs.org/';
  writeFileSync(join(home, 'config.yaml'), readFileSync(join(root, 'tools', 'release', 'verdaccio.yaml'), 'utf8').replaceAll('UPLINK_URL', uplink));
  const port = await freePort();
  registry = `http://127.0.0.1:${port}`;
  const bin = join(root, 'tools', 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  if (!existsSync(bin)) throw new Error(`verdaccio is not installed at ${bin}: run pnpm install`);
  server = spawn(process.execPath, [bin, '--config', join(home, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  await waitForRegistry(Date.now() + 60_000);

  const token = await publisherToken();
  const release = snapshotCopy();
  const npmrc = join(release, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  const env = npmEnv(npmrc, join(scratch, 'npm-cache-publish'));
  for (const dir of packageDirs(root)) {
    const version = versionIn(join(release, 'packages', dir));
    if (!version.includes(SNAPSHOT_TAG)) throw new Error(`changeset version --snapshot left ${dir} at ${version}`);
    run('pnpm', ['publish', '--registry', `${registry}/`, '--tag', SNAPSHOT_TAG, '--no-git-checks'], { cwd: join(release, 'packages', dir), env });
  }
}, 600_000);

afterAll(async () => {
  if (server !== null && server.exitCode === null) {
    const exited = new Promise((done) => server.once('exit', done));
    server.kill();
    await exited;
  }
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('published packages, installed from a local registry', () => {
  it('every package is on the registry under its snapshot version', async () => {
    for (const dir of packageDirs(root)) {
      const name = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name;
      const response = await fetch(`${registry}/${name.replace('/', '%2f')}`);
      expect(response.status, name).toBe(200);
      const metadata = await response.json();
      expect(metadata['dist-tags'][SNAPSHOT_TAG], name).toContain(`-${SNAPSHOT_TAG}-`);
    }
  });

  it('@pagelab/pager installs alone and its README example runs in plain Node ESM', () => {
    const project = consumer('pager');
    project.install('@pagelab/pager');
    expect(project.installed()).toEqual(['contracts', 'pager']);
    const example = codeSnippets(readFileSync(join(root, 'packages', 'pager', 'README.md'), 'utf8')).find((s) => s.language === 'js');
    expect(example, 'the pager README has a js example').toBeDefined();
    writeFileSync(join(project.dir, 'example.mjs'), example.code);
    const out = run(process.execPath, ['example.mjs'], { cwd: project.dir, env: project.env }).stdout;
    // OSTEP's paging-policy.py on the same strings (shared/notes/oracles.md).
    expect(out.trim().split('\n')).toEqual(['fifo 15', 'lru 12', 'opt 9', 'fifo, 4 frames 10']);
  }, 300_000);

  it('@pagelab/kernel installs alone, with every package it wires', () => {
    const project = consumer('kernel');
    project.install('@pagelab/kernel');
    expect(project.installed()).toEqual(['contracts', 'cpu-m68k', 'dma', 'frame-table', 'io-buffers', 'kernel', 'mmu', 'pager']);
    const probe = "import { createSystem } from '@pagelab/kernel'; const s = createSystem({ frames: 16 }); s.spawnSynthetic({ name: 'loop', priority: 1, spec: { pattern: 'loop', pages: 4, references: 1000 } }); console.log(s.run().statistics.pageFaults);";
    const out = run(process.execPath, ['--input-type=module', '-e', probe], { cwd: project.dir, env: project.env }).stdout;
    expect(Number(out.trim())).toBe(4); // four distinct pages looped over in 16 frames: compulsory faults only
  }, 300_000);

  it('@pagelab/cpu-m68k installs; `npx m68k-run` runs from its one-file bundle, which prints what the modules print', async () => {
    const project = consumer('cpu-m68k');
    project.install('@pagelab/cpu-m68k');
    const packageDir = join(project.dir, 'node_modules', '@pagelab', 'cpu-m68k');
    const installed = join(packageDir, 'dist', 'runner');
    // The launcher's own rule: the installed bundle is from the build that wrote the modules.
    const { freshBundle } = await import(pathToFileURL(join(packageDir, 'bin', 'fresh-bundle.js')).href);
    expect(freshBundle(pathToFileURL(join(installed, 'bin.js')), pathToFileURL(join(installed, 'bin.bundle.js')))).toBe(true);
    const fixtures = join(root, 'packages', 'cpu-m68k', 'fixtures');
    const args = [join(fixtures, 'out', 'numsort.elf'), '--stdin', join(fixtures, 'input', 'numsort.txt')];
    const expected = readFileSync(join(fixtures, 'out', 'numsort.expected'), 'latin1'); // qemu-m68k's output
    expect(run('npx', ['--no', 'm68k-run', ...args], { cwd: project.dir, env: project.env }).stdout).toBe(expected);
    for (const file of ['bin.bundle.js', 'bin.js']) expect(run(process.execPath, [join(installed, file), ...args], { cwd: project.dir, env: project.env }).stdout, file).toBe(expected);
  }, 300_000);

  it('@pagelab/cli installs; `npx pagelab run` and `npx pagelab compare` work from the installed bin', () => {
    const project = consumer('cli');
    project.install('@pagelab/cli');
    const fixtures = join(root, 'packages', 'kernel', 'fixtures');
    const ran = run('npx', ['--no', 'pagelab', 'run', join(fixtures, 'bin', 'readsum.elf'), '--stdin', join(fixtures, 'input.txt'), '--frames', '16', '--io', 'bounce'], {
      cwd: project.dir,
      env: project.env,
    });
    expect(ran.stdout).toBe(readFileSync(join(fixtures, 'bin', 'readsum.expected'), 'utf8')); // qemu-m68k's output
    const compared = run('npx', ['--no', 'pagelab', 'compare', join(root, 'docs', 'experiments', 'dma-vs-replacement.json')], { cwd: project.dir, env: project.env }).stdout;
    const row = (label) => compared.split('\n').find((line) => line.startsWith(label)) ?? '';
    for (const strategy of ['unprotected', 'pin', 'bounce', 'hybrid']) expect(row(`${strategy} / hardware`), strategy).not.toBe('');
    expect(row('pin / hardware')).toMatch(/\s1\/1\s/);
    expect(row('bounce / hardware')).toMatch(/\s1\/1\s/);
    // The shipped experiment by name, from the installed package's own copy: the same run.
    const byName = run('npx', ['--no', 'pagelab', 'compare', 'dma-vs-replacement', '--io', 'pin'], { cwd: project.dir, env: project.env }).stdout;
    const cells = (line) => (line ?? '').trim().split(/ {2,}/);
    expect(cells(byName.split('\n').find((line) => line.startsWith('pin / hardware')))).toEqual(cells(row('pin / hardware')));
    const traced = run('npx', ['--no', 'pagelab', 'trace', 'belady', '--policy', 'fifo', '--frames', '3,4'], { cwd: project.dir, env: project.env }).stdout;
    expect(traced).toMatch(/\nfifo +9 +10\n$/);
  }, 300_000);

  it('a TypeScript consumer compiles under tsc --init defaults and bundler resolution, and runs', () => {
    const project = consumer('typescript');
    project.install('@pagelab/contracts', '@pagelab/mmu', '@pagelab/cpu-m68k');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '--init'], { cwd: project.dir });
    writeFileSync(
      join(project.dir, 'consumer.ts'),
      [
        "import { AccessKind, CpuStopReason, FaultCause, Protection, Translation } from '@pagelab/contracts';",
        "import { createCpu, FlatBus } from '@pagelab/cpu-m68k';",
        "import { createMmu } from '@pagelab/mmu';",
        '',
        'const mmu = createMmu({ frameCount: 8 });',
        'const space = mmu.createAddressSpace();',
        'mmu.reserve(space, 0, 4, Protection.ReadWrite);',
        'const kind: AccessKind = AccessKind.Read;',
        'const faulted = mmu.translate(space, 0x1000, kind) === Translation.Fault;',
        'const cause: FaultCause = mmu.lastFault.cause;',
        'const bus = new FlatBus(1 << 16);',
        'bus.load(0x1000, [0x70, 0x07, 0x4e, 0x40]); // moveq #7,d0; trap #0',
        "const cpu = createCpu({ model: 'm68000', bus, hostTraps: true, hostFaults: true });",
        'cpu.state.registers[15] = 0x8000;',
        'cpu.resumeAt(0x1000);',
        'const stop: CpuStopReason = cpu.run(100);',
        'console.log(faulted, cause === FaultCause.NotPresent, stop === CpuStopReason.Trap, cpu.state.registers[0]);',
        '',
      ].join('\n'),
    );
    writeFileSync(join(project.dir, 'tsconfig.bundler.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'preserve', moduleResolution: 'bundler', noEmit: true } }));
    run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: project.dir });
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.dir });
    const out = run(process.execPath, ['consumer.js'], { cwd: project.dir, env: project.env }).stdout;
    expect(out.trim()).toBe('true true true 7');
  }, 300_000);
});

/** The three labs, with an edit that breaks each starter and the test that must then fail. */
const labs = [
  { seam: 'replacement-policy', part: 'src/policy.js', name: 'my-policy', breaks: ['if (candidates.isCandidate(frame) && (victim < 0', 'if ((victim < 0'], failing: /^FAIL\s+0\/1 {2}chooses only unpinned frames over a long run/m },
  { seam: 'io-strategy', part: 'src/strategy.js', name: 'my-io', breaks: ['delivered = services.copyBounce(bounceId, request.buffer, request.direction, bytes);', 'delivered = bytes;'], failing: /^FAIL\s+0\/1 {2}delivers a read into the user buffer, across page boundaries/m },
  { seam: 'restart-strategy', part: 'src/restart.js', name: 'my-restart', breaks: ['undo: frame.hidden.registerChanges', 'undo: []'], failing: /^FAIL\s+0\/1 {2}hidden record: restarts MOVE.L \(A0\)\+,-\(A1\) exactly/m },
];

/** Checks a results file against the fields Gradescope's autograder reads (issue 9, item 7). */
function validateGradescope(results) {
  expect(typeof results.score).toBe('number');
  expect(typeof results.execution_time).toBe('number');
  expect(Array.isArray(results.tests) && results.tests.length > 0).toBe(true);
  for (const t of results.tests) {
    expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'score', 'status', 'visibility']);
    expect(typeof t.name).toBe('string');
    expect(['passed', 'failed']).toContain(t.status);
    expect(typeof t.output).toBe('string');
    expect(['visible', 'hidden', 'after_due_date', 'after_published']).toContain(t.visibility);
    expect(t.score).toBe(t.status === 'passed' ? t.max_score : 0);
  }
  expect(results.score).toBe(results.tests.reduce((sum, t) => sum + t.score, 0));
}

/** One project with the CLI installed, from which the three labs are created, as a student's shell would have it. */
let labTool = null;
function labToolProject() {
  if (labTool === null) {
    labTool = consumer('lab-tool');
    labTool.install('@pagelab/cli');
  }
  return labTool;
}

describe('the lab kit, from the registry', () => {
  it.each(labs)('pagelab lab init $seam: the starter passes, the experiment names the part, grade validates, a broken part fails by name', (lab) => {
    const tool = labToolProject();
    const dir = join(scratch, 'labs', lab.seam);
    run('npx', ['--no', 'pagelab', 'lab', 'init', lab.seam, dir], { cwd: tool.dir, env: tool.env });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(JSON.stringify(manifest.dependencies)).not.toMatch(/workspace:|file:|link:/);
    expect(manifest.dependencies['@pagelab/cli']).toContain(`-${SNAPSHOT_TAG}-`); // the version just published

    writeFileSync(join(dir, '.npmrc'), `registry=${registry}/\n`);
    // One npm cache for the three labs: vitest comes through the registry's uplink once.
    const env = npmEnv(join(dir, '.npmrc'), join(scratch, 'npm-cache-labs'));
    try {
      run('npm', ['install', '--no-package-lock'], { cwd: dir, env });
    } catch (error) {
      // vitest comes through the registry's uplink: say what the registry saw when it could not.
      throw new Error(`${error.message}\nregistry log (uplink ${process.env.PAGELAB_UPLINK_REGISTRY ?? 'https://registry.npmjs.org/'}):\n${serverLog.split('\n').slice(-20).join('\n')}`);
    }

    const tested = run('npm', ['test', '--silent'], { cwd: dir, env }).stdout;
    expect(tested).toMatch(/^total: \d+ passed, 0 failed, score (\d+)\/\1$/m);

    // The student's part runs under the name they give it, beside the built-ins it is compared with.
    const partPath = join(dir, lab.part);
    writeFileSync(partPath, readFileSync(partPath, 'utf8').replace(`name: '${lab.name}'`, `name: 'student-${lab.seam}'`));
    const experiment = run('npm', ['run', 'experiment', '--silent'], { cwd: dir, env }).stdout;
    expect(experiment).toContain(`student-${lab.seam}`);

    run('npm', ['run', 'grade', '--silent'], { cwd: dir, env });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    validateGradescope(results);
    expect(results.tests.every((t) => t.status === 'passed')).toBe(true);

    const starter = readFileSync(partPath, 'utf8');
    expect(starter, `${lab.part} holds the line the test breaks`).toContain(lab.breaks[0]);
    writeFileSync(partPath, starter.replace(lab.breaks[0], lab.breaks[1]));
    const broken = spawnSync('npm', ['test', '--silent'], { cwd: dir, env, encoding: 'utf8', timeout: 180_000 });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(lab.failing);
    expect(broken.stdout).toMatch(/^total: \d+ passed, [1-9]\d* failed/m);
  }, 400_000);
});
