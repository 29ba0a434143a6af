// Opens a faultline HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core from reports/node_modules) the way a reader would, from file://, and fails when:
//   - anything is logged at level error or warning, or a script throws;
//   - the page requests anything but its own file (every other request is aborted and reported);
//   - a chart container has no ECharts instance, no canvas, an empty canvas or a series without data;
//   - with --expect-name: the title or heading is not the literal scenario name, or a script that a
//     hostile name tried to inject ran (window.__pwned) or added a <script> element;
//   - zooming one time chart does not move the others;
//   - the page is wider than the window, or an element sticks out of the page's card (<main>) other
//     than inside a box that scrolls (a wide table's .table-wrap);
//   - a comparison (or replications) report's bar chart leaves a strategy without its label or its value, or has a
//     value axis that does not start at zero;
//   - a run report's latency axis does not show the SLO's latency line.
// Saves a full-page PNG screenshot.
//
//   node render_report.mjs REPORT.html --screenshot OUT.png [--expect-name NAME] [--expect-charts N]
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// puppeteer-core lives in reports/node_modules (installed by .ci/setup), not beside this script.
const require = createRequire(path.join(here, '../../../reports/package.json'));
const puppeteer = require('puppeteer-core');

function parseArgs(argv) {
  const args = { report: null, screenshot: null, expectName: null, expectCharts: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--screenshot') args.screenshot = argv[++i];
    else if (a === '--expect-name') args.expectName = argv[++i];
    else if (a === '--expect-charts') args.expectCharts = Number(argv[++i]);
    else if (!args.report) args.report = a;
    else throw new Error('unexpected argument: ' + a);
  }
  if (!args.report || !args.screenshot) {
    throw new Error('usage: node render_report.mjs REPORT.html --screenshot OUT.png [--expect-name NAME] [--expect-charts N]');
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const reportPath = path.resolve(args.report);
  if (!existsSync(reportPath)) throw new Error('no such report: ' + reportPath);
  const reportUrl = pathToFileURL(reportPath).href;
  const problems = [];

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // As root (CI) Chromium needs --no-sandbox; the rest keeps the browser itself off the network
    // and independent of /dev/shm's size.
    args: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-default-apps', '--disable-sync', '--disable-extensions',
      '--hide-scrollbars', '--mute-audio', '--force-color-profile=srgb'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warn' || msg.type() === 'warning' || msg.type() === 'assert') {
        problems.push('console ' + msg.type() + ': ' + msg.text());
      }
    });
    page.on('pageerror', (err) => problems.push('page error: ' + (err && err.message ? err.message : String(err))));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url === reportUrl) {
        request.continue();
      } else {
        problems.push('request beyond the report file: ' + url.slice(0, 200));
        request.abort();
      }
    });
    page.on('requestfailed', (request) => {
      if (request.url() === reportUrl) problems.push('the report itself failed to load: ' + request.failure()?.errorText);
    });

    const started = Date.now();
    await page.goto(reportUrl, { waitUntil: 'load', timeout: 20000 });
    // Every chart container reports 'finished' once ECharts has drawn it.
    await page.waitForFunction(() => {
      const charts = Array.from(document.querySelectorAll('.chart'));
      return document.documentElement.dataset.charts !== undefined && charts.every((el) => el.dataset.rendered === 'true');
    }, { timeout: 15000 }).catch(() => problems.push('charts did not finish drawing within 15 s'));
    const loadedMs = Date.now() - started;

    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('.chart')).map((el) => {
      const result = { id: el.id, instance: false, width: 0, height: 0, inked: 0, emptySeries: [] };
      const instance = window.echarts && window.echarts.getInstanceByDom(el);
      if (!instance) return result;
      result.instance = true;
      for (const s of instance.getOption().series) {
        if (s.type !== 'custom' && !(Array.isArray(s.data) && s.data.some((p) => (Array.isArray(p) ? p[1] : p) !== null))) {
          result.emptySeries.push(String(s.name));
        }
      }
      const canvas = el.querySelector('canvas');
      if (!canvas) return result;
      result.width = canvas.width;
      result.height = canvas.height;
      // Count pixels that are not the white background: a drawn chart has thousands.
      const probe = document.createElement('canvas');
      probe.width = 200;
      probe.height = 100;
      const ctx = probe.getContext('2d');
      ctx.drawImage(canvas, 0, 0, probe.width, probe.height);
      const pixels = ctx.getImageData(0, 0, probe.width, probe.height).data;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 0 && (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235)) result.inked += 1;
      }
      return result;
    }));
    if (charts.length === 0) problems.push('the report has no chart');
    if (args.expectCharts !== null && charts.length !== args.expectCharts) {
      problems.push('expected ' + args.expectCharts + ' charts, found ' + charts.length);
    }
    for (const c of charts) {
      if (!c.instance) problems.push(c.id + ': no ECharts instance');
      else if (c.width === 0 || c.height === 0) problems.push(c.id + ': no canvas with a size');
      else if (c.inked < 200) problems.push(c.id + ': the canvas is (nearly) blank: ' + c.inked + ' inked pixels of 20000');
      if (c.emptySeries.length) problems.push(c.id + ': series without data: ' + c.emptySeries.join(', '));
    }

    if (args.expectName !== null) {
      const seen = await page.evaluate(() => ({
        heading: document.getElementById('scenario-name')?.textContent,
        title: document.title,
        pwned: typeof window.__pwned,
        scripts: document.scripts.length,
      }));
      if (seen.heading !== args.expectName) problems.push('heading is ' + JSON.stringify(seen.heading) + ', not the scenario name ' + JSON.stringify(args.expectName));
      if (!seen.title.startsWith(args.expectName)) problems.push('title is ' + JSON.stringify(seen.title) + ', which does not start with the scenario name');
      if (seen.pwned !== 'undefined') problems.push('a script injected through the scenario ran (window.__pwned is set)');
      if (seen.scripts !== 3) problems.push('expected 3 <script> elements (data, ECharts, page), found ' + seen.scripts);
    }

    // Nothing wider than the window or sticking out of the card, except inside a scrolling box.
    const overflow = await page.evaluate(() => {
      const found = [];
      const main = document.querySelector('main');
      if (document.documentElement.scrollWidth > window.innerWidth) {
        found.push('the page is ' + document.documentElement.scrollWidth + ' px wide in a ' + window.innerWidth + ' px window');
      }
      if (!main) return found;
      const card = main.getBoundingClientRect();
      const scrolls = (el) => {
        for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
          const o = getComputedStyle(a).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
        }
        return false;
      };
      for (const el of main.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || scrolls(el)) continue;
        if (r.right > card.right + 1 || r.left < card.left - 1) {
          found.push('<' + el.tagName.toLowerCase() + (el.id ? ' id=' + el.id : '') + (el.className ? ' class=' + el.className : '') +
            '> spans ' + Math.round(r.left) + '–' + Math.round(r.right) + ' px, outside the card at ' + Math.round(card.left) + '–' +
            Math.round(card.right) + ' px');
          if (found.length > 5) break;
        }
      }
      return found;
    });
    problems.push(...overflow);

    // A comparison's bar charts: every strategy has its label and its value, from a zero-based axis.
    const bars = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('faultline-data').textContent);
      if (data.kind !== 'compare' && data.kind !== 'replications') return null;
      return data.metrics.map((m) => {
        const instance = window.echarts.getInstanceByDom(document.getElementById(m.id));
        const axis = instance.getModel().getComponent('yAxis', 0).axis;
        const extent = instance.getModel().getComponent('xAxis', 0).axis.scale.getExtent();
        // What was drawn: a strategy's label is its name or, shortened, a prefix of it with an ellipsis.
        const texts = instance.getZr().storage.getDisplayList().filter((e) => e.style && typeof e.style.text === 'string');
        const names = m.items.map((it) => it.strategy);
        const labelled = names.filter((n) => texts.some((e) => e.style.text === n ||
          (e.style.text.endsWith('...') && e.style.text.length > 3 && n.startsWith(e.style.text.slice(0, -3))))).length;
        const values = texts.filter((e) => e.parent && e.parent.name === 'value-label').length;
        return { id: m.id, strategies: names.length, labels: Math.min(axis.getViewLabels().length, labelled), values, min: extent[0] };
      });
    });
    for (const b of bars || []) {
      if (b.labels !== b.strategies) problems.push(b.id + ': ' + b.labels + ' strategy labels drawn for ' + b.strategies + ' strategies');
      if (b.values !== b.strategies) problems.push(b.id + ': ' + b.values + ' value labels drawn for ' + b.strategies + ' strategies');
      if (b.min > 0) problems.push(b.id + ': the value axis starts at ' + b.min + ', not at zero');
    }

    // A run report's latency chart shows the SLO line inside its plot, above the bottom fifth.
    const slo = await page.evaluate(() => {
      const el = document.getElementById('chart-latency');
      if (!el) return null;
      const data = JSON.parse(document.getElementById('faultline-data').textContent);
      const instance = window.echarts.getInstanceByDom(el);
      const y = instance.convertToPixel({ yAxisIndex: 0 }, data.slo.latency_ms);
      const grid = instance.getModel().getComponent('grid', 0).coordinateSystem.getRect();
      return { y, top: grid.y, bottom: grid.y + grid.height, height: grid.height };
    });
    if (slo && !(slo.y >= slo.top && slo.y <= slo.bottom - slo.height / 5)) {
      problems.push('the SLO latency line is at y=' + Math.round(slo.y) + ', outside the upper four fifths of the latency plot (' +
        Math.round(slo.top) + '–' + Math.round(slo.bottom) + ')');
    }

    // The screenshot first, at the initial zoom; then pan one chart and check the others follow.
    await page.screenshot({ path: args.screenshot, fullPage: true });
    // A comparison or failure-modes report has no time charts to pan.
    const noTimeCharts = await page.evaluate(() => document.getElementById('chart-success') === null &&
      ['faultline comparison report', 'faultline replications report', 'faultline fmea report'].includes(document.querySelector('.kicker')?.textContent));
    const pan = noTimeCharts ? { ms: 0, followed: [] } : await page.evaluate(() => {
      const ids = ['chart-success', 'chart-latency', 'chart-bad', 'chart-share'];
      const instances = ids.map((id) => window.echarts.getInstanceByDom(document.getElementById(id)));
      if (instances.some((i) => !i)) return null;
      const t0 = performance.now();
      instances[0].dispatchAction({ type: 'dataZoom', start: 40, end: 60 });
      const ms = performance.now() - t0;
      return { ms, followed: instances.map((i) => i.getOption().dataZoom.map((z) => [z.start, z.end])) };
    });
    let panMs = null;
    if (!pan) {
      problems.push('a time chart is missing');
    } else {
      panMs = pan.ms;
      pan.followed.forEach((zooms, i) => zooms.forEach(([start, end]) => {
        if (Math.abs(start - 40) > 0.5 || Math.abs(end - 60) > 0.5) {
          problems.push('time chart ' + i + ' did not follow the zoom: ' + start + '–' + end);
        }
      }));
      if (pan.ms > 1000) problems.push('a zoom took ' + pan.ms.toFixed(0) + ' ms to redraw the four time charts');
    }

    const size = statSync(reportPath).size;
    const summary = path.basename(reportPath) + ': ' + (size / 1e6).toFixed(2) + ' MB, ' + charts.length + ' charts (' +
      charts.map((c) => c.id + ' ' + c.width + 'x' + c.height).join(', ') + '), drawn in ' + loadedMs + ' ms, a zoom in ' +
      (panMs === null ? '?' : panMs.toFixed(0)) + ' ms; screenshot ' + args.screenshot;
    if (problems.length) {
      console.error('render_report: FAILED ' + summary);
      for (const p of problems) console.error('  - ' + p);
      process.exitCode = 1;
    } else {
      console.log('render_report: ok ' + summary);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error('render_report: ' + (err && err.stack ? err.stack : String(err)));
  process.exitCode = 1;
});
