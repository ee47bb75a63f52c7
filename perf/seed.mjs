// Seeds a running Disclosure API for perf/load.sh: N reporters, one reporter key each, and one full
// 2014 table per reporter (so that every reporter has a table stored before any phase measures).
// Writes a Lua data file for wrk (perf/submit.lua) with each reporter's id and key and the body around
// the id.
//
//   node perf/seed.mjs <baseUrl> <adminKey> <reporters> <tsv> <out.lua>
import { readFileSync, writeFileSync } from "node:fs";

const [baseUrl, adminKey, countText, tsvPath, outPath] = process.argv.slice(2);
const count = Number(countText);
if (!outPath || !(count > 0)) {
  console.error("usage: node seed.mjs <baseUrl> <adminKey> <reporters> <tsv> <out.lua>");
  process.exit(2);
}
const parallel = 32;
const catalogue = "gov-info-disclosure-2014";

// The full table: all 73 value cells of the seed's district column, blank ones as null.
const lines = readFileSync(tsvPath, "utf8").split("\n").filter((l) => l.length > 0 && !l.startsWith("#"));
const header = lines[0].split("\t");
const [codeAt, roleAt, valueAt] = ["code", "role", "yicheng2014"].map((c) => header.indexOf(c));
const values = lines.slice(1).map((l) => l.split("\t")).filter((f) => f[roleAt] === "value")
  .map((f) => ({ code: f[codeAt], value: f[valueAt] === "" ? null : Number(f[valueAt]) }));
const rest = JSON.stringify({ period: "2014", catalogue, values });
const bodyPrefix = '{"reporter":"';
const bodySuffix = '",' + rest.slice(1);

const kinds = ["department", "town"];
const id = (i) => `perf-${String(i).padStart(5, "0")}`;

async function call(path, key, body, expected) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(baseUrl + path, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body,
      });
      const text = await response.text();
      if (response.status !== expected) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
      return text;
    } catch (e) {
      if (attempt >= 3 || String(e.message).startsWith(path)) throw e;
    }
  }
}

async function seedOne(i) {
  const reporter = id(i);
  const kind = i === 0 ? "government" : kinds[i % 2];
  await call("/v1/reporters", adminKey, JSON.stringify({ id: reporter, name: `压测单位 ${i}`, kind }), 201);
  const { key } = JSON.parse(await call("/v1/keys", adminKey, JSON.stringify({ role: "reporter", reporter }), 201));
  await call("/v1/submissions", key, bodyPrefix + reporter + bodySuffix, 201);
  return { reporter, key };
}

const started = performance.now();
const seeded = new Array(count);
let next = 0;
await Promise.all(Array.from({ length: parallel }, async () => {
  while (next < count) {
    const i = next++;
    seeded[i] = await seedOne(i);
  }
}));
const seconds = (performance.now() - started) / 1000;

const lua = (s) => JSON.stringify(s); // JSON string escapes are valid Lua for this ASCII/UTF-8 content
writeFileSync(outPath, [
  "return {",
  `  prefix = ${lua(bodyPrefix)},`,
  `  suffix = ${lua(bodySuffix)},`,
  "  reporters = {",
  ...seeded.map((s) => `    { id = ${lua(s.reporter)}, key = ${lua(s.key)} },`),
  "  },",
  "}",
  "",
].join("\n"));
console.log(`seeded ${count} reporters, ${count} keys, ${count} tables (${values.length} cells, ` +
  `${values.filter((v) => v.value !== null).length} non-blank) in ${seconds.toFixed(1)} s`);
