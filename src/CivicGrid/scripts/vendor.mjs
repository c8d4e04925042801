// Copies the pinned npm packages' distributable files into wwwroot/lib.
// Deterministic: the same package-lock.json gives the same files.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lib = join(root, "wwwroot", "lib");
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
  "bootstrap/LICENSE": "bootstrap/LICENSE",
  "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
  "leaflet/dist/images": "leaflet/images",
  "leaflet/LICENSE": "leaflet/LICENSE",
  "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js": "leaflet-geoman/leaflet-geoman.min.js",
  "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css": "leaflet-geoman/leaflet-geoman.css",
  "@geoman-io/leaflet-geoman-free/LICENSE": "leaflet-geoman/LICENSE",
};
rmSync(lib, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const target = join(lib, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, "node_modules", from), target, { recursive: true });
}
console.log(`vendored ${Object.keys(files).length} paths into ${lib}`);
