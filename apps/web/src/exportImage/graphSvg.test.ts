import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filterGraph, groupGraph, layoutGraph, NO_FILTERS } from '../graph/index.ts';
import type { NodeId } from '../model/index.ts';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { absoluteBoxes, escapeXml, graphBounds, graphToSvg, withGraphFigure } from './graphSvg.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));
const model = compileWorkspace(demoFiles).model;

async function laidOut(collapsed: string[] = []) {
  const graph = groupGraph(filterGraph(model, NO_FILTERS), new Set(collapsed));
  return { graph, positions: await layoutGraph(graph) };
}

function attr(svg: string, name: string): string[] {
  return [...svg.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

function unescapeXml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe('graphToSvg', () => {
  it('draws every node and every allowed connection of the whole graph', async () => {
    const { graph, positions } = await laidOut();
    const svg = graphToSvg(graph, positions);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(attr(svg, 'data-edge').map(unescapeXml).sort()).toEqual(model.edges.map((e) => e.id).sort());
    const ids = attr(svg, 'data-id').map(unescapeXml);
    for (const node of model.nodes) expect(ids).toContain(node.id);
    expect(svg.match(/<g\b/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
    // Every box lies inside the drawing.
    const [x, y, w, h] = attr(svg, 'viewBox')[0]!.split(' ').map(Number) as [number, number, number, number];
    for (const box of absoluteBoxes(graph, positions).values()) {
      expect(box.x).toBeGreaterThanOrEqual(x);
      expect(box.y).toBeGreaterThanOrEqual(y);
      expect(box.x + box.width).toBeLessThanOrEqual(x + w);
      expect(box.y + box.height).toBeLessThanOrEqual(y + h);
    }
  });

  it('places workloads inside their namespace box', async () => {
    const { graph, positions } = await laidOut();
    const boxes = absoluteBoxes(graph, positions);
    for (const node of graph.nodes.filter((n) => n.parent)) {
      const inner = boxes.get(node.id)!;
      const outer = boxes.get(node.parent!)!;
      expect(inner.x).toBeGreaterThanOrEqual(outer.x);
      expect(inner.y + inner.height).toBeLessThanOrEqual(outer.y + outer.height);
    }
  });

  it('draws only what a region shows', async () => {
    const { graph, positions } = await laidOut();
    const boxes = absoluteBoxes(graph, positions);
    const frontend = boxes.get('frontend/frontend[Deployment]')!;
    const region = {
      x: frontend.x - 5,
      y: frontend.y - 5,
      width: frontend.width + 10,
      height: frontend.height + 10,
    };
    const svg = graphToSvg(graph, positions, { region });
    const ids = attr(svg, 'data-id').map(unescapeXml);
    expect(ids).toContain('frontend/frontend[Deployment]');
    expect(ids).not.toContain('default/demo-db[StatefulSet]');
    expect(attr(svg, 'viewBox')[0]).toBe(`${region.x} ${region.y} ${region.width} ${region.height}`);
    expect(attr(svg, 'data-edge').length).toBeLessThan(model.edges.length);
  });

  it('draws collapsed namespaces as one box with their aggregated edges', async () => {
    const { graph, positions } = await laidOut(model.namespaces.map((n) => n.name));
    const svg = graphToSvg(graph, positions);
    const ids = attr(svg, 'data-id').map(unescapeXml);
    expect(ids).toContain('ns:store');
    expect(ids).not.toContain('store/store-api[Deployment]');
    expect(attr(svg, 'data-edge').map(unescapeXml).sort()).toEqual(graph.edges.map((e) => e.id).sort());
  });

  it('escapes names, so a hostile label cannot inject markup', () => {
    const graph = {
      groups: [],
      nodes: [
        {
          ...model.nodes.find((n) => n.type === 'external')!,
          // Not an id the app builds: the SVG must escape whatever text an id holds.
          id: 'x"<script>&' as NodeId,
          label: '<img src=x onerror=alert(1)>',
          parent: undefined,
        },
      ],
      edges: [],
    };
    const svg = graphToSvg(graph, { 'x"<script>&': { x: 0, y: 0, width: 100, height: 40 } });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('an empty graph is still a valid picture', () => {
    expect(graphBounds([])).toEqual({ x: 0, y: 0, width: 48, height: 48 });
    expect(graphToSvg({ groups: [], nodes: [], edges: [] }, {})).toContain(
      '0 workloads and ranges, 0 allowed',
    );
  });
});

describe('withGraphFigure', () => {
  it('puts the figure before the summary', () => {
    const html = '<html><body><h1>Review</h1><h2>Summary</h2><p>x</p></body></html>';
    expect(withGraphFigure(html, '<svg/>')).toBe(
      '<html><body><h1>Review</h1><h2>Connectivity graph</h2>\n<figure class="graph"><svg/><figcaption>Allowed connections</figcaption></figure>\n<h2>Summary</h2><p>x</p></body></html>',
    );
  });
  it('or at the end of the body when there are no findings', () => {
    const out = withGraphFigure('<body><h1>R</h1></body>', '<svg/>', 'a < b');
    expect(out).toBe(
      '<body><h1>R</h1><h2>Connectivity graph</h2>\n<figure class="graph"><svg/><figcaption>a &#60; b</figcaption></figure>\n</body>',
    );
  });
});
