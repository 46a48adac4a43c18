import { ReachEdge, ReachEndpoint, ReachModel } from './model';

/** The JSON report of a model. */
interface JsonReport {
  readonly endpoints: ReachEndpoint[];
  readonly policies: string[];
  readonly edges: ReachEdge[];
}

function portText(e: ReachEdge): string {
  return `${e.port ?? '*'}/${e.protocol}`;
}

function groupOf(e: ReachEndpoint): string {
  return e.namespace ?? 'external';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]!));
}

/**
 * Reports of a reachability model: a text matrix, JSON, and one
 * self-contained HTML page with a diagram (inline SVG, CSS and script; no
 * network access).
 */
export class ReachReport {
  /**
   * The JSON report: endpoints, policies, allowed edges (port `undefined`:
   * any port not listed in another edge of the pair).
   *
   * @param model the model
   */
  public static json(model: ReachModel): any {
    const report: JsonReport = { endpoints: model.endpoints, policies: model.policies, edges: model.edges() };
    return report;
  }

  /**
   * A text matrix: one row per source, one column per destination (numbered
   * in the legend), the allowed ports in each cell, then every edge with the
   * policies that allowed it.
   *
   * @param model the model
   */
  public static text(model: ReachModel): string {
    const endpoints = model.endpoints;
    const edges = model.edges();
    const destinations = endpoints.filter(e => edges.some(x => x.destination === e.id));
    const index = new Map(destinations.map((e, i) => [e.id, i + 1]));
    const lines: string[] = ['endpoints (columns numbered):'];
    for (const e of endpoints) lines.push(`  ${index.has(e.id) ? `[${index.get(e.id)}]`.padEnd(5) : '     '}${e.id} (${e.kind}${e.address ? ` ${e.address}` : ''})`);
    const cell = (s: string, d: string) => edges.filter(x => x.source === s && x.destination === d).map(portText).join(',') || '.';
    const rows = endpoints.map(s => [s.id, ...destinations.map(d => (s.id === d.id ? '-' : cell(s.id, d.id)))]);
    const header = ['from \\ to', ...destinations.map((_, i) => `[${i + 1}]`)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    lines.push('', 'matrix (allowed destination ports; * = any other port; . = none):', fmt(header), ...rows.map(fmt));
    lines.push('', 'allowed connections:');
    for (const e of edges) lines.push(`  ${e.source} -> ${e.destination} ${portText(e)}  [${e.policies.join(' + ')}]`);
    lines.push(`${edges.length} allowed connections between ${endpoints.length} endpoints under ${model.policies.length} policies`);
    return lines.join('\n') + '\n';
  }

  /**
   * One self-contained HTML page: endpoints grouped by namespace (external
   * networks apart), an arrow per allowed (source, destination) pair
   * labelled with its ports, and a table of the edges. The script draws the
   * diagram from the embedded JSON; every drawn edge carries
   * `data-source`, `data-destination`, `data-port` and `data-protocol`.
   *
   * @param model the model
   * @param title the page title
   */
  public static html(model: ReachModel, title: string = 'cdk8s-paas reach'): string {
    const data = JSON.stringify(ReachReport.json(model)).replace(/</g, '\\u003c');
    const groups = [...new Set(model.endpoints.map(groupOf))];
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; background: #fff; }
h1 { font-size: 18px; margin: 0 0 8px; }
.group { stroke: #9aa5b8; stroke-linecap: round; }
.group.external { stroke: #d9a066; }
.group-title { font-weight: 600; font-size: 14px; fill: #34495e; }
.node circle { fill: #e8f0fb; stroke: #4a6fa5; stroke-width: 2; }
.node.pod circle { fill: #fff; stroke-dasharray: 3 2; }
.node.external circle { fill: #fff3e0; stroke: #c07a2c; }
.node text { font-size: 12px; }
.edge path { fill: none; stroke: #2e7d32; stroke-width: 1.6; opacity: .8; }
.edge.profile path { stroke: #bdbdbd; stroke-width: 1; stroke-dasharray: 4 3; }
.edge-label { font-size: 11px; fill: #1b5e20; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
table { border-collapse: collapse; margin-top: 16px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; font-size: 12px; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Allowed connections under ${model.policies.length} policies (Calico semantics). Green: allowed by a policy; grey dashed: allowed because no policy governs either end (Calico's profile). Hollow dashed nodes: pods named by policies but not in the manifests. * = any other port.</p>
<svg id="diagram" xmlns="http://www.w3.org/2000/svg" data-groups="${escapeHtml(groups.join(' '))}"></svg>
<table id="edges"><thead><tr><th>from</th><th>to</th><th>port</th><th>policies</th></tr></thead><tbody></tbody></table>
<script id="model" type="application/json">${data}</script>
<script>
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var model = JSON.parse(document.getElementById('model').textContent);
  var svg = document.getElementById('diagram');
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (parent || svg).appendChild(e);
    return e;
  }
  var groups = [];
  model.endpoints.forEach(function (e) {
    var g = e.namespace === undefined ? 'external' : e.namespace;
    if (groups.indexOf(g) < 0) groups.push(g);
  });
  groups.sort(function (a, b) { return a === 'external' ? -1 : b === 'external' ? 1 : a < b ? -1 : 1; });
  // a circle: the endpoints of a group side by side, a gap between groups
  var slots = [], order = [];
  groups.forEach(function (g, gi) {
    model.endpoints.forEach(function (e) { if ((e.namespace === undefined ? 'external' : e.namespace) === g) { slots.push(e); order.push(gi); } });
    slots.push(null); order.push(gi);
  });
  var N = slots.length, CX = 620, CY = 470, R = Math.max(220, N * 16), pos = {};
  svg.setAttribute('width', 2 * CX);
  svg.setAttribute('height', 2 * CY);
  svg.setAttribute('viewBox', (CX - R - 330) + ' ' + (CY - R - 90) + ' ' + (2 * R + 660) + ' ' + (2 * R + 180));
  var defs = el('defs', {});
  [['arrow', '#2e7d32'], ['arrow-profile', '#9e9e9e']].forEach(function (m) {
    var marker = el('marker', { id: m[0], viewBox: '0 0 10 10', refX: 18, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: m[1] }, marker);
  });
  function at(i, r) { var a = 2 * Math.PI * i / N - Math.PI / 2; return { x: CX + r * Math.cos(a), y: CY + r * Math.sin(a), a: a }; }
  groups.forEach(function (g, gi) {
    var idx = []; slots.forEach(function (e, i) { if (e && order[i] === gi) idx.push(i); });
    if (idx.length === 0) return;
    var p0 = at(idx[0] - 0.4, R + 26), p1 = at(idx[idx.length - 1] + 0.4, R + 26);
    var large = (idx[idx.length - 1] - idx[0] + 0.8) / N > 0.5 ? 1 : 0;
    el('path', { d: 'M ' + p0.x + ' ' + p0.y + ' A ' + (R + 26) + ' ' + (R + 26) + ' 0 ' + large + ' 1 ' + p1.x + ' ' + p1.y,
      'class': 'group' + (g === 'external' ? ' external' : ''), 'data-group': g, fill: 'none', 'stroke-width': 6 });
    var mid = at((idx[0] + idx[idx.length - 1]) / 2, R + 50);
    el('text', { x: mid.x, y: mid.y, 'class': 'group-title', 'text-anchor': Math.cos(mid.a) > 0.2 ? 'start' : Math.cos(mid.a) < -0.2 ? 'end' : 'middle' })
      .textContent = g === 'external' ? 'external networks' : 'namespace ' + g;
  });
  var edgeLayer = el('g', { 'class': 'edges' });
  slots.forEach(function (e, i) {
    if (!e) return;
    var p = at(i, R), l = at(i, R + 14);
    pos[e.id] = p;
    var node = el('g', { 'class': 'node ' + e.kind, 'data-id': e.id });
    el('circle', { cx: p.x, cy: p.y, r: 8 }, node);
    var label = e.kind === 'external' ? e.name + (e.networkSets ? ' (' + e.networkSets.join(', ') + ')' : '') : e.name;
    var right = Math.cos(p.a) >= 0;
    el('text', { x: l.x, y: l.y + 4, 'text-anchor': right ? 'start' : 'end' }, node).textContent = label.length > 44 ? label.slice(0, 43) + '\u2026' : label;
    el('title', {}, node).textContent = e.id;
  });
  var pairs = {};
  model.edges.forEach(function (e) {
    var k = e.source + '\u0000' + e.destination;
    (pairs[k] = pairs[k] || []).push(e);
  });
  var tbody = document.querySelector('#edges tbody');
  Object.keys(pairs).forEach(function (k) {
    var list = pairs[k], a = pos[list[0].source], b = pos[list[0].destination];
    var profileOnly = list.every(function (e) { return e.policies.every(function (p) { return p === 'profile'; }); });
    var c = { x: CX + 0.25 * ((a.x + b.x) / 2 - CX) + 0.12 * (b.y - a.y), y: CY + 0.25 * ((a.y + b.y) / 2 - CY) - 0.12 * (b.x - a.x) };
    var d = 'M ' + a.x + ' ' + a.y + ' Q ' + c.x + ' ' + c.y + ' ' + b.x + ' ' + b.y;
    list.forEach(function (e) {
      var g = el('g', { 'class': 'edge' + (profileOnly ? ' profile' : ''), 'data-source': e.source, 'data-destination': e.destination,
        'data-port': e.port === undefined ? '*' : String(e.port), 'data-protocol': e.protocol }, edgeLayer);
      el('path', { d: d, 'marker-end': profileOnly ? 'url(#arrow-profile)' : 'url(#arrow)' }, g);
      el('title', {}, g).textContent = e.source + ' -> ' + e.destination + ' ' + (e.port === undefined ? '*' : e.port) + '/' + e.protocol + ' [' + e.policies.join(' + ') + ']';
      var tr = document.createElement('tr');
      [e.source, e.destination, (e.port === undefined ? '*' : e.port) + '/' + e.protocol, e.policies.join(' + ')].forEach(function (t) {
        var td = document.createElement('td'); td.textContent = t; tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    if (profileOnly) return;
    var text = list.map(function (e) { return (e.port === undefined ? '*' : e.port) + '/' + e.protocol; }).join(', ');
    var m = { x: 0.25 * a.x + 0.5 * c.x + 0.25 * b.x, y: 0.25 * a.y + 0.5 * c.y + 0.25 * b.y };
    el('text', { x: m.x, y: m.y - 3, 'class': 'edge-label', 'text-anchor': 'middle' }, edgeLayer).textContent = text.length > 40 ? text.slice(0, 39) + '\u2026' : text;
  });
  svg.setAttribute('data-rendered', String(document.querySelectorAll('.edge').length));
})();
</script>
</body></html>
`;
  }

  private constructor() {}
}
