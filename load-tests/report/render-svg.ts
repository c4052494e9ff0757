/**
 * Vega-Lite → Vega → SVG, headless (no canvas, no browser). vega and vega-lite are ES modules
 * with top-level await, so they are loaded with import(), once.
 */
import type { TopLevelSpec } from 'vega-lite';

type Engines = { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };

let engines: Promise<Engines> | undefined;

function loadEngines(): Promise<Engines> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return engines;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadEngines();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
