// node validate.mjs FILE [VERSION]: checks an OpenAPI document.
//
// 1. The whole document against the official JSON Schema of its OpenAPI
//    version (@seriousme/openapi-schema-validator), which also checks that
//    every local $ref resolves.
// 2. Every Schema Object in it against the JSON Schema 2020-12 meta-schema,
//    which the official 3.1 schema leaves unchecked.
// 3. The rules the specification states in prose: unique operationIds,
//    no parameter declared twice, path variables matching path parameters.
// 4. With VERSION (e.g. 3.1), that the document declares that version.
//
// Prints "FILE: valid ..." and exits 0, or prints each error and exits 1;
// exits 2 when the file cannot be read.
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const [file, want] = process.argv.slice(2);
if (!file) {
	console.error("usage: node validate.mjs FILE [VERSION]");
	process.exit(2);
}

let text;
try {
	text = await readFile(file, "utf-8");
} catch (e) {
	console.error(`${file}: ${e.message}`);
	process.exit(2);
}
let doc;
try {
	doc = JSON.parse(text);
} catch (e) {
	console.log(`${file}: not JSON: ${e.message}`);
	process.exit(1);
}

const problems = [];

function describe(err) {
	if (typeof err === "string") return err;
	const where = err.instancePath || "/";
	const params = err.params && Object.keys(err.params).length ? ` ${JSON.stringify(err.params)}` : "";
	return `${where}: ${err.message}${params}`;
}

const validator = new Validator();
const res = await validator.validate(structuredClone(doc));
if (!res.valid) {
	const errs = Array.isArray(res.errors) ? res.errors : [res.errors];
	for (const e of errs) problems.push(`schema ${describe(e)}`);
}
if (want && validator.specificationVersion && !validator.specificationVersion.startsWith(`${want}.`)) {
	problems.push(`declares OpenAPI ${validator.specificationVersion}, not ${want}.x`);
}
if (want && !validator.version) {
	problems.push(`declares no OpenAPI version; expected ${want}.x`);
}

