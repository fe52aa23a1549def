#!/usr/bin/env node
// A native-style `solc` executable over the pinned solc-js, for py-solc-x, brownie and slither.
//
// Why: no native solc is on any registry we can reach, and py-solc-x only runs executables.
// It answers `--version` and `--standard-json` (input on stdin, output on stdout). It never
// calls process.exit(): Node truncates a large stdout on a pipe at 128 KiB when it does.
"use strict";
const path = require("path");
const fs = require("fs");
const root = path.resolve(__dirname, "..");
const solc = require(path.join(root, "node_modules", "solc"));

function findImports(importPath) {
  // OpenZeppelin and other npm packages resolve from node_modules; project files from the root.
  const candidates = [
    path.join(root, "node_modules", importPath),
    path.join(root, importPath),
    path.resolve(importPath),
  ];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return { contents: fs.readFileSync(candidate, "utf8") };
    }
  }
  return { error: `File not found: ${importPath}` };
}

function writeAndFinish(text, code) {
  process.exitCode = code;
  process.stdout.write(text);
}

const args = process.argv.slice(2);
if (args.includes("--version")) {
  const version = solc.version(); // e.g. 0.8.28+commit.7893614a.Emscripten.clang
  const clean = version.replace(".Emscripten.clang", ".Linux.g++");
  writeAndFinish(`solc, the solidity compiler commandline interface\nVersion: ${clean}\n`, 0);
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => {
    const input = Buffer.concat(chunks).toString("utf8");
    const output = solc.compile(input, { import: findImports });
    writeAndFinish(output, 0);
  });
} else {
  process.stderr.write(
    "tongdui solc wrapper: only --version and --standard-json are supported " +
      "(it wraps solc-js; use standard JSON input)\n",
  );
  process.exitCode = 2;
}
