// Draws the demo articles' pictures into src/demo/images (WebP, 400, 800 and 1280 wide) from their SVG illustrations.
// Run it after changing src/demo/illustrations.ts or a demo article's picture: the shipped files are what every
// first start copies, and src/demo/demo-images.test.ts fails while they are out of date.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";

const { DEMO_IMAGES_DIR } = await tsImport("../src/demo/demo-images.ts", import.meta.url);
const { drawDemoImages } = await tsImport("../src/demo/draw-demo-images.ts", import.meta.url);
for (const file of readdirSync(DEMO_IMAGES_DIR, { withFileTypes: true })) {
  if (file.isFile()) rmSync(join(DEMO_IMAGES_DIR, file.name));
}
const count = await drawDemoImages(DEMO_IMAGES_DIR);
process.stdout.write(`drew ${count} demo pictures into ${DEMO_IMAGES_DIR}\n`);
