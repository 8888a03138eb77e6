/** Chromium refuses canvases past about 16k pixels a side; stay well inside every browser's limit. */
const MAX_SIDE = 8192;

/** The scale a PNG is drawn at: twice the SVG's size for sharp text, less when that would be too big. */
export function pngScale(width: number, height: number, preferred = 2): number {
  const largest = Math.max(width, height, 1);
  return Math.min(preferred, MAX_SIDE / largest);
}

/** Rasterises a self-contained SVG document into a PNG, in the browser (an image drawn onto a canvas). */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const scale = pngScale(width, height);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    const loaded = new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The graph image could not be drawn.'));
    });
    image.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw images (no 2D canvas).');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be written.'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
