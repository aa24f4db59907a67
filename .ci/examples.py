"""Validates every recorded example against its operation's schema in the spec with
openapi-schema-validator's OAS30Validator, which reads OpenAPI 3.0.3 to the letter
(`nullable` only counts beside `type`), unlike the contract test's own translation.

The examples are the reference's (tests/fixtures/docs) and production's
(tests/fixtures/real), each described by its folder's manifest.json: requests are
checked against the operation's JSON request body, answers against the response of
their status (or its `4XX`/`5XX` range). Prints each failing example with the values
that break the schema, then `valid N/M examples`; exits 1 unless all are valid. A self-check first makes sure
the validator reads `nullable` strictly.
"""

import json
import sys
from collections import Counter
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "crewsense.yaml"
FIXTURES = [ROOT / "tests" / "fixtures" / "docs", ROOT / "tests" / "fixtures" / "real"]
# Endpoints outside the paths of the spec, read against a component.
COMPONENTS = {"/oauth/access_token": "AccessToken", "*": "Error"}


def target(spec, entry):
    """The schema an example must satisfy, or a reason it has none."""
    path = entry["path"]
    if path in COMPONENTS:
        return {"$ref": f"#/components/schemas/{COMPONENTS[path]}"}
    operation = spec["paths"].get(path, {}).get((entry["method"] or "").lower())
    if operation is None:
        raise LookupError("the operation is not in the spec")
    if entry["direction"] == "request":
        content = operation.get("requestBody", {}).get("content", {})
    else:
        status = str(entry["status"])
        responses = operation["responses"]
        response = responses.get(status) or responses.get(f"{status[0]}XX")
        if response is None:
            raise LookupError(f"no response for status {status}")
        if "$ref" in response:
            response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        content = response.get("content", {})
    if "application/json" not in content:
        raise LookupError("no JSON body in the spec")
    return content["application/json"]["schema"]


def problems(spec, entry, payload):
    """Every value of one example that breaks the schema, as `location: messages`."""
    try:
        schema = target(spec, entry)
    except LookupError as why:
        return [str(why)]
    validator = OAS30Validator(rooted(spec, schema), format_checker=oas30_format_checker)
    found = {}
    for error in validator.iter_errors(payload):
        for leaf in leaves(error):
            location = "/" + "/".join(map(str, leaf.absolute_path))
            found.setdefault(location, set()).add(leaf.message[-160:])
    return [f"{location}: {'; '.join(sorted(found[location]))}" for location in sorted(found)]


def rooted(spec, schema):
    """`schema` with the components beside it, so that its references resolve."""
    return {"allOf": [schema], "components": spec["components"]}


def leaves(error):
    """The errors that explain `error`: a failed oneOf/anyOf says only "not valid
    under any", so it stands for the errors of the branch that fit the value best,
    the one whose first error lies deepest in it."""
    if not error.context:
        return [error]
    branches = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    closest = max(branches.values(), key=lambda errors: min(len(e.path) for e in errors))
    return [leaf for e in closest for leaf in leaves(e)]


def strict(spec):
    """Whether the validator reads `nullable` to the letter, so that a pass means
    something: null is refused beside `allOf` without a `type`, accepted beside one."""
    def accepts_null(schema):
        return OAS30Validator(rooted(spec, schema)).is_valid(None)

    return not accepts_null(
        {"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": True}
    ) and accepts_null({"type": "string", "nullable": True})


def main():
    spec = yaml.safe_load(SPEC.read_text())
    if not strict(spec):
        print("the validator does not read `nullable` as OpenAPI 3.0.3 says")
        return 1
    total, valid = Counter(), Counter()
    for folder in FIXTURES:
        for entry in json.loads((folder / "manifest.json").read_text()):
            total[entry["direction"]] += 1
            payload = json.loads((folder / entry["file"]).read_text())
            found = problems(spec, entry, payload)
            if found:
                where = f"{folder.name}/{entry['file']} ({entry['method'] or 'ANY'} {entry['path']})"
                print(f"FAILED {where}: {len(found)} values break the schema")
                for problem in found:
                    print(f"  {problem}")
            else:
                valid[entry["direction"]] += 1
    counts = ", ".join(f"{valid[d]}/{total[d]} {d}s" for d in sorted(total))
    print(f"valid {sum(valid.values())}/{sum(total.values())} examples ({counts})")
    return 0 if valid == total else 1


if __name__ == "__main__":
    sys.exit(main())
