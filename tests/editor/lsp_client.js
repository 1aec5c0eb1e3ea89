// Opens one YAML file in the YAML language server, as an editor does, and prints as JSON
// the completion labels at each line asked for (column 0) and the diagnostics it publishes.
// Usage: node lsp_client.js FILE LINE... (lines counted from 0). Nothing is fetched: the
// schema store is off, so the only schema is the one the file's first line names.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

const file = path.resolve(process.argv[2]);
const lines = process.argv.slice(3).map(Number);
const uri = pathToFileURL(file).href;
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } };

const server = spawn(process.execPath, [
  require.resolve("yaml-language-server/bin/yaml-language-server"),
  "--stdio",
]);
const waiting = new Map();
let received = Buffer.alloc(0);
let nextId = 0;
let onDiagnostics = null;

function send(message) {
  const text = JSON.stringify({ jsonrpc: "2.0", ...message });
  server.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

function request(method, params) {
  const id = ++nextId;
  send({ id, method, params });
  return new Promise((resolve) => waiting.set(id, resolve));
}

function answer(message) {
  // requests from the server: its configuration, and anything else answered with nothing
  const result =
    message.method === "workspace/configuration"
      ? message.params.items.map((item) => settings[item.section] || settings.yaml)
      : null;
  send({ id: message.id, result });
}

server.stdout.on("data", (chunk) => {
  received = Buffer.concat([received, chunk]);
  for (;;) {
    const end = received.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(received.subarray(0, end).toString())[1]);
    if (received.length < end + 4 + length) return;
    const message = JSON.parse(received.subarray(end + 4, end + 4 + length).toString());
    received = received.subarray(end + 4 + length);
    if (message.method && message.id !== undefined) answer(message);
    else if (message.id !== undefined) waiting.get(message.id)?.(message.result);
    else if (message.method === "textDocument/publishDiagnostics" && message.params.uri === uri)
      onDiagnostics?.(message.params.diagnostics);
  }
});
server.stderr.pipe(process.stderr);

async function main() {
  await request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(path.dirname(file)).href,
    capabilities: { workspace: { configuration: true }, textDocument: { completion: {} } },
  });
  send({ method: "initialized", params: {} });
  send({ method: "workspace/didChangeConfiguration", params: { settings } });
  const published = new Promise((resolve) => (onDiagnostics = resolve));
  const text = fs.readFileSync(file, "utf8");
  send({
    method: "textDocument/didOpen",
    params: { textDocument: { uri, languageId: "yaml", version: 1, text } },
  });
  const completions = {};
  for (const line of lines) {
    const result = await request("textDocument/completion", {
      textDocument: { uri },
      position: { line, character: 0 },
    });
    completions[line] = (Array.isArray(result) ? result : result?.items ?? []).map((i) => i.label);
  }
  const diagnostics = (await published).map((d) => ({
    line: d.range.start.line,
    message: d.message,
  }));
  process.stdout.write(JSON.stringify({ completions, diagnostics }) + "\n");
  server.kill();
}

main();
