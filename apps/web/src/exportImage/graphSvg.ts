import type { Box, GroupedGraph, Positions } from '../graph/index.ts';
import { shortenLabel } from '../graph/index.ts';

/** A rectangle of the graph's coordinate space (React Flow's "flow" coordinates). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphSvgOptions {
  /** The part to draw (the current view); the whole graph when absent. */
  region?: Region | undefined;
  title?: string | undefined;
}

/** Margin around the whole graph. */
const PADDING = 24;
const MAX_NODE_TEXT = 30;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** Light colours, whatever the app's theme: the image goes into reports, tickets and slides. */
const COLOURS = {
  background: '#ffffff',
  text: '#1d232c',
  muted: '#5c6675',
  groupFill: '#f3f6fa',
  groupStroke: '#b4bfce',
  collapsedFill: '#eef2f7',
  collapsedStroke: '#6b7a90',
  nodeFill: '#ffffff',
  nodeStroke: '#9aa4b2',
  open: '#b3261e',
  externalFill: '#fff7ed',
  externalStroke: '#c2410c',
  edgePorts: '#2563eb',
  edgeAll: '#94a3b8',
  labelFill: '#ffffff',
} as const;

/** Text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(text: string, max = MAX_NODE_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function intersects(a: Region, b: Region): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Absolute boxes of every group and node: workloads are laid out relative to their namespace box.
 * Elements without a position (not laid out yet) are left out.
 */
export function absoluteBoxes(graph: GroupedGraph, positions: Positions): Map<string, Box> {
  const boxes = new Map<string, Box>();
  for (const group of graph.groups) {
    const box = positions[group.id];
    if (box) boxes.set(group.id, box);
  }
  for (const node of graph.nodes) {
    const box = positions[node.id];
    if (!box) continue;
    const parent = node.parent ? boxes.get(node.parent) : undefined;
    if (node.parent && !parent) continue;
    boxes.set(node.id, parent ? { ...box, x: parent.x + box.x, y: parent.y + box.y } : box);
  }
  return boxes;
}

/** The smallest region holding every box, with a margin. */
export function graphBounds(boxes: Iterable<Box>): Region {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const b of boxes) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  if (minX === Number.POSITIVE_INFINITY) return { x: 0, y: 0, width: 2 * PADDING, height: 2 * PADDING };
  return {
    x: minX - PADDING,
    y: minY - PADDING,
    width: maxX - minX + 2 * PADDING,
    height: maxY - minY + 2 * PADDING,
  };
}

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

/**
 * The laid-out graph as a self-contained SVG document (no external fonts, styles or images), as
 * the canvas draws it: namespace boxes, collapsed namespaces, workloads with their isolation,
 * address ranges, and the allowed connections with their labels. Built from the graph model, not
 * from the page, so it needs no browser and never depends on what is scrolled into view.
 */
