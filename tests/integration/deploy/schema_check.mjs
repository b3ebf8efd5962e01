// Validates what goes to a cluster against the published schemas, as the API server and eksctl
// would at apply time:
//   node schema_check.mjs render DIR...   every kustomize root under each DIR (a directory whose
//                                         kustomization.yaml is a Kustomization), rendered by
//                                         `kubectl kustomize`, every object checked
//   node schema_check.mjs files FILE...   manifest files as they are
//   node schema_check.mjs eksctl FILE...  eksctl ClusterConfig files
//   --expect-invalid (first argument)     the other way round, for fixtures that prove the check
//                                         catches errors: succeed only if every object is refused
// Kubernetes objects are checked with the validators of the kubernetes-models package (types,
// required fields, enums, formats) plus unknown fields, which the API server refuses under
// kubectl's default strict field validation and those validators let through: a field counts as
// known when the validator looked it up by name or enumerated its object (maps such as labels).
// Exit 0 when everything is valid; 1 with one line per problem otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const require = createRequire(import.meta.url);

// The file of the compiled validator for an apiVersion and kind: Kubernetes' own kinds from the
// kubernetes-models package (apps/v1 Deployment -> _schemas/IoK8sApiAppsV1Deployment.js), Argo
// Rollouts' from @kubernetes-models/argo-rollouts.
function schemaFile(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const packageRoot = (name) => dirname(require.resolve(`${name}/package.json`));
  if (group === "argoproj.io")
    return join(packageRoot("@kubernetes-models/argo-rollouts"), "_schemas",
                `ComGithubArgoprojArgoRolloutsPkgApisRollouts${capital(version)}${kind}.js`);
  const groupName = group === "" ? "Core" : capital(group.replace(/\.k8s\.io$/, "").split(".")[0]);
  return join(packageRoot("kubernetes-models"), "_schemas", `IoK8sApi${groupName}${capital(version)}${kind}.js`);
}

// A view of value whose reads are recorded: a Map from each object (or array) of the original
// to the set of keys the validator asked for by name, or true when it enumerated them all.
function watched(value, seen) {
  if (value === null || typeof value !== "object") return value;
  seen.set(value, seen.get(value) ?? new Set());
  return new Proxy(value, {
    get(target, key) {
      const keys = seen.get(target);
      if (keys !== true && typeof key === "string") keys.add(key);
      return watched(target[key], seen);
    },
    ownKeys(target) {
      seen.set(target, true);
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(value, seen, path, found) {
  if (value === null || typeof value !== "object") return found;
  const keys = seen.get(value);
  for (const [key, child] of Object.entries(value)) {
    const where = `${path}/${key}`;
    if (!Array.isArray(value) && keys !== true && !(keys && keys.has(key))) found.push(where);
    else unknownFields(child, seen, where, found);
  }
  return found;
}

function describe(error) {
  return `${error.instancePath || "/"}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

async function checkObject(object, origin) {
  const name = `${origin}: ${object?.kind ?? "?"} ${object?.metadata?.name ?? "?"}`;
  if (!object?.apiVersion || !object?.kind) return [`${name}: no apiVersion or kind`];
  let validate;
  try {
    ({ validate } = await import(pathToFileURL(schemaFile(object.apiVersion, object.kind))));
  } catch {
    return [`${name}: no schema for ${object.apiVersion} ${object.kind}`];
  }
  const seen = new Map();
  const problems = [];
  if (!validate(watched(object, seen))) {
    for (const error of validate.errors)
      problems.push(`${name}: ${describe(error)}`);
  }
  for (const path of unknownFields(object, seen, "", []))
    problems.push(`${name}: ${path}: unknown field`);
  return problems;
}

async function checkYaml(text, origin) {
  const units = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length) {
      units.push([origin, [`${origin}: YAML: ${document.errors[0].message}`]]);
      continue;
    }
    const object = document.toJS();
    if (object !== null) units.push([`${origin}: ${object.kind} ${object.metadata?.name}`, await checkObject(object, origin)]);
  }
  if (units.length === 0) units.push([origin, [`${origin}: no objects`]]);
  return { units };
}

function eksctlValidator() {
  const root = dirname(require.resolve("schemastore/package.json"));
  const schema = JSON.parse(readFileSync(join(root,
      "schemas/json/raw.githubusercontent.com/weaveworks/eksctl/main/pkg/apis/eksctl.io/v1alpha5/assets/schema.json"), "utf8"));
  // The packaged copy of eksctl's schema predates Kubernetes 1.23 in its list of versions (and
  // only there): the version is checked for form here, and for support by docs/deploy-eks.md's
  // test and by eksctl itself.
  delete schema.definitions.ClusterMeta.properties.version.enum;
  schema.definitions.ClusterMeta.properties.version.pattern = "^1\\.[0-9]+$";
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

// Every directory under root (root included) whose kustomization.yaml is a Kustomization (not a
// Component), sorted: new overlays are checked without being listed anywhere.
function kustomizeRoots(root) {
  const roots = [];
  const visit = (dir) => {
    const file = join(dir, "kustomization.yaml");
    if (existsSync(file) && /^kind:\s*Kustomization\s*$/m.test(readFileSync(file, "utf8"))) roots.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) visit(join(dir, entry.name));
  };
  visit(root);
  return roots.sort();
}

// [origin, problems] for each checked unit: an object of a manifest, or a ClusterConfig.
async function check(mode, inputs) {
  const units = [];
  if (mode === "eksctl") {
    const validate = eksctlValidator();
    for (const input of inputs) {
      for (const document of parseAllDocuments(readFileSync(input, "utf8"))) {
        const ok = validate(document.toJS());
        units.push([input, ok ? [] : validate.errors.map((e) => `${input}: ${describe(e)}`)]);
      }
      console.log(`${input}: checked against eksctl's ClusterConfig schema`);
    }
    return units;
  }
  const sources = mode === "render" ? inputs.flatMap(kustomizeRoots) : inputs;
  if (sources.length === 0) units.push(["(none)", [`no kustomize root under ${inputs.join(" ")}`]]);
  for (const source of sources) {
    let text;
    try {
      text = mode === "render"
        ? execFileSync(process.env.KUBECTL || "kubectl", ["kustomize", source], { encoding: "utf8" })
        : readFileSync(source, "utf8");
    } catch (error) {
      units.push([source, [`${source}: ${error.message.split("\n")[0]}`]]);
      continue;
    }
    const result = await checkYaml(text, source);
    units.push(...result.units);
    console.log(`${source}: ${result.units.length} objects checked`);
  }
  return units;
}

async function main() {
  let args = process.argv.slice(2);
  const expectInvalid = args[0] === "--expect-invalid";
  if (expectInvalid) args = args.slice(1);
  const [mode, ...inputs] = args;
  if (!["render", "files", "eksctl"].includes(mode) || inputs.length === 0) {
    console.error("usage: schema_check.mjs [--expect-invalid] render|files|eksctl PATH...");
    process.exit(2);
  }
  const units = await check(mode, inputs);
  let failed = false;
  for (const [origin, problems] of units) {
    for (const problem of problems) console.log(`${expectInvalid ? "refused" : "INVALID"} ${problem}`);
    if (expectInvalid && problems.length === 0) {
      console.log(`NOT REFUSED ${origin}: the check let a broken object through`);
      failed = true;
    }
    failed ||= !expectInvalid && problems.length > 0;
  }
  failed ||= units.length === 0;
  process.exit(failed ? 1 : 0);
}

await main();