// The Schema Objects: where OpenAPI 3.1 puts them in the parts rapport uses.
const schemas = [];
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const ptr = (parts) => `/${parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

function schemaAt(value, where) {
	if (value !== undefined) schemas.push([value, where]);
}
function content(c, where) {
	if (!isObj(c)) return;
	for (const [type, media] of Object.entries(c)) if (isObj(media)) schemaAt(media.schema, [...where, type, "schema"]);
}
function parameter(p, where) {
	if (!isObj(p) || p.$ref) return;
	schemaAt(p.schema, [...where, "schema"]);
	content(p.content, [...where, "content"]);
}
function headers(h, where) {
	if (!isObj(h)) return;
	for (const [name, v] of Object.entries(h)) parameter(v, [...where, name]);
}
function response(r, where) {
	if (!isObj(r) || r.$ref) return;
	content(r.content, [...where, "content"]);
	headers(r.headers, [...where, "headers"]);
}
function requestBody(b, where) {
	if (!isObj(b) || b.$ref) return;
	content(b.content, [...where, "content"]);
}
function parameters(list, where) {
	if (Array.isArray(list)) list.forEach((p, i) => parameter(p, [...where, i]));
}
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
function pathItem(item, where) {
	if (!isObj(item)) return;
	parameters(item.parameters, [...where, "parameters"]);
	for (const m of methods) {
		const op = item[m];
		if (!isObj(op)) continue;
		parameters(op.parameters, [...where, m, "parameters"]);
		requestBody(op.requestBody, [...where, m, "requestBody"]);
		if (isObj(op.responses))
			for (const [code, r] of Object.entries(op.responses)) response(r, [...where, m, "responses", code]);
	}
}
if (isObj(doc.paths)) for (const [p, item] of Object.entries(doc.paths)) pathItem(item, ["paths", p]);
if (isObj(doc.webhooks)) for (const [p, item] of Object.entries(doc.webhooks)) pathItem(item, ["webhooks", p]);
const comp = isObj(doc.components) ? doc.components : {};
for (const [name, s] of Object.entries(isObj(comp.schemas) ? comp.schemas : {})) schemaAt(s, ["components", "schemas", name]);
for (const [name, p] of Object.entries(isObj(comp.parameters) ? comp.parameters : {})) parameter(p, ["components", "parameters", name]);
for (const [name, r] of Object.entries(isObj(comp.responses) ? comp.responses : {})) response(r, ["components", "responses", name]);
for (const [name, b] of Object.entries(isObj(comp.requestBodies) ? comp.requestBodies : {})) requestBody(b, ["components", "requestBodies", name]);
headers(comp.headers, ["components", "headers"]);
for (const [name, item] of Object.entries(isObj(comp.pathItems) ? comp.pathItems : {})) pathItem(item, ["components", "pathItems", name]);

// Rules of the specification that its JSON Schema cannot express:
// operationIds are unique; in each operation, a parameter is named once per
// location, and the path's template variables are exactly its path
// parameters (declared on the operation or on the Path Item).
const operationIds = new Map();
function operationRules(item, where, template) {
	if (!isObj(item)) return;
	const own = Array.isArray(item.parameters) ? item.parameters.filter((p) => isObj(p) && !p.$ref) : [];
	for (const m of methods) {
		const op = item[m];
		if (!isObj(op)) continue;
		const at = ptr([...where, m]);
		if (typeof op.operationId === "string") {
			if (operationIds.has(op.operationId))
				problems.push(`${at}: operationId "${op.operationId}" is also used at ${operationIds.get(op.operationId)}`);
			else operationIds.set(op.operationId, at);
		}
		const mine = Array.isArray(op.parameters) ? op.parameters.filter((p) => isObj(p) && !p.$ref) : [];
		const seen = new Set();
		for (const p of mine) {
			const key = `${p.in}:${p.name}`;
			if (seen.has(key)) problems.push(`${at}: parameter "${p.name}" in ${p.in} is declared twice`);
			seen.add(key);
		}
		if (template === undefined) continue;
		const vars = new Set([...template.matchAll(/\{([^}]*)\}/g)].map((x) => x[1]));
		const declared = new Set([...own, ...mine].filter((p) => p.in === "path").map((p) => p.name));
		for (const v of vars) if (!declared.has(v)) problems.push(`${at}: path variable {${v}} has no path parameter`);
		for (const d of declared) if (!vars.has(d)) problems.push(`${at}: path parameter "${d}" is not in the path`);
	}
}
if (isObj(doc.paths)) for (const [p, item] of Object.entries(doc.paths)) operationRules(item, ["paths", p], p);
if (isObj(doc.webhooks)) for (const [p, item] of Object.entries(doc.webhooks)) operationRules(item, ["webhooks", p]);

const ajv = new Ajv2020({ strict: false, allErrors: true });
for (const [s, where] of schemas) {
	if (typeof s !== "boolean" && !isObj(s)) {
		problems.push(`${ptr(where)}: a Schema Object must be an object or a boolean`);
		continue;
	}
	if (!ajv.validateSchema(s)) {
		for (const e of ajv.errors) problems.push(`${ptr(where)}${e.instancePath}: ${e.message}`);
	}
}

if (problems.length) {
	console.log(`${file}: invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
	for (const p of problems.slice(0, 50)) console.log(`  ${p}`);
	if (problems.length > 50) console.log(`  ... and ${problems.length - 50} more`);
	process.exit(1);
}
let ops = 0;
for (const item of Object.values(doc.paths || {})) for (const m of methods) if (isObj(item[m])) ops++;
console.log(
	`${file}: valid OpenAPI ${validator.specificationVersion} (${Object.keys(doc.paths || {}).length} paths, ${ops} operations, ${schemas.length} schemas)`,
);