export function graphToSvg(graph: GroupedGraph, positions: Positions, options: GraphSvgOptions = {}): string {
  const boxes = absoluteBoxes(graph, positions);
  const region = options.region ?? graphBounds(boxes.values());
  const visible = (id: string) => {
    const box = boxes.get(id);
    return box !== undefined && intersects(box, region);
  };
  const title = options.title ?? 'Allowed connections';
  const parts: string[] = [];

  for (const group of graph.groups) {
    const box = boxes.get(group.id);
    if (!box || !visible(group.id)) continue;
    const size = `${group.size} workload${group.size === 1 ? '' : 's'}`;
    if (group.collapsed) {
      const open = group.unprotected > 0 ? ` · ${group.unprotected} unprotected` : '';
      parts.push(
        `<g data-id="${escapeXml(group.id)}"><rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="10" fill="${COLOURS.collapsedFill}" stroke="${COLOURS.collapsedStroke}" stroke-width="2"/>`,
        text(
          box.x + 12,
          box.y + 26,
          clip(group.namespace),
          `font-weight="600" font-size="14" fill="${COLOURS.text}"`,
        ),
        text(box.x + 12, box.y + 46, `${size}${open}`, `font-size="12" fill="${COLOURS.muted}"`),
        '</g>',
      );
    } else {
      parts.push(
        `<g data-id="${escapeXml(group.id)}"><rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="10" fill="${COLOURS.groupFill}" stroke="${COLOURS.groupStroke}" stroke-width="1.5"/>`,
        text(
          box.x + 14,
          box.y + 26,
          `${clip(group.namespace, 40)} · ${size}`,
          `font-weight="600" font-size="13" fill="${COLOURS.text}"`,
        ),
        '</g>',
      );
    }
  }

  const edgeParts: string[] = [];
  const labelParts: string[] = [];
  let drawnEdges = 0;
  for (const edge of graph.edges) {
    const s = boxes.get(edge.source);
    const t = boxes.get(edge.target);
    if (!s || !t) continue;
    // Source handle at the bottom middle, target handle at the top middle, as on the canvas.
    const sx = s.x + s.width / 2;
    const sy = s.y + s.height;
    const tx = t.x + t.width / 2;
    const ty = t.y;
    const span: Region = {
      x: Math.min(sx, tx),
      y: Math.min(sy, ty),
      width: Math.abs(tx - sx) + 1,
      height: Math.abs(ty - sy) + 1,
    };
    if (!intersects(span, region)) continue;
    drawnEdges++;
    const bend = Math.max(40, Math.abs(ty - sy) / 2);
    const colour = edge.all ? COLOURS.edgeAll : COLOURS.edgePorts;
    edgeParts.push(
      `<path data-edge="${escapeXml(edge.id)}" d="M${num(sx)},${num(sy)} C${num(sx)},${num(sy + bend)} ${num(tx)},${num(ty - bend)} ${num(tx)},${num(ty)}" fill="none" stroke="${colour}" stroke-width="1.6"${edge.all ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#arrow-${edge.all ? 'all' : 'ports'})"/>`,
    );
    const label = edge.all && edge.count === 1 ? 'all' : shortenLabel(edge.label);
    const width = label.length * 6.6 + 12;
    const mx = (sx + tx) / 2;
    const my = (sy + ty) / 2;
    labelParts.push(
      `<g><rect x="${num(mx - width / 2)}" y="${num(my - 9)}" width="${num(width)}" height="18" rx="4" fill="${COLOURS.labelFill}" stroke="${colour}" stroke-width="0.8"/>`,
      text(mx, my + 4, label, `font-size="11" text-anchor="middle" fill="${COLOURS.text}"`),
      '</g>',
    );
  }
  parts.push(...edgeParts);

  for (const node of graph.nodes) {
    const box = boxes.get(node.id);
    if (!box || !visible(node.id)) continue;
    const external = node.type === 'external';
    const open = !external && !node.ingressIsolated && !node.egressIsolated;
    const fill = external ? COLOURS.externalFill : COLOURS.nodeFill;
    const stroke = external ? COLOURS.externalStroke : COLOURS.nodeStroke;
    const badges = external
      ? 'External'
      : open
        ? `${node.kind} · unprotected`
        : `${node.kind} · in ${node.ingressIsolated ? '✓' : '✗'} out ${node.egressIsolated ? '✓' : '✗'}`;
    parts.push(
      `<g data-id="${escapeXml(node.id)}"><title>${escapeXml(node.id)}</title><rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${external ? ' stroke-dasharray="4 3"' : ''}/>`,
      text(
        box.x + 10,
        box.y + 22,
        clip(node.label),
        `font-weight="600" font-size="13" fill="${COLOURS.text}"`,
      ),
      text(
        box.x + 10,
        box.y + 40,
        clip(badges, 34),
        `font-size="11" fill="${open ? COLOURS.open : COLOURS.muted}"`,
      ),
      '</g>',
    );
  }
  parts.push(...labelParts);

  const nodes = graph.nodes.filter((n) => visible(n.id)).length;
  const description = `${nodes} workloads and ranges, ${drawnEdges} allowed connections`;
  const marker = (id: string, colour: string) =>
    `<marker id="arrow-${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(region.width)}" height="${num(region.height)}" viewBox="${num(region.x)} ${num(region.y)} ${num(region.width)} ${num(region.height)}" role="img" aria-labelledby="graph-title graph-desc" font-family="${FONT}">`,
    `<title id="graph-title">${escapeXml(title)}</title>`,
    `<desc id="graph-desc">${escapeXml(description)}</desc>`,
    `<defs>${marker('ports', COLOURS.edgePorts)}${marker('all', COLOURS.edgeAll)}</defs>`,
    `<rect x="${num(region.x)}" y="${num(region.y)}" width="${num(region.width)}" height="${num(region.height)}" fill="${COLOURS.background}"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

/**
 * The review report with the graph in it: a figure placed before the findings summary (or at the
 * end of the body when the report has no findings).
 */
export function withGraphFigure(html: string, svg: string, caption = 'Allowed connections'): string {
  const figure = `<h2>Connectivity graph</h2>\n<figure class="graph">${svg}<figcaption>${escapeXml(caption)}</figcaption></figure>\n`;
  const at = html.indexOf('<h2>Summary</h2>');
  if (at >= 0) return `${html.slice(0, at)}${figure}${html.slice(at)}`;
  const end = html.lastIndexOf('</body>');
  return end >= 0 ? `${html.slice(0, end)}${figure}${html.slice(end)}` : `${html}${figure}`;
}
