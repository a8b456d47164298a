import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

// The report as a reader sees it: pages made by the built bin, opened by Debian's Chromium
// (`.ci/run` installs it; Playwright's own browser download does not work on this machine).
const bin = fileURLToPath(new URL('../../bin/pagelab.js', import.meta.url));
const chromiumPath = '/usr/bin/chromium';
const screenshots = fileURLToPath(new URL('../../../../test-results/report/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-report-'));

function pagelab(...args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: scratch, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(result.stderr).not.toMatch(/error/);
  expect(result.status, `pagelab ${args.join(' ')}`).toBe(0);
  return result.stdout;
}

interface EmbeddedChart {
  id: string;
  series: { name: string; points: [number, number][] }[];
}

/**
 * Runs in the page (as source text: this package compiles without the DOM's types): each chart of
 * the embedded data, whether its figure is there, the marks each of its series drew, and its size.
 */
const countMarksInPage = `(() => {
  const data = JSON.parse(document.getElementById('pagelab-report-data').textContent);
  return data.charts.map((chart) => {
    const figure = document.getElementById(chart.id);
    const marks = chart.series.map(() => 0);
    for (const mark of figure ? figure.querySelectorAll('[ecmeta_ssr_type="chart"][ecmeta_data_index]') : []) {
      const series = Number(mark.getAttribute('ecmeta_series_index'));
      marks[series] = (marks[series] ?? 0) + 1;
    }
    const box = figure && figure.querySelector('svg') ? figure.querySelector('svg').getBoundingClientRect() : { width: 0, height: 0 };
    return { chart, found: figure !== null, marks, width: box.width, height: box.height };
  });
})()`;

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`);
  if (!existsSync(bin.replace(/bin[/\\]pagelab\.js$/, join('dist', 'bin', 'pagelab.js')))) throw new Error('the pagelab bin is not built: pnpm build');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    // The machine's network is closed: without these, Chromium's own background connections fail noisily.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Opens a report in Chromium and checks it as a reader would meet it: no console error, no
 * request beyond the file itself, and in every chart as many marks per series as the embedded
 * data has points. Returns the charts' data and saves a full-page screenshot.
 */
async function openReport(file: string, name: string): Promise<EmbeddedChart[]> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request: ${request.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  const charts = await page.evaluate<{ chart: EmbeddedChart; found: boolean; marks: number[]; width: number; height: number }[]>(countMarksInPage);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  await page.close();
  expect(problems).toEqual([]);
  expect(charts.length).toBeGreaterThan(0);
  for (const { chart, found, marks, width, height } of charts) {
    expect(found, `figure ${chart.id}`).toBe(true);
    expect(marks, `marks of ${chart.id}`).toEqual(chart.series.map((s) => s.points.length));
    expect(width * height, `size of ${chart.id}`).toBeGreaterThan(0);
  }
  return charts.map((c) => c.chart);
}

describe('pagelab report in Chromium', () => {
  it("draws the shipped DMA and Belady sweeps on one page: FIFO's anomaly at 4 frames", async () => {
    pagelab('sweep', 'dma-vs-replacement', '--out', 'dma.jsonl');
    pagelab('sweep', 'belady', '--out', 'belady.jsonl');
    pagelab('report', 'dma.jsonl', 'belady.jsonl', '-o', 'sweeps.html');
    const charts = await openReport(join(scratch, 'sweeps.html'), 'sweeps');
    expect(charts.map((c) => c.id)).toEqual(['fault-curve-0', 'io-astray-0', 'io-copy-0', 'io-pinned-0']);
    const curve = charts[0]!;
    const fifo = curve.series.find((s) => s.name === 'fifo')!;
    // The published counts: 9 faults with 3 frames, 10 with 4.
    expect(fifo.points.filter(([frames]) => frames === 3 || frames === 4)).toEqual([[3, 9], [4, 10]]);
    expect(curve.series.find((s) => s.name === "Belady's anomaly")!.points).toContainEqual([4, 10]);
    expect(readFileSync(join(scratch, 'sweeps.html'), 'utf8')).toContain('fifo faults 10 times with 4 frames but 9 with 3');
    // 4 strategies × 5 frame counts × 5 seeds, averaged over the seeds: a mark per strategy and frame count.
    expect(charts[1]!.series.map((s) => s.points.length)).toEqual([5, 5, 5, 5]);
  });

  it('draws the DMA comparison and a timeline per run from one pagelab compare --report', async () => {
    pagelab('compare', 'dma-vs-replacement', '--io', 'unprotected,pin,bounce', '--report', 'dma.html');
    const charts = await openReport(join(scratch, 'dma.html'), 'dma-vs-replacement');
    expect(charts.map((c) => c.id)).toEqual(['io-astray-0', 'io-copy-0', 'io-pinned-0', 'timeline-activity-0', 'timeline-corruption-0', 'timeline-activity-1', 'timeline-activity-2']);
    const astray = charts[0]!.series[0]!.points;
    expect(astray[0]![1]).toBeGreaterThan(0);
    expect(astray.slice(1).map(([, bytes]) => bytes)).toEqual([0, 0]);
  });

  it('draws a run\'s event log from pagelab run --events', async () => {
    pagelab('run', fileURLToPath(new URL('../../../cpu-m68k/fixtures/out/strings.elf', import.meta.url)), '--frames', '7', '--events', 'strings.events.jsonl');
    pagelab('report', 'strings.events.jsonl', '-o', 'strings.html');
    const charts = await openReport(join(scratch, 'strings.html'), 'strings-events');
    expect(charts.map((c) => c.id)).toEqual(['timeline-activity-0']);
    const evictions = charts[0]!.series.find((s) => s.name === 'evictions')!.points.reduce((n, [, count]) => n + count, 0);
    expect(evictions).toBeGreaterThan(0);
  });
});
