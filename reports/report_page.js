// The report's charts: reads the data block that faultline wrote into the page and draws it with
// Apache ECharts (embedded in the page as the script before this one). Runs under a CSP that allows
// only these two scripts: no eval, no network, no inline handlers. Names from the scenario reach
// the DOM only as text, or through escapeHtml in tooltips, which ECharts inserts as HTML.
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('faultline-data').textContent);
  const durationMs = data.duration_s * 1000;
  const longRun = data.duration_s >= 3600;
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#7f7f7f'];
  const faultFill = 'rgba(213, 94, 0, 0.12)';
  const faultBar = 'rgba(213, 94, 0, 0.85)';
  const font = '"Liberation Sans", Arial, Helvetica, sans-serif';
  const charts = [];

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  // Elapsed time since the start of the run; the time axis is UTC from the epoch, so ticks fall on
  // whole minutes and hours of the run.
  function elapsed(ms, withSeconds) {
    const total = Math.round(ms / 1000);
    const h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60;
    if (longRun) return h + ':' + pad(m) + (withSeconds ? ':' + pad(s) : '');
    return (h * 60 + m) + ':' + pad(s);
  }

  function percent(v, decimals) {
    return v === null || v === undefined ? '–' : v.toFixed(decimals) + '%';
  }

  function ms(v) {
    return v === null || v === undefined ? '–' : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + ' ms';
  }

  // Points in ms for the time axis. A value holds for its whole step ([t, t + step)), so lines are
  // drawn as steps and the last one is carried to the end of its step.
  function toMs(points) {
    const out = points.map((p) => [p[0] * 1000, p[1]]);
    const last = points[points.length - 1];
    if (last && last[1] !== null) out.push([Math.min(durationMs, (last[0] + data.step_s) * 1000), last[1]]);
    return out;
  }

  const faultAreas = (data.faults || []).map((f) => [{ xAxis: f.start_s * 1000 }, { xAxis: f.end_s * 1000 }]);

  function shading() {
    return { silent: true, itemStyle: { color: faultFill }, label: { show: false }, data: faultAreas };
  }

  function timeAxis(gridIndex, showLabels) {
    return {
      type: 'time',
      gridIndex: gridIndex,
      min: 0,
      max: durationMs,
      name: showLabels ? 'time since start (' + (longRun ? 'h:min' : 'min:s') + ')' : '',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: '#333', fontSize: 12 },
      axisLabel: { show: showLabels, formatter: (v) => elapsed(v, false), hideOverlap: true, color: '#333' },
      axisTick: { show: showLabels },
      axisLine: { lineStyle: { color: '#888' } },
      splitLine: { show: true, lineStyle: { color: '#eee' } },
    };
  }

  function valueAxis(name, formatter, extra) {
    return Object.assign({
      type: 'value',
      name: name,
      nameLocation: 'middle',
      nameGap: 56,
      nameTextStyle: { color: '#333', fontSize: 12 },
      axisLabel: { formatter: formatter, color: '#333' },
      axisLine: { show: true, lineStyle: { color: '#888' } },
      splitLine: { lineStyle: { color: '#eee' } },
    }, extra || {});
  }

  // Every time chart has the same zoom components with the same ids, so that echarts.connect can
  // replay a zoom or pan on one chart in the others.
  function zoom(axes) {
    return [
      { id: 'zoom-inside', type: 'inside', xAxisIndex: axes, filterMode: 'none' },
      {
        id: 'zoom-slider', type: 'slider', xAxisIndex: axes, filterMode: 'none', height: 18, bottom: 8,
        labelFormatter: (v) => elapsed(v, true), textStyle: { color: '#333' },
      },
    ];
  }

  function tooltip(format) {
    return {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const rows = list
          .filter((p) => p.seriesType !== 'custom')
          .map((p) => p.marker + escapeHtml(p.seriesName) + ': <b>' + format(p.value[1]) + '</b>');
        if (!list.length) return '';
        return 'T+' + elapsed(list[0].axisValue, true) + '<br>' + rows.join('<br>');
      },
    };
  }

  function base() {
    return {
      animation: false,
      useUTC: true,
      color: palette,
      textStyle: { fontFamily: font },
      legend: { top: 0, left: 'center', type: 'scroll', textStyle: { color: '#222', fontSize: 13 } },
    };
  }

  // Lowest value shown on a percentage axis: low enough for the lowest point and the SLO target,
  // rounded down to a step that keeps the axis readable.
  function percentFloor(lowest) {
    const span = Math.max(100 - lowest, 0.1);
    const step = span > 20 ? 10 : span > 5 ? 1 : span > 1 ? 0.5 : 0.1;
    return Math.max(0, Math.floor((lowest - span * 0.08) / step) * step);
  }

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.on('finished', () => {
      el.dataset.rendered = 'true';
    });
    c.setOption(option);
    charts.push(c);
  }

  // The comparison report: one bar chart with error bars per headline metric. Bars run across from
  // a zero-based axis, one row per strategy, so that a dozen strategies each keep a readable label
  // (shortened with an ellipsis when long; the tooltip has it whole) and the value at the bar's end.
  // A replications report draws the same bars: the mean, then one per replication.
  if (data.kind === 'compare' || data.kind === 'replications') {
    const rowHeight = 26;
    data.metrics.forEach((m) => {
      const scale = m.unit === 'ratio' ? 100 : 1;
      const unit = m.unit === 'ratio' ? '%' : m.unit;
      const names = m.items.map((it) => it.strategy);
      const value = (v) => (v === null || v === undefined ? null : v * scale);
      const digits = (v) => (Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 10 ? 2 : 3);
      const show = (v) => (v === null ? 'undefined' : v.toFixed(m.unit === 'ratio' ? 3 : digits(v)) + (unit === '%' ? '%' : unit ? ' ' + unit : ''));
      const option = base();
      Object.assign(option, {
        legend: { show: false },
        // The title says what the metric counts where its name alone could mislead (availability).
        title: {
          text: m.name, subtext: m.counts || '', left: 'center', top: 6, itemGap: 6,
          textStyle: { fontSize: 14, lineHeight: 18, fontFamily: font }, subtextStyle: { fontSize: 12, lineHeight: 16, color: '#555', fontFamily: font },
        },
        grid: { left: 12, right: 110, top: m.counts ? 62 : 40, bottom: 44, containLabel: true },
        yAxis: {
          type: 'category', inverse: true, data: names, axisTick: { alignWithLabel: true },
          axisLabel: { color: '#222', fontWeight: 'bold', interval: 0, width: 260, overflow: 'truncate' },
        },
        // Zero-based: a bar's length is its value, so 40.3 ms beside 41 ms looks as close as it is.
        xAxis: valueAxis(unit, (v) => String(v), { min: (r) => Math.min(0, r.min), nameGap: 28 }),
        tooltip: {
          trigger: 'item',
          formatter: (p) => {
            const it = m.items[p.dataIndex];
            return '<b>' + escapeHtml(it.strategy) + '</b><br>mean ' + escapeHtml(show(value(it.mean))) +
              (it.lo !== undefined && it.lo !== null ? '<br>95% CI ' + value(it.lo) + ' – ' + value(it.hi) : '');
          },
        },
        series: [
          {
            type: 'bar', name: m.name, barMaxWidth: 18,
            data: m.items.map((it) => ({
              value: value(it.mean),
              itemStyle: { color: m.winner === it.strategy ? '#009E73' : '#56B4E9' },
            })),
          },
          {
            // The error bar, and the value just past its end (or the bar's, without an interval).
            type: 'custom', name: '95% CI', silent: true,
            data: m.items.map((it, i) => [i, value(it.lo), value(it.hi), value(it.mean)]),
            renderItem: (params, api) => {
              const i = api.value(0);
              const mean = m.items[i].mean === null ? null : value(m.items[i].mean);
              const children = [];
              const style = { stroke: '#222', lineWidth: 1.5 };
              const hasInterval = m.items[i].lo !== undefined && m.items[i].lo !== null && m.items[i].hi !== null;
              let end = api.coord([mean === null ? 0 : Math.max(0, mean), i])[0];
              if (hasInterval) {
                const lo = api.coord([value(m.items[i].lo), i]);
                const hi = api.coord([value(m.items[i].hi), i]);
                const h = 6;
                children.push({ type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style });
                children.push({ type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style });
                children.push({ type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style });
                end = Math.max(end, hi[0]);
              }
              const y = api.coord([0, i])[1];
              children.push({
                type: 'text', name: 'value-label',
                style: { text: show(mean), x: end + 6, y: y, verticalAlign: 'middle', fill: '#222', fontSize: 12, fontFamily: font },
              });
              return { type: 'group', children };
            },
            z: 10,
          },
        ],
      });
      document.getElementById(m.id).style.height = Math.max(160, rowHeight * names.length + (m.counts ? 106 : 90)) + 'px';
      chart(m.id, option);
    });
    window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
    document.documentElement.dataset.charts = String(charts.length);
    return;
  }

  // The failure-modes report: the worst failures' error budgets as horizontal bars (worst on top,
  // from 0, every label shown), and a heat map of failure versus client group.
  // The availability report (faultline availability) is tables only.
  if (data.kind === 'availability') return;
  if (data.kind === 'fmea') {
    const labelStyle = { color: '#222', interval: 0, width: 330, overflow: 'truncate', fontSize: 12 };
    if (data.bars.length) {
      const el = document.getElementById('chart-fmea-budget');
      el.style.height = Math.max(180, 26 * data.bars.length + 70) + 'px';
      const option = base();
      Object.assign(option, {
        legend: { show: false },
        grid: { left: 12, right: 40, top: 16, bottom: 44, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: data.bars.map((b) => b.name), axisLabel: labelStyle, axisTick: { alignWithLabel: true } },
        xAxis: valueAxis('error budget burned (1 = the whole budget)', (v) => String(v), { min: 0, nameGap: 28 }),
        tooltip: {
          trigger: 'item',
          formatter: (p) => {
            const b = data.bars[p.dataIndex];
            return '<b>' + escapeHtml(b.name) + '</b><br>' + (b.mean === null ? 'undefined' : b.mean.toFixed(2) + ' budgets') +
              (b.lo !== null && b.hi !== null ? '<br>95% CI ' + b.lo.toFixed(2) + ' – ' + b.hi.toFixed(2) : '');
          },
        },
        series: [
          {
            type: 'bar', name: 'error budget burned', barMaxWidth: 18, itemStyle: { color: '#D55E00' },
            data: data.bars.map((b) => (b.mean === null ? 0 : b.mean)),
          },
          {
            type: 'custom', name: '95% CI', silent: true,
            data: data.bars.map((b, i) => [i, b.lo, b.hi]),
            renderItem: (params, api) => {
              if (api.value(1) === null || isNaN(api.value(1)) || isNaN(api.value(2))) return null;
              const lo = api.coord([api.value(1), api.value(0)]);
              const hi = api.coord([api.value(2), api.value(0)]);
              const h = 6;
              const style = { stroke: '#222', lineWidth: 1.5 };
              return {
                type: 'group',
                children: [
                  { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
                  { type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style },
                  { type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style },
                ],
              };
            },
            z: 10,
          },
        ],
      });
      chart('chart-fmea-budget', option);
    }
    const heat = data.heat;
    if (heat.rows.length && heat.columns.length) {
      const el = document.getElementById('chart-fmea-heatmap');
      el.style.height = Math.max(220, 24 * heat.rows.length + 150) + 'px';
      let highest = 0;
      heat.cells.forEach((c) => { if (c[2] !== null && c[2] > highest) highest = c[2]; });
      const option = base();
      Object.assign(option, {
        legend: { show: false },
        grid: { left: 12, right: 30, top: 16, bottom: 90, containLabel: true },
        xAxis: {
          type: 'category', data: heat.columns, position: 'bottom', splitArea: { show: true },
          axisLabel: { color: '#222', interval: 0, width: 160, overflow: 'truncate', rotate: heat.columns.length > 6 ? 30 : 0 },
        },
        yAxis: { type: 'category', inverse: true, data: heat.rows, axisLabel: labelStyle, splitArea: { show: true } },
        visualMap: {
          dimension: 2, min: 0, max: highest > 0 ? highest : 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 4,
          text: [(highest > 0 ? highest : 1).toFixed(highest >= 10 ? 0 : 2) + '% bad', '0%'], textStyle: { color: '#333' },
          inRange: { color: ['#f7fbff', '#fdd0a2', '#f16913', '#7f2704'] },
        },
        tooltip: {
          trigger: 'item',
          formatter: (p) => {
            const c = p.value;
            return '<b>' + escapeHtml(heat.rows[c[1]]) + '</b><br>' + escapeHtml(heat.columns[c[0]]) + ': ' +
              (typeof c[2] !== 'number' ? 'no requests' : c[2].toFixed(2) + '% of its requests bad') +
              (typeof c[3] !== 'number' ? '' : ' (' + Math.round(c[3]) + ' bad)');
          },
        },
        series: [{
          type: 'heatmap', name: 'bad share', data: heat.cells.map((c) => [c[0], c[1], c[2] === null ? '-' : c[2], c[3]]),
          label: { show: heat.columns.length <= 8, formatter: (p) => (p.value[2] === '-' ? '' : p.value[2] >= 10 ? p.value[2].toFixed(0) + '%' : p.value[2] > 0 ? p.value[2].toFixed(1) + '%' : ''), fontSize: 11 },
          emphasis: { itemStyle: { borderColor: '#222', borderWidth: 1 } },
        }],
      });
      chart('chart-fmea-heatmap', option);
    }
    window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
    document.documentElement.dataset.charts = String(charts.length);
    return;
  }

  // 1. The fault timeline above the success rate per client group, on one time axis.
  (function () {
    const target = data.slo.availability * 100;
    let lowest = target;
    data.success.forEach((s) => s.points.forEach((p) => {
      if (p[1] !== null && p[1] < lowest) lowest = p[1];
    }));
    const lanes = data.faults.length;
    const laneHeight = 26;
    const top = 34;
    const timelineHeight = lanes ? lanes * laneHeight + 8 : 0;
    const rateTop = top + timelineHeight + (lanes ? 22 : 0);
    const el = document.getElementById('chart-success');
    el.style.height = (rateTop + 320 + 78) + 'px';

    const grids = [];
    const xAxes = [];
    const yAxes = [];
    const series = [];
    if (lanes) {
      grids.push({ left: 150, right: 32, top: top, height: timelineHeight });
      xAxes.push(timeAxis(0, false));
      yAxes.push({
        type: 'category', gridIndex: 0, inverse: true, data: data.faults.map((f) => f.id),
        axisLabel: { color: '#222', fontWeight: 'bold', width: 136, overflow: 'truncate' },
        axisTick: { show: false }, axisLine: { lineStyle: { color: '#888' } },
      });
      series.push({
        type: 'custom', name: 'faults', xAxisIndex: 0, yAxisIndex: 0,
        data: data.faults.map((f, i) => [i, f.start_s * 1000, f.end_s * 1000]),
        encode: { x: [1, 2], y: 0 },
        renderItem: (params, api) => {
          const f = data.faults[api.value(0)];
          const from = api.coord([api.value(1), api.value(0)]);
          const to = api.coord([api.value(2), api.value(0)]);
          const h = api.size([0, 1])[1] * 0.62;
          const shape = echarts.graphic.clipRectByRect(
            { x: from[0], y: from[1] - h / 2, width: Math.max(2, to[0] - from[0]), height: h },
            { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
          if (!shape) return null;
          return {
            type: 'rect', shape: shape, style: { fill: faultBar },
            textContent: { style: { text: f.kind + ' → ' + f.target + (f.open ? ' (until the end)' : ''), fill: '#fff', fontSize: 12, fontFamily: font, overflow: 'truncate', width: Math.max(0, shape.width - 8) } },
            textConfig: { position: 'insideLeft' },
          };
        },
        tooltip: {
          trigger: 'item',
          formatter: (p) => {
            const f = data.faults[p.value[0]];
            return '<b>' + escapeHtml(f.id) + '</b><br>' + escapeHtml(f.kind) + ' → ' + escapeHtml(f.target) + '<br>T+' +
              elapsed(f.start_s * 1000, true) + ' to T+' + elapsed(f.end_s * 1000, true) + (f.open ? ' (still active at the end)' : '') +
              '<br>structural blast radius: ' + f.blast_radius + ' components';
          },
        },
      });
    }
    const rateGrid = grids.length;
    grids.push({ left: 150, right: 32, top: rateTop, height: 320 });
    xAxes.push(timeAxis(rateGrid, true));
    yAxes.push(valueAxis('requests that succeeded (%)', (v) => v.toFixed(lowest > 99 ? 2 : lowest > 90 ? 1 : 0) + '%',
      { gridIndex: rateGrid, min: percentFloor(lowest), max: 100, nameGap: 64 }));
    data.success.forEach((s, i) => {
      series.push({
        type: 'line', name: s.name, xAxisIndex: rateGrid, yAxisIndex: rateGrid, showSymbol: false, step: 'end', lineStyle: { width: 1.6 },
        data: toMs(s.points), color: palette[i % palette.length],
        markArea: i === 0 ? shading() : undefined,
        markLine: i === 0 ? {
          silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#b00020', width: 1.2 },
          label: { formatter: 'SLO ' + String(+target.toFixed(4)) + '%', position: 'insideEndTop', color: '#b00020' },
          data: [{ yAxis: target }],
        } : undefined,
      });
    });
    const option = base();
    Object.assign(option, {
      legend: Object.assign(option.legend, { data: data.success.map((s) => s.name) }),
      grid: grids, xAxis: xAxes, yAxis: yAxes, series: series,
      tooltip: tooltip((v) => percent(v, 3)),
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      dataZoom: zoom(xAxes.map((_, i) => i)),
    });
    chart('chart-success', option);
  })();

  // 2. Latency percentiles of all successful requests, on a log axis of whole decades that holds
  // both the SLO's threshold and every point: timeouts of 30 s beside answers of 20 ms would
  // otherwise squash the SLO line to the floor, and fast answers alone would leave it off the top.
  (function () {
    const colours = { p50: '#009E73', p90: '#E69F00', p99: '#D55E00' };
    const threshold = data.slo.latency_ms;
    let lowest = threshold, highest = threshold;
    data.latency.forEach((s) => s.points.forEach((p) => {
      if (p[1] !== null && p[1] > 0) {
        lowest = Math.min(lowest, p[1]);
        highest = Math.max(highest, p[1]);
      }
    }));
    const floor = Math.pow(10, Math.floor(Math.log10(lowest * 0.99)));
    const ceiling = Math.pow(10, Math.ceil(Math.log10(highest * 1.05)));
    const label = (v) => (v >= 1000 ? +(v / 1000).toPrecision(3) + ' s' : +v.toPrecision(3) + ' ms');
    const option = base();
    Object.assign(option, {
      grid: { left: 150, right: 32, top: 40, bottom: 78 },
      xAxis: timeAxis(0, true),
      yAxis: valueAxis('latency (log scale)', label, {
        type: 'log', logBase: 10, min: floor, max: ceiling, nameGap: 64, minorTick: { show: true }, minorSplitLine: { show: true, lineStyle: { color: '#f6f6f6' } },
      }),
      tooltip: tooltip(ms),
      dataZoom: zoom([0]),
      series: data.latency.map((s, i) => ({
        type: 'line', name: s.name, showSymbol: false, step: 'end', lineStyle: { width: 1.6 }, color: colours[s.name],
        data: toMs(s.points),
        markArea: i === 0 ? shading() : undefined,
        markLine: i === 0 ? {
          silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#b00020', width: 1.2 },
          label: { formatter: 'SLO ' + data.slo.latency_ms + ' ms', position: 'insideEndTop', color: '#b00020' },
          data: [{ yAxis: data.slo.latency_ms }],
        } : undefined,
      })),
    });
    chart('chart-latency', option);
  })();

  // 2b. Bad requests per second, stacked by reason (failure reasons, then slow successes).
  (function () {
    if (!data.bad || !document.getElementById('chart-bad')) return;
    const option = base();
    Object.assign(option, {
      grid: { left: 150, right: 32, top: 40, bottom: 78 },
      xAxis: timeAxis(0, true),
      yAxis: valueAxis('bad requests per second', (v) => String(v), { min: 0, nameGap: 64 }),
      tooltip: tooltip((v) => (v === null || v === undefined ? '–' : v + '/s')),
      dataZoom: zoom([0]),
      series: data.bad.map((s, i) => ({
        type: 'line', name: s.name, stack: 'bad', showSymbol: false, step: 'end',
        lineStyle: { width: 0.8 }, areaStyle: { opacity: 0.75 },
        color: i === data.bad.length - 1 ? '#7f7f7f' : ['#D55E00', '#E69F00', '#CC79A7', '#0072B2', '#009E73', '#56B4E9', '#F0E442'][i % 7],
        data: toMs(s.points),
        markArea: i === 0 ? shading() : undefined,
      })),
    });
    chart('chart-bad', option);
  })();

  // 3. Traffic share per destination region, stacked to 100 %.
  (function () {
    const option = base();
    Object.assign(option, {
      grid: { left: 150, right: 32, top: 40, bottom: 78 },
      xAxis: timeAxis(0, true),
      yAxis: valueAxis('share of routed requests (%)', (v) => v + '%', { min: 0, max: 100, interval: 25, nameGap: 64 }),
      tooltip: tooltip((v) => percent(v, 1)),
      dataZoom: zoom([0]),
      series: data.share.map((s, i) => ({
        type: 'line', name: s.name, stack: 'share', showSymbol: false, step: 'end',
        lineStyle: { width: 0.8 }, areaStyle: { opacity: 0.75 }, color: palette[i % palette.length],
        data: toMs(s.points),
        markArea: i === 0 ? shading() : undefined,
      })),
    });
    chart('chart-share', option);
  })();

  // A time chart of plain lines, one per series of `lines` ({name, points}), under the shared zoom.
  function timeLines(id, lines, colours, axisName, axisLabel, axisExtra, format) {
    if (!lines || !document.getElementById(id)) return;
    const option = base();
    Object.assign(option, {
      grid: { left: 150, right: 32, top: 40, bottom: 78 },
      xAxis: timeAxis(0, true),
      yAxis: valueAxis(axisName, axisLabel, Object.assign({ min: 0, nameGap: 64 }, axisExtra)),
      tooltip: tooltip(format),
      dataZoom: zoom([0]),
      series: lines.map((s, i) => ({
        type: 'line', name: s.name, showSymbol: false, step: 'end', lineStyle: { width: 1.6 },
        color: colours[i % colours.length], data: toMs(s.points),
        markArea: i === 0 ? shading() : undefined,
      })),
    });
    chart(id, option);
  }

  // 3b. Utilization of each region's busiest service (only in results that have it).
  timeLines('chart-utilization', data.utilization, palette, 'utilization (%)', (v) => v + '%', { max: 100, interval: 25 },
    (v) => percent(v, 1));

  // 3c. With client retries: offered load, re-sends and goodput per second.
  timeLines('chart-load', data.load, ['#0072B2', '#D55E00', '#009E73'], 'requests per second', (v) => String(v), {},
    (v) => String(v) + '/s');

  // Horizontal bars, one labelled row per category (long names shortened; the tooltip has them whole).
  function barRows(id, names, option) {
    const el = document.getElementById(id);
    if (!el) return;
    el.style.height = Math.max(180, 26 * names.length + 100) + 'px';
    const chartOption = base();
    Object.assign(chartOption, {
      grid: { left: 12, right: 150, top: 36, bottom: 44, containLabel: true },
      yAxis: {
        type: 'category', inverse: true, data: names, axisTick: { alignWithLabel: true },
        axisLabel: { color: '#222', interval: 0, width: 300, overflow: 'truncate' },
      },
    }, option);
    chart(id, chartOption);
  }

  // 3d. Every service's utilization per region: the mean over the run and the busiest step.
  if (data.service_utilization) {
    const rows = data.service_utilization;
    barRows('chart-service-utilization', rows.map((r) => r.name), {
      xAxis: valueAxis('utilization (%)', (v) => v + '%', { min: 0, max: 100, interval: 25, nameGap: 28 }),
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (params) => escapeHtml(rows[params[0].dataIndex].name) + '<br>' +
          params.map((p) => p.marker + escapeHtml(p.seriesName) + ': <b>' + p.value + '%</b>').join('<br>'),
      },
      series: [
        { type: 'bar', name: 'mean', barMaxWidth: 10, color: '#56B4E9', data: rows.map((r) => r.mean),
          label: { show: true, position: 'right', formatter: (p) => p.value + '%', fontSize: 11, color: '#222' } },
        { type: 'bar', name: 'peak step', barMaxWidth: 10, color: '#D55E00', data: rows.map((r) => r.peak),
          label: { show: true, position: 'right', formatter: (p) => p.value + '%', fontSize: 11, color: '#222' } },
      ],
    });
  }

  // 3e. Requests by route, service and cluster: good and bad, stacked from zero.
  if (data.breakdowns) {
    const rows = data.breakdowns;
    const share = (r) => (r.requests === 0 ? 'no requests' : (100 * r.good / r.requests).toFixed(r.good === r.requests ? 0 : 2) + '% good');
    barRows('chart-breakdowns', rows.map((r) => r.group + ': ' + r.name), {
      xAxis: valueAxis('requests', (v) => String(v), { min: 0, nameGap: 28 }),
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const r = rows[params[0].dataIndex];
          return '<b>' + escapeHtml(r.group + ': ' + r.name) + '</b><br>' + r.requests + ' requests, ' + r.good + ' good, ' +
            (r.requests - r.good) + ' bad (' + share(r) + ')';
        },
      },
      series: [
        { type: 'bar', name: 'good', stack: 'requests', barMaxWidth: 16, color: '#009E73', data: rows.map((r) => r.good) },
        { type: 'bar', name: 'bad', stack: 'requests', barMaxWidth: 16, color: '#D55E00', data: rows.map((r) => r.requests - r.good),
          label: { show: true, position: 'right', formatter: (p) => share(rows[p.dataIndex]), fontSize: 11, color: '#222' } },
      ],
    });
  }

  // 4. The topology, failed components marked.
  (function () {
    if (!data.topology || !document.getElementById('chart-topology')) return;
    const colour = { failed: '#D55E00', partly: '#E69F00', ok: '#56B4E9' };
    const option = base();
    Object.assign(option, {
      legend: { show: false },
      tooltip: {
        formatter: (p) => {
          if (p.dataType === 'edge') {
            const e = p.data;
            return escapeHtml(e.source) + ' – ' + escapeHtml(e.target) +
              (e.latency_ms !== undefined ? '<br>' + e.latency_ms + ' ms one way' : '') +
              (e.down_by && e.down_by.length ? '<br>cut by ' + e.down_by.map(escapeHtml).join(', ') : '');
          }
          const n = p.data;
          return '<b>' + escapeHtml(n.name) + '</b><br>' + escapeHtml(n.detail) +
            (n.down_by.length ? '<br>down: ' + n.down_by.map(escapeHtml).join(', ') : '') +
            (n.partly_by.length ? '<br>partly down: ' + n.partly_by.map(escapeHtml).join(', ') : '');
        },
      },
      series: [{
        type: 'graph', layout: 'none', roam: false, top: 150, bottom: 50, left: 80, right: 80,
        label: { show: true, position: 'bottom', color: '#222', fontSize: 12, fontWeight: 'bold' },
        data: data.topology.nodes.map((n) => Object.assign({}, n, {
          symbolSize: n.kind === 'region' ? [96, 34] : 28,
          symbol: n.kind === 'region' ? 'roundRect' : 'circle',
          itemStyle: { color: colour[n.state], borderColor: '#333', borderWidth: 1 },
        })),
        links: data.topology.links.map((l) => Object.assign({}, l, {
          lineStyle: l.kind === 'backbone'
            ? { width: 3, curveness: 0.25, color: l.down_by && l.down_by.length ? '#D55E00' : '#555' }
            : { width: 1, color: '#999' },
        })),
      }],
    });
    chart('chart-topology', option);
  })();

  // 5. Structural blast radius per fault, stacked by component kind.
  (function () {
    if (!document.getElementById('chart-blast')) return;
    const kinds = [];
    data.faults.forEach((f) => Object.keys(f.by_kind).forEach((k) => {
      if (!kinds.includes(k)) kinds.push(k);
    }));
    const el = document.getElementById('chart-blast');
    el.style.height = (data.faults.length * 40 + 110) + 'px';
    const option = base();
    Object.assign(option, {
      grid: { left: 150, right: 32, top: 40, bottom: 48 },
      xAxis: valueAxis('components that fail with the target', (v) => v, { minInterval: 1, nameGap: 30 }),
      yAxis: {
        type: 'category', inverse: true, data: data.faults.map((f) => f.id),
        axisLabel: { color: '#222', fontWeight: 'bold', width: 136, overflow: 'truncate' },
      },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const list = params.filter((p) => p.value > 0);
          return escapeHtml(params[0].name) + '<br>' +
            list.map((p) => p.marker + escapeHtml(p.seriesName) + ': <b>' + p.value + '</b>').join('<br>');
        },
      },
      series: kinds.map((k, i) => ({
        type: 'bar', name: k, stack: 'kinds', barMaxWidth: 26, color: palette[i % palette.length],
        data: data.faults.map((f) => f.by_kind[k] || 0),
      })),
    });
    chart('chart-blast', option);
  })();

  // Zooming or panning one time chart moves the others; tooltips follow too.
  charts.filter((c) => [].concat(c.getOption().xAxis || []).some((a) => a.type === 'time')).forEach((c) => {
    c.group = 'faultline-time';
  });
  echarts.connect('faultline-time');
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  document.documentElement.dataset.charts = String(charts.length);
})();
