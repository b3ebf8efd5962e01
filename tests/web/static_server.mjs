// A small static file server for web/, used by the browser tests when `mysfits up` cannot
// serve the site itself. Like `mysfits up`, it answers /config.js with a generated file that
// points the site at the API under test.
import {createServer} from "node:http";
import {readFile} from "node:fs/promises";
import path from "node:path";

const kTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

export function configScript(apiBase) {
  return `window.MYSFITS_CONFIG = ${JSON.stringify({apiBase})};\n`;
}

// Resolves to {url, close()}; listens on 127.0.0.1 only.
export function startStaticServer({root, apiBase, port = 0}) {
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, {Allow: "GET, HEAD"}).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (pathname.endsWith("/")) pathname += "index.html";
    const send = (status, type, body) => {
      res.writeHead(status, {"Content-Type": type, "Cache-Control": "no-store"});
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (pathname === "/config.js") {
      send(200, kTypes[".js"], configScript(apiBase));
      return;
    }
    const file = path.resolve(base, `.${pathname}`);
    if (file !== base && !file.startsWith(base + path.sep)) {
      send(404, "text/plain", "not found\n");
      return;
    }
    try {
      const body = await readFile(file);
      send(200, kTypes[path.extname(file)] ?? "application/octet-stream", body);
    } catch {
      send(404, "text/plain", "not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const {port: bound} = server.address();
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
