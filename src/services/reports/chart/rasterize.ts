import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/**
 * SVG → PNG with resvg compiled to WebAssembly (installs from npm, no native build). The wasm
 * module and the fonts are loaded once per process, on the first chart; a render after that
 * costs tens of milliseconds.
 */

/** The family every chart is set in: Noto Sans KR covers Latin, Cyrillic and Hangul. */
export const CHART_FONT_FAMILY = 'Noto Sans KR';

const require = createRequire(import.meta.url);

let ready: Promise<Uint8Array[]> | undefined;

/** Where a file of the Noto Sans KR package is (the package has no exports map to go through). */
function fontPath(file: string): string {
  return join(dirname(require.resolve('@expo-google-fonts/noto-sans-kr/package.json')), file);
}

async function load(): Promise<Uint8Array[]> {
  const [wasm, regular, bold] = await Promise.all([
    readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
    readFile(fontPath('400Regular/NotoSansKR_400Regular.ttf')),
    readFile(fontPath('700Bold/NotoSansKR_700Bold.ttf')),
  ]);
  await initWasm(wasm);
  return [regular, bold];
}

/** The fonts, after the wasm module is initialised; a failed start is retried on the next call. */
function fonts(): Promise<Uint8Array[]> {
  ready ??= load().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

/** Renders an SVG document to PNG at its own size. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const fontBuffers = await fonts();
  const resvg = new Resvg(svg, {
    font: { fontBuffers, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY, loadSystemFonts: false },
    fitTo: { mode: 'original' },
  });
  try {
    const image = resvg.render();
    try {
      return Buffer.from(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
