// Takes a screenshot of the built app (served by `vite preview`) for a person to look at:
//   node scripts/screenshot.mjs [url] [out.png] [sample-id]
import { chromium } from '@playwright/test';

const url = process.argv[2] ?? 'http://127.0.0.1:4173/';
const out = process.argv[3] ?? '/tmp/netpol-atlas.png';
const sample = process.argv[4];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 950 } });
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log(`[console.${m.type()}] ${m.text()}`);
});
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(url);
if (sample) await page.getByLabel('Sample').selectOption(sample);
await page.waitForSelector('[data-testid="graph"][data-ready="true"]', { timeout: 30000 });
await page.waitForTimeout(600);
await page.screenshot({ path: out });
console.log(`saved ${out}`);
await browser.close();
