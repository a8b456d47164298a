import { init, use } from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([LineChart, BarChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

/** One series of a chart: its points, each one mark on the page. */
export interface ChartSeries {
  readonly name: string;
  readonly kind: 'line' | 'bar' | 'scatter';
  /** `[x, y]` pairs; x is a category's index when the chart has categories. */
  readonly points: readonly (readonly [number, number])[];
  /** Stack bars of the same stack name on each other. */
  readonly stack?: string;
  /** Draw the points as large rings above every other series: they call out points of the others. */
  readonly callout?: boolean;
}

/** What a chart shows, in the domain's terms; {@link renderChart} turns it into SVG. */
export interface ChartSpec {
  /** A page-unique id (the figure's `id`). */
  readonly id: string;
  readonly title: string;
  readonly xName: string;
  readonly yName: string;
  /** Names of the x positions for a category axis; a value axis when left out. */
  readonly categories?: readonly string[];
  /** Start the x axis at the smallest x, not at zero (frame counts, simulated time). */
  readonly xFromData?: boolean;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
}

/** A chart rendered to SVG, with the number of marks each series drew (its points). */
export interface RenderedChart {
  readonly spec: ChartSpec;
  readonly svg: string;
}

// Colour-blind-safe (Okabe-Ito), so the same strategy keeps its colour from chart to chart.
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/**
 * Renders a chart to an SVG string with ECharts' server-side renderer: no DOM, no script, no
 * animation. Every point of every series is drawn as one mark (line symbols are never thinned),
 * so the page's marks can be counted against its data.
 */
export function renderChart(spec: ChartSpec): RenderedChart {
  const width = spec.width ?? 560;
  // The legend wraps under the axis: each extra row of it makes the chart taller, not the plot smaller.
  const legendRows = legendRowsFor(spec.series.map((s) => s.name), width);
  const legendHeight = 22 * legendRows;
  const height = (spec.height ?? 340) + legendHeight - 22;
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      // Opaque, so a chart cut out of the page reads on a dark background too.
      backgroundColor: '#ffffff',
      color: palette,
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      title: { text: spec.title, left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0, type: 'plain' },
      grid: { left: 72, right: 24, top: 48, bottom: 50 + legendHeight },
      xAxis: spec.categories === undefined
        ? { type: 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28, scale: spec.xFromData === true, minInterval: 1 }
        : { type: 'category', name: spec.xName, nameLocation: 'middle', nameGap: 28, data: [...spec.categories] },
      yAxis: { type: 'value', name: spec.yName, nameLocation: 'middle', nameGap: 56 },
      series: spec.series.map((s) => ({
        name: s.name,
        type: s.kind,
        data: s.points.map(([x, y]) => [x, y]),
        ...(s.kind === 'line' ? { showSymbol: true, showAllSymbol: true, symbolSize: 6 } : {}),
        ...(s.kind === 'scatter' ? { symbolSize: 7 } : {}),
        ...(s.callout === true ? { symbolSize: 18, z: 10, itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#C00000', borderWidth: 2.5 } } : {}),
        ...(s.kind === 'bar' ? { barMaxWidth: 28, ...(s.stack === undefined ? {} : { stack: s.stack }) } : {}),
      })),
    });
    return { spec, svg: stableClassNames(chart.renderToSVGString(), spec.id) };
  } finally {
    chart.dispose();
  }
}

/** About how many rows ECharts' plain legend takes for these names (items of a symbol, a gap and the text). */
function legendRowsFor(names: readonly string[], width: number): number {
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const item = 40 + 7 * name.length;
    if (used > 0 && used + item > width - 20) {
      rows++;
      used = 0;
    }
    used += item;
  }
  return rows;
}

/**
 * ECharts names each chart's CSS classes and clip paths from process-wide counters (`zr3-cls-41`,
 * `zr3-c0`): renamed
 * after the chart and numbered from zero in order of appearance, the page is the same bytes
 * whatever was rendered before it in the process.
 */
function stableClassNames(svg: string, id: string): string {
  const numbers = new Map<string, number>();
  return svg
    .replace(/\bzr\d+-cls-(\d+)\b/g, (_, n: string) => {
      if (!numbers.has(n)) numbers.set(n, numbers.size);
      return `${id}-cls-${numbers.get(n)}`;
    })
    .replace(/\bzr\d+-/g, `${id}-`);
}
