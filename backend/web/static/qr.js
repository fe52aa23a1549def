// QR codes as inline SVG, drawn from the module matrix of qrcode-generator (npm, MIT), which
// scripts/setup.sh copies from node_modules to /assets/vendor/: our own host serves it, no CDN.
// The library is loaded on first use only: most pages never show a code.

// a variable, not a literal: tsc types the import as any instead of reading the vendored file
const LIBRARY = "/assets/vendor/qrcode-generator.js";
const NS = "http://www.w3.org/2000/svg";
const QUIET = 4; // modules of white border the standard asks for around a code

/**
 * The part of the library's QR code object used here.
 * @typedef {Object} QrMatrix
 * @property {(data: string, mode?: string) => void} addData
 * @property {() => void} make
 * @property {() => number} getModuleCount
 * @property {(row: number, col: number) => boolean} isDark
 */

/** @type {Promise<(typeNumber: number, level: string) => QrMatrix> | undefined} */
let factory;
function library() {
  factory ||= import(LIBRARY).then((module) => module.default).catch((error) => { factory = undefined; throw error; });
  return factory;
}

/**
 * An <svg> of `text` as a QR code (error correction M, the smallest version that holds it).
 * @param {string} text
 * @param {{ size?: number, label?: string }} [options] size in CSS pixels; label for screen readers
 * @returns {Promise<SVGSVGElement>}
 */
export async function qrSvg(text, { size = 240, label = "" } = {}) {
  const make = await library();
  const code = make(0, "M");
  code.addData(text, "Byte");
  code.make();
  const count = code.getModuleCount();
  const side = count + 2 * QUIET;
  // one path of unit squares: a few hundred modules, one element
  let d = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (code.isDark(row, col)) d += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
  }
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(NS, "svg"));
  for (const [k, v] of Object.entries({ viewBox: `0 0 ${side} ${side}`, width: size, height: size, role: "img", "aria-label": label, "shape-rendering": "crispEdges", class: "qr" })) svg.setAttribute(k, String(v));
  const background = document.createElementNS(NS, "rect");
  for (const [k, v] of Object.entries({ width: side, height: side, fill: "#fff" })) background.setAttribute(k, String(v));
  const modules = document.createElementNS(NS, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}
