// Turns the TypeScript declarations of the Kubernetes API (kubernetes-types, generated from the
// Kubernetes OpenAPI document of the same minor version) into one JSON Schema per kind that
// deploy/k8s uses. additionalProperties is false everywhere, as kubectl's strict field validation
// is: a misspelt field fails here instead of being dropped by the API server.
import { createGenerator } from "ts-json-schema-generator";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const typesVersion = require("kubernetes-types/package.json").version;
const typesRoot = dirname(require.resolve("kubernetes-types/package.json"));
const outDir = join(here, `k8s-${typesVersion.split(".").slice(0, 2).join(".")}`);

// apiVersion, kind, declaration file under kubernetes-types.
const kinds = [
  ["v1", "Namespace", "core/v1.d.ts"],
  ["v1", "ConfigMap", "core/v1.d.ts"],
  ["v1", "Secret", "core/v1.d.ts"],
  ["v1", "Service", "core/v1.d.ts"],
  ["apps/v1", "Deployment", "apps/v1.d.ts"],
  ["policy/v1", "PodDisruptionBudget", "policy/v1.d.ts"],
  ["autoscaling/v2", "HorizontalPodAutoscaler", "autoscaling/v2.d.ts"],
  ["networking.k8s.io/v1", "NetworkPolicy", "networking/v1.d.ts"],
  ["networking.k8s.io/v1", "Ingress", "networking/v1.d.ts"],
];

mkdirSync(outDir, { recursive: true });
for (const [apiVersion, kind, file] of kinds) {
  const schema = createGenerator({
    path: join(typesRoot, file),
    type: kind,
    skipTypeCheck: true,
    jsDoc: "none",
    additionalProperties: false,
  }).createSchema(kind);
  schema.$comment = `Kubernetes ${apiVersion} ${kind}, from kubernetes-types ${typesVersion} by deploy/schemas/generate.mjs`;
  // The declarations mark apiVersion and kind optional; a manifest must carry both.
  const root = schema.definitions[kind];
  root.required = [...new Set(["apiVersion", "kind", ...(root.required ?? [])])];
  const name = `${kind.toLowerCase()}-${apiVersion.replace(/[./]/g, "-")}.json`;
  writeFileSync(join(outDir, name), JSON.stringify(schema, null, 1) + "\n");
  console.log(`${name}`);
}
