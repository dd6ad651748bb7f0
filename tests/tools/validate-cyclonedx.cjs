// Validates a CycloneDX 1.6 JSON BOM against the official schema (as shipped in
// @cyclonedx/cyclonedx-library) with ajv; prints the errors as a JSON array, empty when valid.
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const schemas = path.join(path.dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")), "res", "schema");
const load = (name) => JSON.parse(fs.readFileSync(path.join(schemas, name), "utf8"));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Draft 2019 formats ajv-formats lacks; accepted as any string, as the CycloneDX tools do without ajv-formats-draft2019.
ajv.addFormat("iri-reference", true);
ajv.addFormat("idn-email", true);
// The BOM schema refers to its neighbours by file name, relative to its own $id.
for (const name of ["spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"]) {
  const schema = load(name);
  delete schema.$id;
  ajv.addSchema(schema, "http://cyclonedx.org/schema/" + name);
}
const validate = ajv.compile(load("bom-1.6.SNAPSHOT.schema.json"));
const bom = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
validate(bom);
process.stdout.write(JSON.stringify(validate.errors || []));
